package vm

import (
	"testing"
)

// scMoveToRight is the hand-written preemption of the top of the left stack onto the right
// stack; the direction flips when the left stack becomes empty.
func scMoveToRight(s *State) {
	th := s.LeftThreadStack[len(s.LeftThreadStack)-1]
	s.LeftThreadStack = s.LeftThreadStack[:len(s.LeftThreadStack)-1]
	s.RightThreadStack = append(s.RightThreadStack, th)
	if len(s.LeftThreadStack) == 0 {
		s.TraverseRight = true
	}
	s.StepsSinceLastContextSwitch = 0
}

// scBelow puts another thread under the active one on the left stack.
func scBelow(s *State) {
	s.LeftThreadStack = append([]*Thread{scThread(9, 0x8000)}, s.LeftThreadStack...)
	s.NextThreadID = 10
}

// scOnRight puts a thread on the right stack.
func scOnRight(s *State) {
	s.RightThreadStack = []*Thread{scThread(8, 0x9000)}
	s.NextThreadID = 10
}

func TestSyscall_Clone(t *testing.T) {
	const stack = 0x7000_1230
	child := func(parent *Thread, id uint64) *Thread {
		c := *parent // the parent's registers before the syscall returns
		c.ThreadID, c.ExitCode, c.Exited = id, 0, false
		c.PC, c.NextPC = 0x1004, 0x1008
		c.Registers[29], c.Registers[2], c.Registers[7] = stack, 0, 0
		return &c
	}
	cases := []scCase{
		{name: "valid flags", num: 5055, a0: 0x50F00, a1: stack, a2: 0x77,
			build: func(s *State) { s.NextThreadID = 5; s.ActiveThread().ExitCode = 3 },
			expect: func(s *State, th *Thread) {
				c := child(th, 5)
				scOK(th, 5)
				s.LeftThreadStack = append(s.LeftThreadStack, c)
				s.NextThreadID = 6
				s.StepsSinceLastContextSwitch = 0
			}},
		{name: "valid flags, traversing right", num: 5055, a0: 0x50F00, a1: stack,
			build: func(s *State) {
				s.RightThreadStack = s.LeftThreadStack
				s.LeftThreadStack = []*Thread{scThread(3, 0x9000)}
				s.TraverseRight = true
				s.NextThreadID = 4
			},
			expect: func(s *State, th *Thread) {
				c := child(th, 4)
				scOK(th, 4)
				s.RightThreadStack = append(s.RightThreadStack, c)
				s.NextThreadID = 5
				s.StepsSinceLastContextSwitch = 0
			}},
		{name: "in a delay slot: the child starts at the branch target", num: 5055, a0: 0x50F00, a1: stack,
			build: func(s *State) { s.ActiveThread().NextPC = 0x3000 },
			expect: func(s *State, th *Thread) {
				c := child(th, 1)
				c.PC, c.NextPC = 0x3000, 0x3004
				scOK(th, 1)
				s.LeftThreadStack = append(s.LeftThreadStack, c)
				s.NextThreadID = 2
				s.StepsSinceLastContextSwitch = 0
			}},
		{name: "one extra flag bit panics the VM", num: 5055, a0: 0x50F01, a1: stack,
			expect: func(s *State, th *Thread) { s.Exited, s.ExitCode = true, 2 }},
		{name: "flags 0 panics the VM", num: 5055, a0: 0, a1: stack,
			expect: func(s *State, th *Thread) { s.Exited, s.ExitCode = true, 2 }},
		{name: "flags compared as 64 bits", num: 5055, a0: 0x1_0005_0F00, a1: stack,
			expect: func(s *State, th *Thread) { s.Exited, s.ExitCode = true, 2 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
}

func TestSyscall_Exit(t *testing.T) {
	cases := []scCase{
		{name: "exit_group keeps the thread as is", num: 5205, a0: 0x1FF, build: scBelow,
			expect: func(s *State, th *Thread) { s.Exited, s.ExitCode = true, 0xFF }},
		{name: "exit_group with code 0x100 is status valid", num: 5205, a0: 0x100,
			expect: func(s *State, th *Thread) { s.Exited, s.ExitCode = true, 0 }},
		{name: "exit of the last thread ends the VM", num: 5058, a0: 0x101,
			expect: func(s *State, th *Thread) {
				th.Exited, th.ExitCode = true, 1
				s.Exited, s.ExitCode = true, 1
			}},
		{name: "exit with another thread below", num: 5058, a0: 0x42, build: scBelow,
			expect: func(s *State, th *Thread) { th.Exited, th.ExitCode = true, 0x42 }},
		{name: "exit with another thread on the other stack", num: 5058, a0: 0x42, build: scOnRight,
			expect: func(s *State, th *Thread) { th.Exited, th.ExitCode = true, 0x42 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
}

func TestSyscall_Yield(t *testing.T) {
	var cases []scCase
	for _, num := range []uint64{5023, 5034} {
		cases = append(cases,
			scCase{name: fmtNum(num) + " single thread flips and stays active", num: num, a0: scData,
				expect: func(s *State, th *Thread) { scOK(th, 0); scMoveToRight(s) }},
			scCase{name: fmtNum(num) + " with a thread below", num: num, build: scBelow,
				expect: func(s *State, th *Thread) { scOK(th, 0); scMoveToRight(s) }},
			scCase{name: fmtNum(num) + " traversing right", num: num,
				build: func(s *State) {
					s.RightThreadStack = append([]*Thread{scThread(9, 0x8000)}, s.LeftThreadStack...)
					s.LeftThreadStack = []*Thread{scThread(8, 0x9000)}
					s.TraverseRight = true
				},
				expect: func(s *State, th *Thread) {
					scOK(th, 0)
					s.RightThreadStack = s.RightThreadStack[:1]
					s.LeftThreadStack = append(s.LeftThreadStack, th)
					s.StepsSinceLastContextSwitch = 0
				}},
		)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
}

func TestSyscall_Futex(t *testing.T) {
	// Upper half 0x00000001, lower half 0xFFFFFFFF.
	word := func(s *State) { s.Memory.SetWord(scData, 0x0000_0001_FFFF_FFFF) }
	wordBelow := func(s *State) { word(s); scBelow(s) }
	yielded := func(s *State, th *Thread) { scOK(th, 0); scMoveToRight(s) }
	eagain := func(s *State, th *Thread) { scErr(th, 11) }
	einval := func(s *State, th *Thread) { scErr(th, 22) }
	cases := []scCase{
		{name: "wait, upper half equal", num: 5194, a0: scData, a1: 128, a2: 1, build: word, expect: yielded},
		{name: "wait, only low 32 bits of a2 compared", num: 5194, a0: scData, a1: 128, a2: 0xFFFF_FFFF_0000_0001, build: wordBelow, expect: yielded},
		{name: "wait, low 2 address bits ignored", num: 5194, a0: scData + 3, a1: 128, a2: 1, build: word, expect: yielded},
		{name: "wait, lower half equal", num: 5194, a0: scData + 4, a1: 128, a2: 0xFFFF_FFFF, build: word, expect: yielded},
		{name: "wait, lower half via +7", num: 5194, a0: scData + 7, a1: 128, a2: 0xFFFF_FFFF, build: word, expect: yielded},
		{name: "wait, lower half compared zero-extended", num: 5194, a0: scData + 4, a1: 128, a2: 0xFFFF_FFFF_FFFF_FFFF, build: word, expect: yielded},
		{name: "wait, mismatch is EAGAIN without yielding", num: 5194, a0: scData + 4, a1: 128, a2: 1, build: wordBelow, expect: eagain},
		{name: "wait, upper half mismatch", num: 5194, a0: scData, a1: 128, a2: 0xFFFF_FFFF, build: word, expect: eagain},
		{name: "wait on absent memory reads 0", num: 5194, a0: 0x5000_0000, a1: 128, a2: 0, expect: yielded},
		{name: "wake", num: 5194, a0: scData, a1: 129, build: wordBelow, expect: yielded},
		{name: "FUTEX_WAIT without private flag", num: 5194, a0: scData, a1: 0, a2: 1, build: word, expect: einval},
		{name: "FUTEX_WAKE without private flag", num: 5194, a0: scData, a1: 1, build: word, expect: einval},
		{name: "wait with clock flag", num: 5194, a0: scData, a1: 128 | 256, a2: 1, build: word, expect: einval},
		{name: "op compared as 64 bits", num: 5194, a0: scData, a1: 0x1_0000_0081, build: word, expect: einval},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
}
