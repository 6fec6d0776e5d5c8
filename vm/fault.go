package vm

import "fmt"

// FaultKind names why a step could not be executed. Every kind corresponds to a condition
// under which the on-chain step reverts (docs/spec.md §5.8 "Exceptions" and §10.4 "Reverts").
type FaultKind string

const (
	FaultInvalidInstruction FaultKind = "invalid instruction"
	FaultBranchInDelaySlot  FaultKind = "branch in delay slot"
	FaultJumpInDelaySlot    FaultKind = "jump in delay slot"
	FaultDivisionByZero     FaultKind = "division by zero"
	FaultInvalidPC          FaultKind = "misaligned pc"
	FaultUnsupportedSyscall FaultKind = "unimplemented syscall"
	FaultEmptyThreadStack   FaultKind = "active thread stack is empty"
	FaultPreimageOutOfRange FaultKind = "pre-image read past the end"
	FaultPreimageMissing    FaultKind = "pre-image not available"
	FaultMemoryAccess       FaultKind = "memory access outside the witness"
	FaultInternal           FaultKind = "internal error"
)

// Fault is a guest fault: the step is invalid and the on-chain step must revert.
type Fault struct {
	Kind     FaultKind
	Step     uint64 // step counter of the pre-state
	ThreadID uint64
	PC       uint64
	Insn     uint32 // instruction word, 0 when none was fetched
	Detail   string
}

func (f *Fault) Error() string {
	msg := fmt.Sprintf("vm fault at step %d (thread %d, pc 0x%x, insn 0x%08x): %s", f.Step, f.ThreadID, f.PC, f.Insn, f.Kind)
	if f.Detail != "" {
		msg += ": " + f.Detail
	}
	return msg
}
