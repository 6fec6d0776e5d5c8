package vm

import (
	"encoding/binary"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// initialSP is the initial stack pointer (HighMemoryStart, docs/spec.md §9.1 "Constants").
const initialSP = 0x0000_7FFF_FFFF_F000

// Offsets from sp of the strings the initial stack points to (docs/spec.md §9.3 "Initial stack").
const (
	spRandom = 80  // 16 bytes for AT_RANDOM
	spEnv    = 96  // envp[0], padded to 32 bytes
	spArgv0  = 128 // argv[0], padded to 16 bytes
)

// writeInitialStack lays out argc, argv, envp and auxv at sp the way a Go runtime expects
// them from Linux, and points the thread's $sp there.
func writeInitialStack(mem *memory.Memory, t *Thread) {
	const sp = initialSP
	// One page of initial data above sp and four for the stack to grow into: written as
	// zeros, which the tree cannot tell from absent pages, to mirror the reference loader.
	mem.SetBytes(sp-4*memory.PageSize, make([]byte, 5*memory.PageSize))
	t.Registers[regSP] = sp

	mem.SetBytes(sp+spRandom, []byte("4;byfairdiceroll"))
	mem.SetBytes(sp+spEnv, []byte("GODEBUG=memprofilerate=0\x00"))
	mem.SetBytes(sp+spArgv0, []byte("op-program\x00"))

	words := []uint64{
		1,            // argc
		sp + spArgv0, // argv[0]
		0,            // argv terminator
		sp + spEnv,   // envp[0]
		0,            // envp terminator
		6,            // AT_PAGESZ
		4096,         //   its value
		25,           // AT_RANDOM
		sp + spRandom,
		0, // AT_NULL; its value slot is the random bytes
	}
	var buf [8]byte
	for i, w := range words {
		binary.BigEndian.PutUint64(buf[:], w)
		mem.SetBytes(sp+uint64(8*i), buf[:])
	}
}
