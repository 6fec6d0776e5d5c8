package scan

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// InputError is a file the scanner cannot read as a big-endian MIPS64 ELF.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErr(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// codeRange is a run of instruction words starting at addr.
type codeRange struct {
	name  string // section name, or "segment N"
	addr  uint64
	words []uint32
}

// symbol is a code symbol; size 0 means unknown (hand-written assembly without .size).
type symbol struct {
	name       string
	addr, size uint64
}

// image is what the scanner needs from an ELF: its code and its code symbols.
type image struct {
	code    []codeRange
	funcs   []symbol // sized, sorted by address
	labels  []symbol // unsized, sorted by address
	isGo    bool     // built by the Go toolchain
	byStart map[uint64]string
	// godebugDefault is the value of the Go runtime's runtime.godebugDefault string, the
	// link-time GODEBUG defaults ("" when absent or unreadable).
	godebugDefault string
}

// loadImage parses raw as a big-endian MIPS64 ELF. The code is the SHF_EXECINSTR sections
// inside executable PT_LOAD segments; without section headers, the executable segments.
func loadImage(raw []byte) (img *image, err error) {
	defer func() {
		if r := recover(); r != nil { // debug/elf on hostile input
			img, err = nil, inputErr("corrupt ELF: %v", r)
		}
	}()
	f, err := elf.NewFile(bytes.NewReader(raw))
	if err != nil {
		return nil, inputErr("not a readable ELF file: %v", err)
	}
	if f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2MSB || f.Machine != elf.EM_MIPS {
		return nil, inputErr("ELF is %v %v %v; want a 64-bit big-endian MIPS executable (ELFCLASS64, ELFDATA2MSB, EM_MIPS)", f.Class, f.Data, f.Machine)
	}
	img = &image{byStart: map[uint64]string{}}
	if img.code, err = codeSections(f); err != nil {
		return nil, err
	}
	if len(img.code) == 0 {
		if img.code, err = codeSegments(f, raw); err != nil {
			return nil, err
		}
	}
	if len(img.code) == 0 {
		return nil, inputErr("ELF has no executable code (no SHF_EXECINSTR section and no executable PT_LOAD segment)")
	}
	if err := img.loadSymbols(f); err != nil {
		return nil, err
	}
	img.isGo = f.Section(".go.buildinfo") != nil || img.hasSymbol("runtime.main")
	img.godebugDefault = goStringVar(f, "runtime.godebugDefault")
	return img, nil
}

// goStringVar reads a Go string variable (pointer, length; big-endian) from the image's
// data. Anything out of bounds gives "": the value is only used to qualify allowlist
// entries, never to reject a file.
func goStringVar(f *elf.File, name string) string {
	syms, err := f.Symbols()
	if err != nil {
		return ""
	}
	for _, s := range syms {
		if s.Name != name || s.Size != 16 {
			continue
		}
		hdr := readAt(f, s.Value, 16)
		if hdr == nil {
			return ""
		}
		ptr, n := binary.BigEndian.Uint64(hdr), binary.BigEndian.Uint64(hdr[8:])
		if n > 1<<16 {
			return ""
		}
		return string(readAt(f, ptr, n))
	}
	return ""
}

// readAt returns n bytes at virtual address addr from the PROGBITS section holding them.
func readAt(f *elf.File, addr, n uint64) []byte {
	for _, sec := range f.Sections {
		if sec.Type != elf.SHT_PROGBITS || sec.Flags&elf.SHF_ALLOC == 0 || addr < sec.Addr || addr-sec.Addr > sec.Size || n > sec.Size-(addr-sec.Addr) {
			continue
		}
		data, err := sec.Data()
		if err != nil || uint64(len(data)) < addr-sec.Addr+n {
			return nil
		}
		return data[addr-sec.Addr : addr-sec.Addr+n]
	}
	return nil
}

func inExecSegment(f *elf.File, addr, size uint64) bool {
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Flags&elf.PF_X != 0 && addr >= p.Vaddr && addr+size <= p.Vaddr+p.Memsz {
			return true
		}
	}
	return false
}

func codeSections(f *elf.File) ([]codeRange, error) {
	var out []codeRange
	for _, s := range f.Sections {
		if s.Type != elf.SHT_PROGBITS || s.Flags&elf.SHF_EXECINSTR == 0 || s.Flags&elf.SHF_ALLOC == 0 || s.Size == 0 {
			continue
		}
		if len(f.Progs) > 0 && !inExecSegment(f, s.Addr, s.Size) {
			continue
		}
		data, err := s.Data()
		if err != nil {
			return nil, inputErr("section %s (offset 0x%x, size 0x%x): %v", s.Name, s.Offset, s.Size, err)
		}
		out = append(out, words(s.Name, s.Addr, data))
	}
	return out, nil
}

func codeSegments(f *elf.File, raw []byte) ([]codeRange, error) {
	var out []codeRange
	for i, p := range f.Progs {
		if p.Type != elf.PT_LOAD || p.Flags&elf.PF_X == 0 || p.Filesz == 0 {
			continue
		}
		if p.Off > uint64(len(raw)) || p.Filesz > uint64(len(raw))-p.Off {
			return nil, inputErr("segment %d: file range 0x%x+0x%x is beyond the end of the file (0x%x bytes)", i, p.Off, p.Filesz, len(raw))
		}
		out = append(out, words(fmt.Sprintf("segment %d", i), p.Vaddr, raw[p.Off:p.Off+p.Filesz]))
	}
	return out, nil
}

// words splits code into big-endian words, starting at the first 4-aligned address.
func words(name string, addr uint64, data []byte) codeRange {
	skip := (4 - addr%4) % 4
	if skip > uint64(len(data)) {
		skip = uint64(len(data))
	}
	data = data[skip:]
	r := codeRange{name: name, addr: addr + skip, words: make([]uint32, len(data)/4)}
	for i := range r.words {
		r.words[i] = binary.BigEndian.Uint32(data[4*i:])
	}
	return r
}

func (img *image) loadSymbols(f *elf.File) error {
	syms, err := f.Symbols()
	if errors.Is(err, elf.ErrNoSymbols) {
		return nil
	}
	if err != nil {
		return inputErr("symbol table: %v", err)
	}
	for _, s := range syms {
		t := elf.ST_TYPE(s.Info)
		if s.Name == "" || (t != elf.STT_FUNC && t != elf.STT_NOTYPE) || !img.inCode(s.Value) {
			continue
		}
		sym := symbol{name: s.Name, addr: s.Value, size: s.Size}
		if t == elf.STT_FUNC && s.Size > 0 {
			img.funcs = append(img.funcs, sym)
			img.byStart[s.Value] = s.Name
		} else {
			img.labels = append(img.labels, sym)
			if _, taken := img.byStart[s.Value]; !taken {
				img.byStart[s.Value] = s.Name
			}
		}
	}
	for _, list := range [][]symbol{img.funcs, img.labels} {
		sort.SliceStable(list, func(i, j int) bool { return list[i].addr < list[j].addr })
	}
	return nil
}

func (img *image) inCode(addr uint64) bool {
	for _, r := range img.code {
		if addr >= r.addr && addr < r.addr+4*uint64(len(r.words)) {
			return true
		}
	}
	return false
}

// enclosing returns the symbol containing addr: a sized function if one covers it, else the
// nearest label at or before it. ok is false when there is neither.
func (img *image) enclosing(addr uint64) (symbol, bool) {
	i := sort.Search(len(img.funcs), func(i int) bool { return img.funcs[i].addr > addr }) - 1
	if i >= 0 && addr < img.funcs[i].addr+img.funcs[i].size {
		return img.funcs[i], true
	}
	j := sort.Search(len(img.labels), func(j int) bool { return img.labels[j].addr > addr }) - 1
	if j >= 0 && (i < 0 || img.labels[j].addr > img.funcs[i].addr) {
		return img.labels[j], true
	}
	return symbol{}, false
}

func (img *image) hasSymbol(name string) bool {
	for _, n := range img.byStart {
		if n == name {
			return true
		}
	}
	return false
}

// word returns the instruction word at addr.
func (img *image) word(addr uint64) (uint32, bool) {
	for _, r := range img.code {
		if addr >= r.addr && addr < r.addr+4*uint64(len(r.words)) && (addr-r.addr)%4 == 0 {
			return r.words[(addr-r.addr)/4], true
		}
	}
	return 0, false
}
