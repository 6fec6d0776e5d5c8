package check

// Forged witnesses (issue 14, soundness). An honest witness cannot show that the step
// contract verifies what it reads: a contract that skips a Merkle proof gives the same answer
// on every honest witness, yet on chain it lets a dishonest party forge any memory value. So
// for a checked step, corrupt one 32-byte word of the proof at a time and call the contract
// again: a word the step needed must make it revert, with the revert reason of that
// witness; a word it did not need must leave the honest post-state. Any forged witness that
// yields a different post-state without a revert is a soundness divergence.

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Proof layout (MTCANNON-FACTS 2.3, 3.2): the active thread, the inner root of its stack,
// then three memory proof slots of a leaf and its 59 siblings.
const (
	tamperThreadEnd = fpvm.ThreadWitnessSize
	tamperInnerEnd  = tamperThreadEnd + 32
	tamperSlots     = 3
	tamperSlotWords = memory.ProofSize / 32
	// stateExitedOffset is the exited byte of the packed state (MTCANNON-FACTS 2.1).
	stateExitedOffset = 98
)

// Revert reasons (as evmharness decodes them) of a rejected witness part.
const (
	reasonThread       = "MIPS64: invalid thread witness"
	reasonMemory       = "InvalidMemoryProof()"
	reasonSecondMemory = "InvalidSecondMemoryProof()"
)

// TamperUnusedSample is how many words of each memory proof slot a step does not use are
// forged by default (every word of a used slot is).
const TamperUnusedSample = 2

// Forgery is one corrupted proof word and what the contract made of it.
type Forgery struct {
	Offset int    // byte offset of the word in the proof
	Part   string // which witness part: "thread witness bytes 32..63", "slot 1 sibling 17", …
	// Needed: the step verifies this word (the thread witness and inner root of a running
	// VM, every word of a memory proof slot the Go side filled).
	Needed  bool
	Problem string // why the outcome is wrong
}

// TamperReport is the verdict on the forged witnesses of one step.
type TamperReport struct {
	Tried    int
	Skipped  string // why no forgery was tried ("" when they were)
	Failures []Forgery
	// Soundness is set when some forgery changed the post-state without a revert.
	Soundness bool
}

// OK reports whether the contract answered every forgery as it must.
func (r *TamperReport) OK() bool { return len(r.Failures) == 0 }

// String is one line per failing forgery.
func (r *TamperReport) String() string {
	var b strings.Builder
	for _, f := range r.Failures {
		fmt.Fprintf(&b, "forged %s (proof byte %d): %s\n", f.Part, f.Offset, f.Problem)
	}
	return b.String()
}

// tamperTarget is one span of the proof to corrupt.
type tamperTarget struct {
	off, end int
	part     string
	needed   bool
	reasons  []string
}

// tamperTargets lists the words to corrupt: every word of the thread witness and inner root,
// every word of a used memory proof slot, and unusedSample words of an unused one (a slot
// the Go side left zero).
func tamperTargets(in *StepInput, running bool, unusedSample int) []tamperTarget {
	var ts []tamperTarget
	for off := 0; off < tamperThreadEnd; off += 32 {
		end := min(off+32, tamperThreadEnd)
		ts = append(ts, tamperTarget{off, end, fmt.Sprintf("thread witness bytes %d..%d", off, end-1), running, []string{reasonThread}})
	}
	ts = append(ts, tamperTarget{tamperThreadEnd, tamperInnerEnd, "inner root", running, []string{reasonThread}})
	for slot := range tamperSlots {
		base := tamperInnerEnd + slot*memory.ProofSize
		proof := in.Proof[base : base+memory.ProofSize]
		used := running && !allZero(proof)
		reason := reasonMemory
		if slot == 2 {
			reason = reasonSecondMemory
		}
		for w := range tamperSlotWords {
			if !used && w%max(1, tamperSlotWords/max(1, unusedSample)) != 0 {
				continue
			}
			name := fmt.Sprintf("slot %d sibling %d", slot, w-1)
			if w == 0 {
				name = fmt.Sprintf("slot %d leaf", slot)
			}
			ts = append(ts, tamperTarget{base + 32*w, base + 32*w + 32, name, used, []string{reason}})
		}
	}
	return ts
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// Tamper checks the step of in against forged witnesses. The honest call must succeed
// (a step the contract rejects has nothing to forge). unusedSample is how many words of
// each unused memory proof slot are tried.
func Tamper(s *evmharness.Session, in *StepInput, unusedSample int) *TamperReport {
	rep := &TamperReport{}
	if len(in.Proof) != fpvm.ProofSize || len(in.State) != fpvm.StateWitnessSize {
		rep.Skipped = fmt.Sprintf("witness of %d+%d bytes, want %d+%d", len(in.State), len(in.Proof), fpvm.StateWitnessSize, fpvm.ProofSize)
		return rep
	}
	honest := s.Step(in.State, in.Proof, in.part())
	if honest.Reverted || len(honest.Logs) != 1 {
		rep.Skipped = "the honest step reverted"
		return rep
	}
	post := honest.Logs[0].Data
	// A running VM verifies the thread witness; an exited one is logged as it is.
	running := in.State[stateExitedOffset] == 0
	forged := append([]byte(nil), in.Proof...)
	for _, t := range tamperTargets(in, running, unusedSample) {
		for i := t.off; i < t.end; i++ {
			forged[i] ^= 0xA5
		}
		out := s.Step(in.State, forged, nil)
		copy(forged[t.off:t.end], in.Proof[t.off:t.end])
		rep.Tried++
		f := Forgery{Offset: t.off, Part: t.part, Needed: t.needed}
		switch {
		case !out.Reverted && (len(out.Logs) != 1 || !bytes.Equal(out.Logs[0].Data, post)):
			f.Problem = "SOUNDNESS: accepted with a different post-state"
			rep.Soundness = true
		case !out.Reverted && t.needed:
			f.Problem = "accepted, although the step verifies this word (no revert, honest post-state)"
		case out.Reverted && !t.needed:
			f.Problem = fmt.Sprintf("rejected a word the step does not use: %s", out.RevertReason)
		case out.Reverted && !anyReason(out.RevertReason, t.reasons):
			f.Problem = fmt.Sprintf("reverted for another reason: %s (want %s)", out.RevertReason, strings.Join(t.reasons, " or "))
		default:
			continue
		}
		rep.Failures = append(rep.Failures, f)
	}
	return rep
}

func anyReason(got string, want []string) bool {
	for _, w := range want {
		if strings.Contains(got, w) {
			return true
		}
	}
	return false
}
