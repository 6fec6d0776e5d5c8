package check

import (
	"testing"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
	"github.com/stretchr/testify/require"
)

func TestClassify(t *testing.T) {
	state := func(insn uint32, regs map[int]uint64, edit func(*fpvm.State, *fpvm.Thread)) *fpvm.State {
		m := memory.New()
		m.SetWord(0x1000, uint64(insn)<<32)
		th := &fpvm.Thread{PC: 0x1000, NextPC: 0x1004}
		for r, v := range regs {
			th.Registers[r] = v
		}
		s := &fpvm.State{Memory: m, LeftThreadStack: []*fpvm.Thread{th}}
		if edit != nil {
			edit(s, th)
		}
		return s
	}
	cases := []struct {
		s    *fpvm.State
		want string
	}{
		{state(0x24080005, nil, nil), "addiu"},
		{state(0x10850003, map[int]uint64{4: 1, 5: 1}, nil), "beq/taken"},
		{state(0x10850003, map[int]uint64{4: 1, 5: 2}, nil), "beq/not-taken"},
		{state(0x0441FFFF, map[int]uint64{2: 1 << 63}, nil), "bgez/not-taken"},
		{state(0x10850003, nil, func(_ *fpvm.State, th *fpvm.Thread) { th.NextPC = 0x2000 }), "beq/in-delay-slot"},
		{state(0x0000000C, map[int]uint64{2: 5000, 4: 5, 6: 8}, nil), "syscall/read/fd5"},
		{state(0x0000000C, map[int]uint64{2: 5000, 4: 5}, nil), "syscall/read/fd5/count0"},
		{state(0x0000000C, map[int]uint64{2: 5194, 5: 128}, nil), "syscall/futex/wait"},
		{state(0x0000000C, map[int]uint64{2: 5222, 4: 1, 5: 0x18}, nil), "syscall/clock_gettime/clk1/split-leaf"},
		{state(0x0000000C, map[int]uint64{2: 5058}, nil), "syscall/exit/last-thread"},
		{state(0x0000000C, map[int]uint64{2: 9999}, nil), "syscall/9999"},
		{state(0xE0C50004, map[int]uint64{6: 0x100}, func(s *fpvm.State, _ *fpvm.Thread) {
			s.LLReservationStatus, s.LLAddress = 1, 0x104
		}), "sc/success"},
		{state(0xE0C50004, map[int]uint64{6: 0x100}, nil), "sc/fail"},
		{state(0x0000001A, nil, nil), "div/by-zero"},
		{state(0, nil, func(_ *fpvm.State, th *fpvm.Thread) { th.Exited = true }), "sched/pop"},
		{state(0, nil, func(s *fpvm.State, _ *fpvm.Thread) { s.StepsSinceLastContextSwitch = fpvm.SchedQuantum }), "sched/preempt"},
		{state(0, nil, func(s *fpvm.State, _ *fpvm.Thread) { s.Exited = true }), "sched/exited-vm"},
		{state(0, nil, func(_ *fpvm.State, th *fpvm.Thread) { th.PC = 0x1002 }), "exception/misaligned-pc"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, Classify(OurView(c.s)))
	}
}
