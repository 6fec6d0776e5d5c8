package fuzz

import (
	"bytes"
	"os"
	"testing"
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
