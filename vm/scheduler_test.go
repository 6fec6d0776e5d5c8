package vm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Scheduler behaviour of docs/spec.md §4 "One step: the scheduler". Threads execute getpid
// (5038) or sched_yield (5023) so that these tests only depend on the syscall path.

// schedPair returns the VM state and an independent copy for the expectation.
func schedPair(build func(s *State)) (pre, want *State) {
	pre, want = scState(), scState()
	build(pre)
	build(want)
	return pre, want
}

func schedStep(t *testing.T, s *State) {
	t.Helper()
	_, err := New(s, nil, nil, nil).Step(false)
	require.NoError(t, err)
}

func TestScheduler_Quantum(t *testing.T) {
	t.Run("counter 99_999 still executes", func(t *testing.T) {
		pre, want := schedPair(func(s *State) {
			s.StepsSinceLastContextSwitch = 99_999
			scSetCall(s, 5038, 0, 0, 0)
		})
		schedStep(t, pre)
		want.Step, want.StepsSinceLastContextSwitch = scPreStep+1, 100_000
		scOK(want.ActiveThread(), 0)
		scRequireSameState(t, want, pre)
	})
	t.Run("counter 100_000 preempts a single thread: flip, same thread again", func(t *testing.T) {
		pre, want := schedPair(func(s *State) {
			s.StepsSinceLastContextSwitch = 100_000
			scSetCall(s, 5038, 0, 0, 0)
		})
		schedStep(t, pre)
		// No instruction: the thread (pc, R2 = 5038) moves unchanged to the right stack.
		want.Step = scPreStep + 1
		scMoveToRight(want)
		require.True(t, want.TraverseRight)
		scRequireSameState(t, want, pre)
		require.Equal(t, uint64(0), pre.ActiveThread().ThreadID)
	})
	t.Run("counter above the quantum preempts too", func(t *testing.T) {
		pre, want := schedPair(func(s *State) { s.StepsSinceLastContextSwitch = 0xFFFF_FFFF_FFFF_FFFF; scBelow(s) })
		schedStep(t, pre)
		want.Step = scPreStep + 1
		scMoveToRight(want)
		require.False(t, want.TraverseRight)
		scRequireSameState(t, want, pre)
		require.Equal(t, uint64(9), pre.ActiveThread().ThreadID)
	})
	t.Run("traversing right, preemption pushes onto the left", func(t *testing.T) {
		pre, want := schedPair(func(s *State) {
			s.RightThreadStack = []*Thread{scThread(9, 0x8000), scThread(0, scPC)}
			s.LeftThreadStack = []*Thread{scThread(8, 0x9000)}
			s.TraverseRight = true
			s.StepsSinceLastContextSwitch = 100_000
		})
		schedStep(t, pre)
		want.Step, want.StepsSinceLastContextSwitch = scPreStep+1, 0
		want.LeftThreadStack = append(want.LeftThreadStack, want.RightThreadStack[1])
		want.RightThreadStack = want.RightThreadStack[:1]
		scRequireSameState(t, want, pre)
	})
}

func TestScheduler_Pop(t *testing.T) {
	t.Run("pop that empties the stack flips", func(t *testing.T) {
		pre, want := schedPair(func(s *State) {
			s.ActiveThread().Exited = true
			scOnRight(s)
		})
		schedStep(t, pre)
		want.Step, want.StepsSinceLastContextSwitch = scPreStep+1, 0
		want.LeftThreadStack = []*Thread{}
		want.TraverseRight = true
		scRequireSameState(t, want, pre)
		require.Equal(t, uint64(8), pre.ActiveThread().ThreadID)
	})
	t.Run("pop with a thread below, counter at the quantum: pop wins", func(t *testing.T) {
		pre, want := schedPair(func(s *State) {
			s.ActiveThread().Exited = true
			s.StepsSinceLastContextSwitch = 100_000
			scBelow(s)
		})
		schedStep(t, pre)
		want.Step, want.StepsSinceLastContextSwitch = scPreStep+1, 0
		want.LeftThreadStack = want.LeftThreadStack[:1]
		scRequireSameState(t, want, pre)
	})
	t.Run("pop of the very last thread faults after the step", func(t *testing.T) {
		s := scState()
		s.ActiveThread().Exited = true
		_, err := New(s, nil, nil, nil).Step(false)
		var f *Fault
		require.ErrorAs(t, err, &f)
		require.Equal(t, FaultEmptyThreadStack, f.Kind)
		require.Equal(t, uint64(scPreStep), f.Step)
	})
	t.Run("an exited thread below the top is not popped", func(t *testing.T) {
		pre, want := schedPair(func(s *State) {
			s.LeftThreadStack = append([]*Thread{scThread(9, 0x8000)}, s.LeftThreadStack...)
			s.LeftThreadStack[0].Exited = true
			s.NextThreadID = 10
			scSetCall(s, 5038, 0, 0, 0)
		})
		schedStep(t, pre)
		scStepped(want)
		scOK(want.ActiveThread(), 0)
		scRequireSameState(t, want, pre)
	})
}

func TestScheduler_CloneRunsChildNext(t *testing.T) {
	s := scState()
	s.StepsSinceLastContextSwitch = 50
	v := New(s, nil, nil, nil)
	scSetCall(s, 5055, 0x50F00, 0x7000_0000, 0)
	_, err := v.Step(false)
	require.NoError(t, err)
	require.Equal(t, uint64(0), s.StepsSinceLastContextSwitch)
	child := s.ActiveThread()
	require.Equal(t, uint64(1), child.ThreadID)
	require.Len(t, s.LeftThreadStack, 2)

	child.Registers[2] = 5178 // gettid
	_, err = v.Step(false)
	require.NoError(t, err)
	require.Same(t, child, s.ActiveThread())
	require.Equal(t, uint64(1), child.Registers[2])
	require.Equal(t, uint64(0x1008), child.PC)
	require.Equal(t, uint64(1), s.StepsSinceLastContextSwitch)
	require.Equal(t, uint64(scPreStep+2), s.Step)
}

// TestScheduler_Traversal checks the order of SPEC-VM "Thread Traversal Mechanics": with
// threads 0..3 on the left stack (0 on top), successive context switches run
// 0,1,2,3,3,2,1,0,0,1.
func TestScheduler_Traversal(t *testing.T) {
	want := []uint64{0, 1, 2, 3, 3, 2, 1, 0, 0, 1}
	build := func() *State {
		s := scState()
		s.LeftThreadStack = []*Thread{scThread(3, scPC), scThread(2, scPC), scThread(1, scPC), scThread(0, scPC)}
		s.NextThreadID = 4
		return s
	}
	t.Run("sched_yield", func(t *testing.T) {
		s := build()
		v := New(s, nil, nil, nil)
		var got []uint64
		for range want {
			th := s.ActiveThread()
			got = append(got, th.ThreadID)
			th.Registers[2] = 5023
			_, err := v.Step(false)
			require.NoError(t, err)
		}
		require.Equal(t, want, got)
	})
	t.Run("forced preemption", func(t *testing.T) {
		s := build()
		v := New(s, nil, nil, nil)
		var got []uint64
		for range want {
			got = append(got, s.ActiveThread().ThreadID)
			s.StepsSinceLastContextSwitch = 100_000
			_, err := v.Step(false)
			require.NoError(t, err)
		}
		require.Equal(t, want, got)
	})
}

func TestScheduler_YieldInactiveStack(t *testing.T) {
	t.Run("inactive stack empty: flip, same thread", func(t *testing.T) {
		pre, want := schedPair(func(s *State) { scSetCall(s, 5023, 0, 0, 0) })
		schedStep(t, pre)
		scStepped(want)
		scOK(want.ActiveThread(), 0)
		scMoveToRight(want)
		scRequireSameState(t, want, pre)
		require.Equal(t, uint64(0), pre.ActiveThread().ThreadID)
	})
	t.Run("inactive stack not empty: the yielder lands on top of it and runs again", func(t *testing.T) {
		pre, want := schedPair(func(s *State) { scOnRight(s); scSetCall(s, 5023, 0, 0, 0) })
		schedStep(t, pre)
		scStepped(want)
		th := want.ActiveThread()
		scOK(th, 0)
		scMoveToRight(want)
		require.Equal(t, []*Thread{scThread(8, 0x9000), th}, want.RightThreadStack)
		scRequireSameState(t, want, pre)
		require.Equal(t, uint64(0), pre.ActiveThread().ThreadID)
	})
	t.Run("thread below: no flip, the next thread runs", func(t *testing.T) {
		pre, want := schedPair(func(s *State) { scBelow(s); scSetCall(s, 5023, 0, 0, 0) })
		schedStep(t, pre)
		scStepped(want)
		scOK(want.ActiveThread(), 0)
		scMoveToRight(want)
		scRequireSameState(t, want, pre)
		require.False(t, pre.TraverseRight)
		require.Equal(t, uint64(9), pre.ActiveThread().ThreadID)
	})
}

func TestScheduler_ExitedVM(t *testing.T) {
	pre, want := schedPair(func(s *State) {
		s.Exited, s.ExitCode = true, 1
		scSetCall(s, 5038, 0, 0, 0)
	})
	wit, err := New(pre, nil, nil, nil).Step(true)
	require.NoError(t, err)
	scRequireSameState(t, want, pre) // no step increment, nothing executed
	w := want.EncodeWitness()
	require.Equal(t, w[:], wit.State)
	require.Len(t, wit.Proof, 6090)
	enc := EncodeThread(want.ActiveThread())
	require.Equal(t, enc[:], wit.Proof[:298])
	require.False(t, wit.HasPreimage)

	_, err = New(pre, nil, nil, nil).Step(false)
	require.NoError(t, err)
	scRequireSameState(t, want, pre)
}

func TestScheduler_EmptyActiveStack(t *testing.T) {
	cases := []struct {
		name  string
		build func(s *State)
	}{
		{"left active, left empty", func(s *State) { s.RightThreadStack, s.LeftThreadStack = s.LeftThreadStack, nil }},
		{"right active, right empty", func(s *State) { s.TraverseRight = true }},
		{"no threads at all", func(s *State) { s.LeftThreadStack = nil }},
		// MIPS64.step runs its post-state check after the exited early return as well.
		{"exited VM with an empty active stack", func(s *State) { s.Exited = true; s.TraverseRight = true }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := scState()
			c.build(s)
			for _, proof := range []bool{false, true} {
				_, err := New(s, nil, nil, nil).Step(proof)
				var f *Fault
				require.ErrorAs(t, err, &f)
				require.Equal(t, FaultEmptyThreadStack, f.Kind)
				require.Equal(t, uint64(scPreStep), f.Step)
				require.Equal(t, uint64(scPreStep), s.Step, "no step increment")
			}
		})
	}
}
