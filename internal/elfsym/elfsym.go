// Package elfsym names code addresses of a guest ELF by its symbol table, so that reports
// show "runtime.check+0x168" next to a pc instead of leaving the reader to run `go tool nm`.
package elfsym

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"sort"
)

// Table is the code symbols of one ELF. The zero value and nil name nothing.
type Table struct {
	funcs  []symbol // sized functions (STT_FUNC with a size), by address
	labels []symbol // other code symbols (hand-written assembly without .size), by address
}

type symbol struct {
	name       string
	addr, size uint64
}

// Load reads the symbol table of an ELF image. An ELF without symbols gives an empty table;
// only a file that is not an ELF at all is an error.
func Load(image []byte) (*Table, error) {
	f, err := elf.NewFile(bytes.NewReader(image))
	if err != nil {
		return nil, fmt.Errorf("symbols: %w", err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if errors.Is(err, elf.ErrNoSymbols) {
		return &Table{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("symbols: %w", err)
	}
	var code [][2]uint64
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_EXECINSTR != 0 && s.Size > 0 {
			code = append(code, [2]uint64{s.Addr, s.Addr + s.Size})
		}
	}
	inCode := func(a uint64) bool {
		for _, r := range code {
			if a >= r[0] && a < r[1] {
				return true
			}
		}
		return false
	}
	t := &Table{}
	for _, s := range syms {
		typ := elf.ST_TYPE(s.Info)
		if s.Name == "" || (typ != elf.STT_FUNC && typ != elf.STT_NOTYPE) || !inCode(s.Value) {
			continue
		}
		sym := symbol{name: s.Name, addr: s.Value, size: s.Size}
		if typ == elf.STT_FUNC && s.Size > 0 {
			t.funcs = append(t.funcs, sym)
		} else {
			t.labels = append(t.labels, sym)
		}
	}
	for _, list := range [][]symbol{t.funcs, t.labels} {
		sort.SliceStable(list, func(i, j int) bool { return list[i].addr < list[j].addr })
	}
	return t, nil
}

// Lookup names pc as symbol+offset ("main.main+0x1c", or "main.main" at its first
// instruction): the sized function containing pc, else the nearest code label at or before
// it. It returns "" when nothing covers pc.
func (t *Table) Lookup(pc uint64) string {
	if t == nil {
		return ""
	}
	i := sort.Search(len(t.funcs), func(i int) bool { return t.funcs[i].addr > pc }) - 1
	if i >= 0 && pc < t.funcs[i].addr+t.funcs[i].size {
		return withOffset(t.funcs[i], pc)
	}
	j := sort.Search(len(t.labels), func(j int) bool { return t.labels[j].addr > pc }) - 1
	if j >= 0 && (i < 0 || t.labels[j].addr > t.funcs[i].addr+t.funcs[i].size-1) {
		return withOffset(t.labels[j], pc)
	}
	return ""
}

func withOffset(s symbol, pc uint64) string {
	if pc == s.addr {
		return s.name
	}
	return fmt.Sprintf("%s+0x%x", s.name, pc-s.addr)
}

// PC formats pc for a report: "0x10078 (main.main+0x8)", or "0x10078" without a symbol.
func (t *Table) PC(pc uint64) string {
	if name := t.Lookup(pc); name != "" {
		return fmt.Sprintf("0x%x (%s)", pc, name)
	}
	return fmt.Sprintf("0x%x", pc)
}
