package fuzz

import "testing"

// validOps are primary opcodes of docs/spec.md §5.2 "Primary opcodes" that are not always
// invalid; a random word has them only one time in two, so half of the inputs get one forced
// in.
var validOps = []uint32{
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
	0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29,
	0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x33, 0x34, 0x37, 0x38, 0x3C, 0x3F,
}

// FuzzInstruction: a random instruction word in a random state (registers, HI/LO, pc in or
// out of a delay slot, memory around the effective address, LL reservation, 1-3 threads on
// both stacks, traverseRight), one Go step against the EVM step.
func FuzzInstruction(f *testing.F) {
	for _, insn := range []uint32{
		0x24080005, // addiu t0, zero, 5
		0x0000000F, // sync
		0x00851018, // mult a0, a1 (rd = v0: the rd≠0 quirk)
		0x0085001A, // div a0, a1
		0x0085001E, // ddiv a0, a1
		0x70851024, // dclz
		0x88A4FFFD, // lwl a0, -3(a1)
		0x98A40007, // lwr a0, 7(a1)
		0x68A40001, // ldl
		0xB4A40006, // sdr
		0xC0A40000, // ll a0, 0(a1)
		0xE0A40000, // sc a0, 0(a1)
		0xD0A40004, // lld
		0xF0A40004, // scd
		0x10850003, // beq a0, a1, +3
		0x0411FFFF, // bgezal zero, -1
		0x08100000, // j
		0x00A0F809, // jalr a1
		0xBCA40000, // cache (invalid after the memory read)
		0x7C000000, // special3 (invalid)
	} {
		f.Add(insn, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	}
	f.Fuzz(checkInstruction)
}

func checkInstruction(t *testing.T, insn uint32, data []byte) {
	s := newSource(data)
	if s.bool() {
		insn = insn&0x03FF_FFFF | validOps[s.intn(len(validOps))]<<26
	}
	rs, rt, rd := insn>>21&31, insn>>16&31, insn>>11&31
	st, act := genState(s, rs, rt, rd, 31)
	// Most loads and stores should hit the data words filled below.
	if !s.oneIn(4) {
		act.Registers[rs] = s.pointer() - uint64(int64(int16(uint16(insn))))
	}
	ea := act.Registers[rs] + uint64(int64(int16(uint16(insn))))
	fillWords(s, st.Memory, ea)
	switch s.byte() % 4 {
	case 0:
		st.LLAddress = ea
	case 1:
		st.LLAddress = ea ^ uint64(s.byte()%8)
	}
	putInsn(st.Memory, act.PC, insn)
	newStepper(t, st, nil).step()
}
