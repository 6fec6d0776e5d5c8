package fuzz

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// step() calldata layout (docs/spec.md §10 "The step() call"), absolute offsets.
const (
	cdHeads    = 4   // two ABI offset words, then the local context
	cdStateLen = 100 // length word of _stateData
	cdState    = 132
	cdExited   = cdState + 98
	cdStateEnd = cdState + vm.StateWitnessSize
	cdProofLen = 324
	cdThread   = 356
	cdInner    = cdThread + vm.ThreadWitnessSize
	cdSlots    = cdInner + 32
	cdProofEnd = cdThread + vm.ProofSize
)

// Corruptions of the calldata of a valid step.
const (
	corruptTruncate = iota
	corruptHead
	corruptLength
	corruptExited
	corruptThread
	corruptInner
	corruptSlot
	corruptAnyOutsideState
	numCorruptions
)

// calldataSteps are steps whose witnesses use different parts of the proof: slot 0 only,
// slot 1 (load, store, SC), slot 2 (clock_gettime), a pre-image read and a thread switch.
var calldataSteps = []struct {
	insn uint32
	v0   uint64
}{
	{0x24080005, 0}, // addiu: slot 0
	{0x8CA40000, 0}, // lw a0, 0(a1): slot 1
	{0xFCA40000, 0}, // sd a0, 0(a1)
	{0xE0A40000, 0}, // sc a0, 0(a1)
	{0x0C, 5222},    // clock_gettime(a0, a1): slots 1 and 2
	{0x0C, 5000},    // read(a0, a1, a2)
	{0x0C, 5023},    // sched_yield
	{0x0C, 5194},    // futex
	{0x0C, 5313},    // getrandom
	{0x00000000, 0}, // nop
}

// FuzzCalldata: a valid witness whose calldata is then corrupted (truncated, a byte of the
// ABI heads, a length, the exited byte, the thread witness, the inner root or a proof slot
// changed). The EVM must revert, or succeed with the Go post-state of the uncorrupted step
// (possible only when unused bytes were hit). A corruption inside the witness bytes is also
// replayed statelessly on the Go side (vm.ReplayWitness), which must agree with the EVM.
func FuzzCalldata(f *testing.F) {
	for i := range calldataSteps {
		for k := range uint8(numCorruptions) {
			f.Add(uint8(i), k, uint16(37*i+11*int(k)), uint8(1+k), []byte{byte(i), 1, 2, 3})
		}
	}
	f.Fuzz(checkCalldata)
}

func checkCalldata(t *testing.T, which, kind uint8, pos uint16, val uint8, data []byte) {
	s := newSource(data)
	c := calldataSteps[int(which)%len(calldataSteps)]
	st, act := genState(s, 4, 5, 6)
	oracle := withPreimage(s, st)
	if c.v0 == 5000 {
		act.Registers[4] = 5 // the pre-image fd
	}
	if c.v0 == 5222 {
		act.Registers[4] = uint64(s.byte() % 2)
	}
	if c.insn == 0x0C {
		act.Registers[2] = c.v0
	}
	if s.bool() {
		act.Registers[5] = s.pointer()
		act.Registers[4] = max(act.Registers[4], dataBase+uint64(s.byte()))
	}
	fillWords(s, st.Memory, act.Registers[4])
	fillWords(s, st.Memory, act.Registers[5])
	putInsn(st.Memory, act.PC, c.insn)
	p := newStepper(t, st, oracle)
	in := p.goStep()
	// The uncorrupted step must agree first; this also loads the pre-image part.
	if rep := check.CheckStep(p.sess, in); !rep.Agree() {
		t.Fatalf("uncorrupted step: Go and EVM disagree: %v\n%s%s", rep.Mismatches, describeOutcome(in, rep.EVM), describeInput(in))
	}
	cd := evmharness.StepCalldata(in.State, in.Proof)
	cd, witnessOnly := corrupt(cd, kind%numCorruptions, int(pos), val)
	res := p.sess.Call(p.sess.MIPS, cd, nil)
	var evmPost []byte
	if !res.Reverted && len(res.Logs) == 1 {
		evmPost = res.Logs[0].Data
	}
	if !res.Reverted && len(res.Logs) != 1 {
		t.Fatalf("corrupted step succeeded with %d logs", len(res.Logs))
	}
	if !res.Reverted && (in.GoErr != nil || !bytes.Equal(evmPost, in.GoPost)) {
		t.Fatalf("corruption %d at %d (0x%02x) accepted with another outcome: Go error %v\n  Go post  %x\n  EVM post %x\n%s",
			kind%numCorruptions, pos, val, in.GoErr, in.GoPost, evmPost, describeInput(in))
	}
	if !witnessOnly {
		return
	}
	rep, err := vm.ReplayWitness(cd[cdState:cdStateEnd], cd[cdThread:cdProofEnd], oracle)
	switch {
	case err != nil && !res.Reverted:
		t.Fatalf("corruption %d at %d: Go replay fails (%v) but the EVM step succeeded", kind%numCorruptions, pos, err)
	case err == nil && res.Reverted:
		t.Fatalf("corruption %d at %d: Go replay succeeds but the EVM step reverted: %v", kind%numCorruptions, pos, res.Err)
	case err == nil && !bytes.Equal(rep.Post, evmPost):
		t.Fatalf("corruption %d at %d: Go replay post %x != EVM post %x", kind%numCorruptions, pos, rep.Post, evmPost)
	}
}

// corrupt changes cd in place, or truncates it, and reports whether the change stayed
// inside the state and proof bytes a stateless replay reads.
func corrupt(cd []byte, kind uint8, pos int, val uint8) (out []byte, witnessOnly bool) {
	flip := func(lo, hi int) {
		i := lo + pos%(hi-lo)
		cd[i] ^= val | 1
	}
	switch kind {
	case corruptTruncate:
		// Anywhere: the ABI decoder sees a bytes argument running past the calldata, except
		// when only the proof's zero padding goes.
		return cd[:len(cd)-1-pos%(len(cd)-4)], false
	case corruptHead:
		flip(cdHeads, cdHeads+96) // the two offsets and the local context
	case corruptLength:
		w := cdStateLen
		if pos&1 == 1 {
			w = cdProofLen
		}
		l := binary.BigEndian.Uint64(cd[w+24:])
		switch val % 3 {
		case 0:
			l++
		case 1:
			l--
		default:
			l ^= uint64(val) << 8
		}
		binary.BigEndian.PutUint64(cd[w+24:], l)
	case corruptExited:
		cd[cdExited] = 2 + val%254
		return cd, true
	case corruptThread:
		flip(cdThread, cdInner)
		return cd, true
	case corruptInner:
		flip(cdInner, cdSlots)
		return cd, true
	case corruptSlot:
		flip(cdSlots, cdProofEnd)
		return cd, true
	case corruptAnyOutsideState:
		i := pos % (len(cd) - 4)
		i += 4
		if i >= cdState && i < cdStateEnd {
			i = cdProofLen + i%32
		}
		cd[i] ^= val | 1
		return cd, i >= cdThread && i < cdProofEnd
	}
	return cd, false
}
