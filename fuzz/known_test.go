package fuzz

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/vm"
)

// Divergences found by these targets and reported, not yet fixed. Each is recognised as
// narrowly as its signature allows and skipped (not passed) so that make fuzz-smoke stays
// usable meanwhile; FPVMDIFF_FUZZ_STRICT=1 turns the skips back into failures. Remove an
// entry once its fix lands.

// invalidSecondMemoryProof is the step contract's InvalidSecondMemoryProof() selector.
var invalidSecondMemoryProof = []byte{0x83, 0x4c, 0x4c, 0xd4}

// skipKnownReplaySlot2: vm.ReplayWitness does not check proof slot 2 when clock_gettime's
// two words share a 32-byte leaf (addSlotProof returns early: "same leaf"), while the
// contract verifies slot 2 against the root after the first write and reverts
// InvalidSecondMemoryProof() on a corrupted one. So the stateless replay accepts a witness
// the contract rejects. Signature: the Go replay succeeded, the EVM reverted with that error.
func skipKnownReplaySlot2(t *testing.T, goErr error, revertData []byte) {
	t.Helper()
	if goErr != nil || !bytes.HasPrefix(revertData, invalidSecondMemoryProof) || os.Getenv("FPVMDIFF_FUZZ_STRICT") == "1" {
		return
	}
	t.Skip("known divergence (reported): vm.ReplayWitness skips proof slot 2 when both clock_gettime words share a leaf")
}

// skipKnownReplayPreempt: vm.ReplayWitness always verifies proof slot 0 (the instruction
// word) before running, but a forced-preemption step (stepsSinceLastContextSwitch >=
// vm.SchedQuantum) fetches no instruction: Step(true) leaves slot 0 zeroed and the contract
// never reads it. So the replay of an honest preemption witness fails ("proof slot 0: ...
// does not match the root") while the contract succeeds. Signature: the replay failed on
// slot 0, the EVM succeeded, the pre-state is unfinished and due for preemption.
func skipKnownReplayPreempt(t *testing.T, state []byte, goErr error, evmReverted bool) {
	t.Helper()
	if goErr == nil || evmReverted || len(state) != vm.StateWitnessSize || os.Getenv("FPVMDIFF_FUZZ_STRICT") == "1" {
		return
	}
	if state[98] != 0 || binary.BigEndian.Uint64(state[107:]) < vm.SchedQuantum || !strings.Contains(goErr.Error(), "proof slot 0") {
		return
	}
	t.Skip("known divergence (reported): vm.ReplayWitness requires proof slot 0 on a forced-preemption step")
}
