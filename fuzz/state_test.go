package fuzz

import (
	"github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Where generated states keep their code and data. They are far apart so that data words
// rarely overwrite instructions, and both are below the 32-bit boundary so that J targets
// (which keep the region bits of the delay slot address) stay reachable.
const (
	codeBase = 0x0040_0000
	dataBase = 0x0010_0000
	heapEnd  = 0x0000_6000_0000_0000
)

// pointer is an address inside the data region, at any alignment.
func (s *source) pointer() uint64 { return dataBase + uint64(s.u16()%1024) }

// arg is a syscall argument: a small number, a value the syscall table singles out, a
// pointer into the data region, or any value.
func (s *source) arg() uint64 {
	switch s.byte() % 5 {
	case 0:
		return uint64(s.byte() % 16)
	case 1:
		special := []uint64{0x5_0F00, 128, 129, 0x80, 100, 5, 6, 0x1000, 0xFFF, heapEnd}
		return special[s.intn(len(special))]
	case 2, 3:
		return s.pointer()
	default:
		return s.value()
	}
}

// fillerThread has a distinct, nonzero value in every field, so a step that loses or mixes
// up a field cannot go unnoticed.
func fillerThread(id uint64) *vm.Thread {
	t := &vm.Thread{ThreadID: id, PC: codeBase + 0x100*id%0x1000, LO: 0x10 + id, HI: 0x20 + id}
	t.NextPC = t.PC + 4
	for i := range t.Registers {
		t.Registers[i] = uint64(i)*0x0101_0101_0101_0101 ^ id<<56
	}
	t.Registers[0] = 0
	return t
}

// genState builds a random pre-state: 1-3 threads spread over both stacks, the active one
// (returned) with a random pc (in or out of a delay slot) and random values in the
// registers regs, random HI/LO, LL reservation, counters and heap. Memory is empty; callers
// put the instruction and data words (putInsn, fillWords).
func genState(s *source, regs ...uint32) (*vm.State, *vm.Thread) {
	st := &vm.State{Memory: memory.New()}
	st.TraverseRight = s.bool()
	n := 1 + int(s.byte()%3)
	var threads []*vm.Thread
	for i := range n {
		id := uint64(i)
		if s.oneIn(8) {
			id = s.u64()
		}
		t := fillerThread(id)
		if i > 0 && s.oneIn(4) {
			t.Exited, t.ExitCode = true, s.byte()
		}
		threads = append(threads, t)
	}
	act := threads[0]
	act.PC = codeBase + 8*uint64(s.byte()%32) + 4*uint64(s.byte()&1)
	act.NextPC = act.PC + 4
	if s.oneIn(4) { // in a delay slot
		targets := []uint64{act.PC + 8, act.PC, codeBase + 8*uint64(s.byte()), s.u64() &^ 3, s.u64()}
		act.NextPC = targets[s.intn(len(targets))]
	}
	if s.oneIn(48) {
		act.PC |= uint64(1 + s.byte()%3)
	}
	act.HI, act.LO = s.value(), s.value()
	for _, r := range regs {
		act.Registers[r&31] = s.value()
	}
	if s.oneIn(8) {
		act.Registers[0] = s.value()
	}
	if s.oneIn(24) {
		act.Exited, act.ExitCode = true, s.byte()
	}
	// Others go on either stack, below the active thread on its own one.
	active, inactive := &st.LeftThreadStack, &st.RightThreadStack
	if st.TraverseRight {
		active, inactive = inactive, active
	}
	for _, t := range threads[1:] {
		if s.bool() {
			*active = append(*active, t)
		} else {
			*inactive = append(*inactive, t)
		}
	}
	if s.oneIn(40) { // empty active stack: the step must fail on both sides
		*inactive = append(*inactive, act)
	} else {
		*active = append(*active, act)
	}
	st.NextThreadID = uint64(n)
	if s.oneIn(8) {
		st.NextThreadID = s.u64()
	}

	st.Heap = 0x0000_1000_0000_0000 + uint64(s.u16())<<12
	if s.oneIn(4) {
		st.Heap = heapEnd - uint64(s.u16())
	}
	st.Step = uint64(s.u16())
	if s.oneIn(2) {
		st.Step = s.u64()
	}
	sinceSwitch := []uint64{0, 1, 7, vm.SchedQuantum - 1, vm.SchedQuantum, vm.SchedQuantum + 1, s.u64()}
	st.StepsSinceLastContextSwitch = sinceSwitch[s.intn(len(sinceSwitch))]
	if s.oneIn(2) && st.StepsSinceLastContextSwitch >= vm.SchedQuantum {
		st.StepsSinceLastContextSwitch = uint64(s.byte())
	}
	st.LLReservationStatus = s.byte() % 3
	if s.oneIn(16) {
		st.LLReservationStatus = s.byte()
	}
	st.LLAddress = s.pointer()
	st.LLOwnerThread = act.ThreadID
	if s.oneIn(4) {
		st.LLOwnerThread = s.value()
	}
	st.PreimageKey = [32]byte(s.bytes(32))
	st.PreimageOffset = s.value()
	st.ExitCode = s.byte()
	if s.oneIn(32) {
		st.Exited = true
	}
	return st, act
}

// putInsn writes insn at pc (the half of the 8-byte word that pc&4 selects).
func putInsn(m *memory.Memory, pc uint64, insn uint32) {
	a := pc &^ 7
	w := m.GetWord(a)
	if pc&4 == 0 {
		w = w&0xFFFF_FFFF | uint64(insn)<<32
	} else {
		w = w&^0xFFFF_FFFF | uint64(insn)
	}
	m.SetWord(a, w)
}

// fillWords gives the 8-byte words at, before and after addr random contents.
func fillWords(s *source, m *memory.Memory, addr uint64) {
	a := addr &^ 7
	for _, w := range []uint64{a - 8, a, a + 8} {
		m.SetWord(w, s.value())
	}
}
