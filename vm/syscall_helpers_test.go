package vm

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Shared fixtures of the syscall, scheduler, state and witness tests. Expectations in those
// tests are restated by hand from docs/spec.md; these helpers only build states.

const (
	scPC        = 0x1000             // pc of the syscall under test (upper half of its word)
	scData      = 0x2000             // a data word for syscalls that touch memory
	scHeap      = 0x1000_0000_0000   // HEAP_START, the initial heap
	scSyscall   = 0x0000000C         // SYSCALL
	scSyscall2  = 0x0000000C0000000C // two SYSCALLs in one word
	scCodeSize  = 0x400
	scPreStep   = 41
	scPreSwitch = 7
	scErrSignal = 0xFFFF_FFFF_FFFF_FFFF
)

// scThread is a thread at pc whose registers hold distinctive junk, so that a syscall that
// changes more than R2/R7 is caught.
func scThread(id, pc uint64) *Thread {
	t := &Thread{ThreadID: id, PC: pc, NextPC: pc + 4, LO: 0x10_0000_0000_0001, HI: 0x20_0000_0000_0002}
	for i := range t.Registers {
		t.Registers[i] = 0xA5A5_0000_0000_0000 | id<<16 | uint64(i)
	}
	return t
}

// scState is a one-thread state whose thread sits at a SYSCALL, with SYSCALLs filling
// [scPC, scPC+scCodeSize) so consecutive syscalls can run.
func scState() *State {
	mem := memory.New()
	for a := uint64(scPC); a < scPC+scCodeSize; a += 8 {
		mem.SetWord(a, scSyscall2)
	}
	return &State{
		Memory:                      mem,
		Heap:                        scHeap,
		Step:                        scPreStep,
		StepsSinceLastContextSwitch: scPreSwitch,
		LeftThreadStack:             []*Thread{scThread(0, scPC)},
		NextThreadID:                1,
	}
}

// scSetCall loads the syscall number and arguments into the active thread.
func scSetCall(s *State, num, a0, a1, a2 uint64) {
	t := s.ActiveThread()
	t.Registers[2], t.Registers[4], t.Registers[5], t.Registers[6] = num, a0, a1, a2
}

// scOK is the hand-written effect of a successful syscall on the calling thread.
func scOK(t *Thread, v0 uint64) {
	t.Registers[2], t.Registers[7] = v0, 0
	t.PC, t.NextPC = t.NextPC, t.NextPC+4
}

// scErr is the effect of a failed syscall (error convention B): v0 = errno, a3 = -1.
func scErr(t *Thread, errno uint64) {
	t.Registers[2], t.Registers[7] = errno, scErrSignal
	t.PC, t.NextPC = t.NextPC, t.NextPC+4
}

// scStepped applies the scheduler's share of an executed instruction.
func scStepped(s *State) {
	s.Step++
	s.StepsSinceLastContextSwitch++
}

// scRequireSameState compares two states field by field (readable diffs), then as witnesses
// (memory root and thread-stack roots included).
func scRequireSameState(t *testing.T, want, got *State) {
	t.Helper()
	require.Equal(t, want.LeftThreadStack, got.LeftThreadStack, "left thread stack")
	require.Equal(t, want.RightThreadStack, got.RightThreadStack, "right thread stack")
	require.Equal(t, want.TraverseRight, got.TraverseRight, "traverseRight")
	require.Equal(t, want.PreimageKey, got.PreimageKey, "preimage key")
	require.Equal(t, want.PreimageOffset, got.PreimageOffset, "preimage offset")
	require.Equal(t, want.Heap, got.Heap, "heap")
	require.Equal(t, want.LLReservationStatus, got.LLReservationStatus, "ll status")
	require.Equal(t, want.LLAddress, got.LLAddress, "ll address")
	require.Equal(t, want.LLOwnerThread, got.LLOwnerThread, "ll owner")
	require.Equal(t, want.Exited, got.Exited, "exited")
	require.Equal(t, want.ExitCode, got.ExitCode, "exit code")
	require.Equal(t, want.Step, got.Step, "step")
	require.Equal(t, want.StepsSinceLastContextSwitch, got.StepsSinceLastContextSwitch, "steps since switch")
	require.Equal(t, want.NextThreadID, got.NextThreadID, "next thread id")
	require.True(t, bytes.Equal(want.LastHint, got.LastHint), "last hint: want %x, got %x", want.LastHint, got.LastHint)
	require.Equal(t, want.Memory.Root(), got.Memory.Root(), "memory root")
	ww, gw := want.EncodeWitness(), got.EncodeWitness()
	require.Equal(t, ww, gw, "state witness")
}

// scCase is one syscall scenario: build prepares the pre-state (it is called twice, once for
// the VM and once for the expectation), expect turns the second copy into the hand-derived
// post-state.
type scCase struct {
	name           string
	num            uint64
	a0, a1, a2     uint64
	build          func(s *State)
	expect         func(s *State, th *Thread)
	oracle         PreimageOracle
	fault          FaultKind // non-empty: the step must fail with this kind
	noSchedulerInc bool      // expect sets step/counter itself
}

func scRun(t *testing.T, c scCase) {
	t.Helper()
	pre, want := scState(), scState()
	for _, s := range []*State{pre, want} {
		if c.build != nil {
			c.build(s)
		}
		scSetCall(s, c.num, c.a0, c.a1, c.a2)
	}
	v := New(pre, c.oracle, nil, nil)
	_, err := v.Step(false)
	if c.fault != "" {
		var f *Fault
		require.ErrorAs(t, err, &f)
		require.Equal(t, c.fault, f.Kind)
		require.Equal(t, uint64(scPreStep), f.Step)
		require.Equal(t, uint64(scPC), f.PC)
		require.Equal(t, uint32(scSyscall), f.Insn)
		return
	}
	require.NoError(t, err)
	if !c.noSchedulerInc {
		scStepped(want)
	}
	c.expect(want, want.ActiveThread())
	scRequireSameState(t, want, pre)
}
