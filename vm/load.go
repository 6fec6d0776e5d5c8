package vm

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Loader limits (docs/spec.md §9.1 "Constants", §9.2 "ELF loading").
const (
	heapStart     = 0x0000_1000_0000_0000
	segmentLimit  = 1 << 48
	ptMIPSFlags   = 0x7000_0003 // PT_MIPS_ABIFLAGS: metadata, never loaded
	elf64HdrSize  = 64
	elf64PhdrSize = 56
)

// LoadError says where an ELF file is malformed or unsupported.
type LoadError struct {
	Offset int64 // byte offset in the file of the field or record at fault
	Msg    string
}

func (e *LoadError) Error() string {
	return fmt.Sprintf("load ELF: %s (at byte 0x%x)", e.Msg, e.Offset)
}

func loadErr(off int64, format string, args ...any) *LoadError {
	return &LoadError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// Load builds the initial state of a 64-bit big-endian MIPS executable: its segments in
// memory, one thread at the entry point and the initial stack (docs/spec.md §9.2 "ELF
// loading", §9.3 "Initial stack"). Every malformed input gives a *LoadError, never a panic.
func Load(file []byte) (*State, error) {
	if err := checkHeader(file); err != nil {
		return nil, err
	}
	progs, err := readProgHeaders(file)
	if err != nil {
		return nil, err
	}
	f, err := parseELF(file)
	if err != nil {
		return nil, err
	}
	// debug/elf is a second reader of the same bytes: it must see what we checked.
	entry := binary.BigEndian.Uint64(file[24:])
	if f.Entry != entry {
		return nil, loadErr(24, "debug/elf reads entry 0x%x, header has 0x%x", f.Entry, entry)
	}
	if len(f.Progs) != len(progs) {
		return nil, loadErr(56, "debug/elf reads %d program headers, header says %d", len(f.Progs), len(progs))
	}
	for i, p := range f.Progs {
		if p.ProgHeader != progs[i] {
			return nil, loadErr(phdrOffset(file, i), "debug/elf reads program header %d differently", i)
		}
	}
	mem := memory.New()
	for _, p := range progs {
		if p.Type != ptMIPSFlags && p.Memsz > 0 {
			if p.Filesz > 0 { // an empty range may point anywhere
				mem.SetBytes(p.Vaddr, file[p.Off:p.Off+p.Filesz])
			}
			// Zero-fill explicitly: an earlier segment may have written these bytes.
			mem.SetZero(p.Vaddr+p.Filesz, p.Memsz-p.Filesz)
		}
	}
	t := &Thread{ThreadID: 0, PC: entry, NextPC: entry + 4}
	writeInitialStack(mem, t)
	return &State{
		Memory:          mem,
		Heap:            heapStart,
		LeftThreadStack: []*Thread{t},
		NextThreadID:    1,
	}, nil
}

// checkHeader validates the ELF header fields the loader depends on before debug/elf sees
// the file, so that each rejection names the field.
func checkHeader(b []byte) error {
	if len(b) < elf.EI_NIDENT {
		return loadErr(int64(len(b)), "truncated ELF identification: %d bytes, need %d", len(b), elf.EI_NIDENT)
	}
	if !bytes.Equal(b[:4], []byte(elf.ELFMAG)) {
		return loadErr(0, "bad magic % x, want 7f 45 4c 46", b[:4])
	}
	if c := elf.Class(b[elf.EI_CLASS]); c != elf.ELFCLASS64 {
		return loadErr(elf.EI_CLASS, "class %v, want ELFCLASS64", c)
	}
	if d := elf.Data(b[elf.EI_DATA]); d != elf.ELFDATA2MSB {
		return loadErr(elf.EI_DATA, "data encoding %v, want big-endian ELFDATA2MSB", d)
	}
	if v := elf.Version(b[elf.EI_VERSION]); v != elf.EV_CURRENT {
		return loadErr(elf.EI_VERSION, "ident version %v, want EV_CURRENT", v)
	}
	if len(b) < elf64HdrSize {
		return loadErr(int64(len(b)), "truncated ELF header: %d bytes, need %d", len(b), elf64HdrSize)
	}
	be := binary.BigEndian
	if typ := elf.Type(be.Uint16(b[16:])); typ != elf.ET_EXEC {
		return loadErr(16, "file type %v, want ET_EXEC", typ)
	}
	if m := elf.Machine(be.Uint16(b[18:])); m != elf.EM_MIPS {
		return loadErr(18, "machine %v, want EM_MIPS", m)
	}
	if v := be.Uint32(b[20:]); v != uint32(elf.EV_CURRENT) {
		return loadErr(20, "version %d, want 1", v)
	}
	phoff, phentsize, phnum := be.Uint64(b[32:]), be.Uint16(b[54:]), be.Uint16(b[56:])
	switch {
	case phnum == 0:
		return loadErr(56, "no program headers")
	case phnum == 0xFFFF:
		return loadErr(56, "extended program header numbering (PN_XNUM) is not supported")
	case phentsize != elf64PhdrSize:
		return loadErr(54, "program header size %d, want %d", phentsize, elf64PhdrSize)
	case phoff > uint64(len(b)) || uint64(phnum)*elf64PhdrSize > uint64(len(b))-phoff:
		return loadErr(32, "program header table [0x%x, +%d*%d) lies outside the %d-byte file", phoff, phnum, elf64PhdrSize, len(b))
	}
	return nil
}

// parseELF runs debug/elf, which can still panic on some hostile inputs.
func parseELF(b []byte) (f *elf.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, loadErr(0, "malformed ELF (debug/elf panicked: %v)", r)
		}
	}()
	f, err = elf.NewFile(bytes.NewReader(b))
	if err != nil {
		return nil, loadErr(0, "malformed ELF: %v", err)
	}
	return f, nil
}

func phdrOffset(b []byte, i int) int64 {
	return int64(binary.BigEndian.Uint64(b[32:])) + int64(i)*elf64PhdrSize
}

// readProgHeaders decodes and checks every program header; checkHeader has bounded the table.
func readProgHeaders(b []byte) ([]elf.ProgHeader, error) {
	be := binary.BigEndian
	n := int(be.Uint16(b[56:]))
	progs := make([]elf.ProgHeader, n)
	for i := range progs {
		ho := phdrOffset(b, i)
		h := b[ho : ho+elf64PhdrSize]
		progs[i] = elf.ProgHeader{
			Type:   elf.ProgType(be.Uint32(h[0:])),
			Flags:  elf.ProgFlag(be.Uint32(h[4:])),
			Off:    be.Uint64(h[8:]),
			Vaddr:  be.Uint64(h[16:]),
			Paddr:  be.Uint64(h[24:]),
			Filesz: be.Uint64(h[32:]),
			Memsz:  be.Uint64(h[40:]),
			Align:  be.Uint64(h[48:]),
		}
		if err := checkSegment(b, i, ho, &progs[i]); err != nil {
			return nil, err
		}
	}
	return progs, nil
}

// checkSegment applies the loader rules of docs/spec.md §9.2 "ELF loading" to the header at
// offset ho.
func checkSegment(b []byte, i int, ho int64, p *elf.ProgHeader) error {
	if p.Type == ptMIPSFlags {
		return nil
	}
	if p.Filesz > p.Memsz {
		return loadErr(ho+32, "segment %d (%v): filesz 0x%x > memsz 0x%x", i, p.Type, p.Filesz, p.Memsz)
	}
	if p.Type != elf.PT_LOAD && p.Filesz != p.Memsz {
		return loadErr(ho+32, "segment %d (%v): filesz 0x%x != memsz 0x%x; only PT_LOAD is zero-filled", i, p.Type, p.Filesz, p.Memsz)
	}
	// An empty file range reads nothing, wherever it points (as PT_GNU_STACK often does).
	if p.Filesz > 0 && (p.Off > uint64(len(b)) || p.Filesz > uint64(len(b))-p.Off) {
		return loadErr(ho+8, "segment %d (%v): file range [0x%x, +0x%x) lies outside the %d-byte file", i, p.Type, p.Off, p.Filesz, len(b))
	}
	end := p.Vaddr + p.Memsz
	switch {
	case end < p.Vaddr:
		return loadErr(ho+16, "segment %d (%v): vaddr 0x%x + memsz 0x%x overflows", i, p.Type, p.Vaddr, p.Memsz)
	case end >= segmentLimit:
		return loadErr(ho+16, "segment %d (%v): [0x%x, 0x%x) reaches 2^48", i, p.Type, p.Vaddr, end)
	case end >= heapStart:
		return loadErr(ho+16, "segment %d (%v): [0x%x, 0x%x) reaches HEAP_START 0x%x", i, p.Type, p.Vaddr, end, uint64(heapStart))
	}
	return nil
}
