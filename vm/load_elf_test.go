package vm

import (
	"encoding/binary"
)

// testSegment is one program header of a hand-assembled ELF; data is appended to the file
// and the header's p_offset points at it unless off overrides it.
type testSegment struct {
	typ          uint32
	vaddr        uint64
	data         []byte
	filesz       uint64 // 0: len(data)
	memsz        uint64 // 0: filesz
	off          uint64 // 0: where data is placed
	overrideSize bool   // use filesz/memsz as given even when zero
}

const testEntry = 0x10000

// testELF writes a big-endian ELF64 MIPS executable: header, program headers, segment data.
func testELF(entry uint64, segs []testSegment) []byte {
	be := binary.BigEndian
	phoff := uint64(64)
	dataOff := phoff + uint64(len(segs))*56
	out := make([]byte, dataOff)
	copy(out, []byte{0x7f, 'E', 'L', 'F', 2 /*64-bit*/, 2 /*big-endian*/, 1 /*version*/})
	be.PutUint16(out[16:], 2) // ET_EXEC
	be.PutUint16(out[18:], 8) // EM_MIPS
	be.PutUint32(out[20:], 1) // EV_CURRENT
	be.PutUint64(out[24:], entry)
	be.PutUint64(out[32:], phoff)
	be.PutUint16(out[52:], 64) // e_ehsize
	be.PutUint16(out[54:], 56) // e_phentsize
	be.PutUint16(out[56:], uint16(len(segs)))
	be.PutUint16(out[58:], 64) // e_shentsize
	for i, s := range segs {
		filesz, memsz := s.filesz, s.memsz
		if !s.overrideSize {
			if filesz == 0 {
				filesz = uint64(len(s.data))
			}
			if memsz == 0 {
				memsz = filesz
			}
		}
		off := s.off
		if off == 0 {
			off = uint64(len(out))
		}
		out = append(out, s.data...)
		h := out[phoff+uint64(i)*56:]
		be.PutUint32(h[0:], s.typ)
		be.PutUint32(h[4:], 5) // PF_R|PF_X
		be.PutUint64(h[8:], off)
		be.PutUint64(h[16:], s.vaddr)
		be.PutUint64(h[24:], s.vaddr)
		be.PutUint64(h[32:], filesz)
		be.PutUint64(h[40:], memsz)
		be.PutUint64(h[48:], 0x1000)
	}
	return out
}

// tinyELF has code with a .bss tail, a data segment, a PT_NOTE copy, a MIPS ABI-flags record
// that must not be loaded, and an empty PT_GNU_STACK.
func tinyELF() []byte {
	return testELF(testEntry, []testSegment{
		{typ: 1, vaddr: 0x10000, data: []byte{0x24, 0x02, 0x13, 0xa1, 0x00, 0x00, 0x00, 0x0c, 0xde, 0xad, 0xbe, 0xef}, memsz: 0x2000},
		{typ: 1, vaddr: 0x20ffc, data: []byte("hello, world")},
		{typ: 4, vaddr: 0x30000, data: []byte("NOTE")},
		{typ: 0x70000003, vaddr: 0x40000, data: []byte("ABIFLAGS-ABIFLAGS-ABIFLA")},
		{typ: 0x6474e551, vaddr: 0, overrideSize: true},
	})
}
