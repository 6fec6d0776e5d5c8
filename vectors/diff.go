package vectors

import (
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// diffStates lists, field by field, where got differs from want: state fields, the thread
// layout, every field of every thread, and memory: the root, and the words at the candidate
// addresses (listed by the vector or addressed by the step).
func diffStates(want, got *vm.State, cand []uint64) []string {
	var out []string
	cmp := func(name string, w, g uint64) {
		if w != g {
			out = append(out, fmt.Sprintf("%-28s want=0x%x got=0x%x", name, w, g))
		}
	}
	b := func(v bool) uint64 {
		if v {
			return 1
		}
		return 0
	}
	if want.PreimageKey != got.PreimageKey {
		out = append(out, fmt.Sprintf("%-28s want=0x%x got=0x%x", "preimageKey", want.PreimageKey, got.PreimageKey))
	}
	cmp("preimageOffset", want.PreimageOffset, got.PreimageOffset)
	cmp("heap", want.Heap, got.Heap)
	cmp("llReservationStatus", uint64(want.LLReservationStatus), uint64(got.LLReservationStatus))
	cmp("llAddress", want.LLAddress, got.LLAddress)
	cmp("llOwnerThread", want.LLOwnerThread, got.LLOwnerThread)
	cmp("exitCode", uint64(want.ExitCode), uint64(got.ExitCode))
	cmp("exited", b(want.Exited), b(got.Exited))
	cmp("step", want.Step, got.Step)
	cmp("stepsSinceLastContextSwitch", want.StepsSinceLastContextSwitch, got.StepsSinceLastContextSwitch)
	cmp("traverseRight", b(want.TraverseRight), b(got.TraverseRight))
	cmp("nextThreadID", want.NextThreadID, got.NextThreadID)
	ids := func(st []*vm.Thread) []uint64 {
		var o []uint64
		for _, t := range st {
			o = append(o, t.ThreadID)
		}
		return o
	}
	if fmt.Sprint(ids(want.LeftThreadStack)) != fmt.Sprint(ids(got.LeftThreadStack)) {
		out = append(out, fmt.Sprintf("%-28s want=%v got=%v", "left stack (ids)", ids(want.LeftThreadStack), ids(got.LeftThreadStack)))
	}
	if fmt.Sprint(ids(want.RightThreadStack)) != fmt.Sprint(ids(got.RightThreadStack)) {
		out = append(out, fmt.Sprintf("%-28s want=%v got=%v", "right stack (ids)", ids(want.RightThreadStack), ids(got.RightThreadStack)))
	}
	gotByID := map[uint64]*vm.Thread{}
	for _, t := range append(append([]*vm.Thread{}, got.LeftThreadStack...), got.RightThreadStack...) {
		gotByID[t.ThreadID] = t
	}
	for _, w := range append(append([]*vm.Thread{}, want.LeftThreadStack...), want.RightThreadStack...) {
		g, ok := gotByID[w.ThreadID]
		if !ok {
			continue
		}
		p := fmt.Sprintf("thread %d ", w.ThreadID)
		cmp(p+"pc", w.PC, g.PC)
		cmp(p+"nextPC", w.NextPC, g.NextPC)
		cmp(p+"hi", w.HI, g.HI)
		cmp(p+"lo", w.LO, g.LO)
		cmp(p+"exited", b(w.Exited), b(g.Exited))
		cmp(p+"exitCode", uint64(w.ExitCode), uint64(g.ExitCode))
		for r := range 32 {
			cmp(p+regName(r), w.Registers[r], g.Registers[r])
		}
	}
	if want.Memory.Root() != got.Memory.Root() {
		diffs := memoryDiff(want, got, cand)
		out = append(out, diffs...)
		if len(diffs) == 0 {
			out = append(out, "memory root differs at a word outside the listed and addressed ones")
		}
	}
	return out
}

// memoryDiff compares the words at the candidate addresses (the memory has no page listing).
func memoryDiff(want, got *vm.State, cand []uint64) []string {
	var out []string
	seen := map[uint64]bool{}
	sort.Slice(cand, func(i, j int) bool { return cand[i] < cand[j] })
	for _, a := range cand {
		a &^= 7
		if seen[a] {
			continue
		}
		seen[a] = true
		w, g := want.Memory.GetWord(a), got.Memory.GetWord(a)
		if w != g {
			out = append(out, fmt.Sprintf("%-28s want=0x%016x got=0x%016x", fmt.Sprintf("mem[0x%x]", a), w, g))
		}
	}
	return out
}

// evmThreadDiff decodes the thread the step contract hashed last (evmharness.EVMOutcome.Thread,
// docs/spec.md §2.2 "Thread record") against the thread with the same id in ref, so a
// failing vector names the thread fields behind a wrong stack root, as `fpvmdiff run` does.
// ref is the expected post-state, or the pre-state when the step should have failed. It
// says nothing when the contract hashed no thread or a thread ref does not hold.
func evmThreadDiff(ref *vm.State, evmThread []byte, refName string) []string {
	if len(evmThread) != check.ThreadSize {
		return nil
	}
	id := binary.BigEndian.Uint64(evmThread[:8])
	var th *vm.Thread
	for _, t := range append(append([]*vm.Thread(nil), ref.LeftThreadStack...), ref.RightThreadStack...) {
		if t.ThreadID == id {
			th = t
		}
	}
	if th == nil {
		return nil
	}
	enc := vm.EncodeThread(th)
	var out []string
	for _, d := range check.DiffThreads(enc[:], evmThread) {
		out = append(out, fmt.Sprintf("evm: %-28s %s=%s evm=%s", fmt.Sprintf("thread %d %s", id, d.Field), refName, d.Go, d.EVM))
	}
	return out
}
