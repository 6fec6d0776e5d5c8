package vm

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoad_TinyELF(t *testing.T) {
	st, err := Load(tinyELF())
	require.NoError(t, err)
	mem := st.Memory
	require.Equal(t, uint64(0x240213a1_0000000c), mem.GetWord(0x10000))
	require.Equal(t, uint64(0xdeadbeef_00000000), mem.GetWord(0x10008))
	require.Equal(t, uint64(0), mem.GetWord(0x11ff8), "bss")
	require.Equal(t, []byte("hello, world"), mem.ReadBytes(0x20ffc, 12), "segment across a page boundary")
	require.Equal(t, uint64(0x00000000_68656c6c), mem.GetWord(0x20ff8))
	require.Equal(t, uint64(0x6f2c2077_6f726c64), mem.GetWord(0x21000))
	require.Equal(t, []byte("NOTE"), mem.ReadBytes(0x30000, 4), "non-LOAD segments are copied too")
	require.Equal(t, uint64(0), mem.GetWord(0x40000), "PT_MIPS_ABIFLAGS is not loaded")

	require.Equal(t, uint64(0x1000_0000_0000), st.Heap)
	require.Equal(t, uint64(1), st.NextThreadID)
	require.False(t, st.TraverseRight)
	require.Empty(t, st.RightThreadStack)
	require.Len(t, st.LeftThreadStack, 1)
	th := st.LeftThreadStack[0]
	want := Thread{ThreadID: 0, PC: 0x10000, NextPC: 0x10004}
	want.Registers[29] = 0x7FFF_FFFF_F000
	require.Equal(t, want, *th)
	require.Equal(t, State{
		Memory:          mem,
		Heap:            0x1000_0000_0000,
		LeftThreadStack: []*Thread{th},
		NextThreadID:    1,
	}, *st)
	// Pages: code (its .bss page 0x11000 stays absent: it reads as zero), data (0x20000,
	// 0x21000), note, five stack pages.
	require.Equal(t, 9, mem.PageCount())
}

func TestLoad_ZeroFillOverwritesEarlierSegment(t *testing.T) {
	elf := testELF(testEntry, []testSegment{
		{typ: 1, vaddr: 0x10008, data: []byte{1, 2, 3, 4, 5, 6, 7, 8}},
		{typ: 1, vaddr: 0x10000, data: []byte{9, 9, 9, 9, 9, 9, 9, 9}, memsz: 16},
	})
	st, err := Load(elf)
	require.NoError(t, err)
	require.Equal(t, uint64(0x0909090909090909), st.Memory.GetWord(0x10000))
	require.Equal(t, uint64(0), st.Memory.GetWord(0x10008))
}

func TestLoad_SegmentEndingJustBelowHeap(t *testing.T) {
	elf := testELF(testEntry, []testSegment{
		{typ: 1, vaddr: 0x1000_0000_0000 - 9, data: []byte{0xAB}, memsz: 8},
	})
	st, err := Load(elf)
	require.NoError(t, err)
	require.Equal(t, []byte{0xAB, 0, 0, 0, 0, 0, 0, 0, 0}, st.Memory.ReadBytes(0x1000_0000_0000-9, 9))
}

func TestLoad_Errors(t *testing.T) {
	good := tinyELF()
	edit := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), good...))
	}
	seg := func(s testSegment) []byte { return testELF(testEntry, []testSegment{s}) }
	ph := int64(64) // first program header
	tests := []struct {
		name   string
		file   []byte
		offset int64
		msg    string
	}{
		{"empty", nil, 0, "truncated ELF identification: 0 bytes"},
		{"truncated ident", good[:10], 10, "truncated ELF identification"},
		{"truncated header", good[:40], 40, "truncated ELF header: 40 bytes, need 64"},
		{"truncated program headers", good[:64+56+10], 32, "program header table"},
		{"truncated segment data", func() []byte { b := seg(testSegment{typ: 1, vaddr: 0x10000, data: []byte{1, 2}}); return b[:len(b)-1] }(), ph + 8, "file range [0x78, +0x2) lies outside the 121-byte file"},
		{"bad magic", edit(func(b []byte) []byte { b[1] = 'X'; return b }), 0, "bad magic"},
		{"32-bit class", edit(func(b []byte) []byte { b[4] = 1; return b }), 4, "class ELFCLASS32, want ELFCLASS64"},
		{"little-endian", edit(func(b []byte) []byte { b[5] = 1; return b }), 5, "ELFDATA2LSB, want big-endian"},
		{"wrong machine", edit(func(b []byte) []byte { b[19] = 62; return b }), 18, "machine EM_X86_64, want EM_MIPS"},
		{"shared object", edit(func(b []byte) []byte { b[17] = 3; return b }), 16, "file type ET_DYN, want ET_EXEC"},
		{"bad ident version", edit(func(b []byte) []byte { b[6] = 0; return b }), 6, "ident version"},
		{"no program headers", edit(func(b []byte) []byte { b[56], b[57] = 0, 0; return b }), 56, "no program headers"},
		{"program header size", edit(func(b []byte) []byte { b[55] = 32; return b }), 54, "program header size 32, want 56"},
		{"segment reaches 2^48", seg(testSegment{typ: 1, vaddr: 1<<48 - 8, data: []byte{1}, memsz: 8}), ph + 16, "reaches 2^48"},
		{"segment beyond 2^48", seg(testSegment{typ: 1, vaddr: 1 << 50, data: []byte{1}}), ph + 16, "reaches 2^48"},
		{"segment reaches HEAP_START", seg(testSegment{typ: 1, vaddr: 0x1000_0000_0000 - 8, data: []byte{1}, memsz: 8}), ph + 16, "reaches HEAP_START"},
		{"segment inside the heap", seg(testSegment{typ: 1, vaddr: 0x1000_0000_0000, data: []byte{1}}), ph + 16, "reaches HEAP_START"},
		{"segment end overflows", seg(testSegment{typ: 1, vaddr: 0xFFFF_FFFF_FFFF_FFF0, data: []byte{1}, memsz: 0x20}), ph + 16, "overflows"},
		{"filesz > memsz", seg(testSegment{typ: 1, vaddr: 0x10000, data: make([]byte, 16), memsz: 8}), ph + 32, "filesz 0x10 > memsz 0x8"},
		{"non-LOAD zero-fill", seg(testSegment{typ: 4, vaddr: 0x10000, data: make([]byte, 8), memsz: 16}), ph + 32, "only PT_LOAD is zero-filled"},
		{"offset past EOF", seg(testSegment{typ: 1, vaddr: 0x10000, data: []byte{1}, off: 1 << 20}), ph + 8, "lies outside the"},
		{"offset overflows", seg(testSegment{typ: 1, vaddr: 0x10000, data: []byte{1}, filesz: 2, off: ^uint64(0)}), ph + 8, "lies outside the"},
		{"huge filesz", seg(testSegment{typ: 1, vaddr: 0x10000, data: []byte{1}, filesz: 1 << 40}), ph + 8, "lies outside the"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Load(tc.file)
			require.Nil(t, st)
			var le *LoadError
			require.True(t, errors.As(err, &le), "want *LoadError, got %T: %v", err, err)
			require.Contains(t, le.Msg, tc.msg)
			require.Equal(t, tc.offset, le.Offset, "offset (error: %v)", err)
			require.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestLoad_HugeBSSIsCheap(t *testing.T) {
	// 16 TiB - 64 KiB of zero-fill must not allocate it.
	elf := testELF(testEntry, []testSegment{{typ: 1, vaddr: 0x10000, data: []byte{1}, memsz: 0x1000_0000_0000 - 0x10001}})
	st, err := Load(elf)
	require.NoError(t, err)
	require.Equal(t, 6, st.Memory.PageCount())
	require.Equal(t, uint64(0x01)<<56, st.Memory.GetWord(0x10000))
	_ = binary.BigEndian
}
