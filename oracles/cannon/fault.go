package cannon

import (
	"fmt"
	"strings"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// The production VM reports every guest fault by panicking with a message. The adapter
// recovers it and returns a *vm.Fault like ours, so the check classifies both VMs' faults
// the same way. The kind is read from production's message; Detail keeps the message.
var faultKinds = []struct {
	text string
	kind fpvm.FaultKind
}{
	{"invalid instruction", fpvm.FaultInvalidInstruction},
	{"branch in delay slot", fpvm.FaultBranchInDelaySlot},
	{"jump in delay slot", fpvm.FaultJumpInDelaySlot},
	{"divide by zero", fpvm.FaultDivisionByZero},
	{"unaligned instruction fetch", fpvm.FaultInvalidPC},
	{"invalid pc", fpvm.FaultInvalidPC},
	{"unrecognized syscall", fpvm.FaultUnsupportedSyscall},
	{"thread stack is empty", fpvm.FaultEmptyThreadStack},
	{"empty left thread stack", fpvm.FaultEmptyThreadStack},
	{"empty right thread stack", fpvm.FaultEmptyThreadStack},
	{"Invalid empty thread stack", fpvm.FaultEmptyThreadStack},
	{"Preimage offset out-of-bounds", fpvm.FaultPreimageOutOfRange},
	{"mem access", fpvm.FaultMemoryAccess},
}

// faultFromPanic turns a recovered panic value of a step whose pre-state counter is step
// into a fault.
func faultFromPanic(r any, step, threadID, pc uint64, insn uint32) *fpvm.Fault {
	f := &fpvm.Fault{Kind: fpvm.FaultInternal, Step: step, ThreadID: threadID, PC: pc, Insn: insn}
	if m, ok := r.(missingPreimage); ok {
		f.Kind, f.Detail = fpvm.FaultPreimageMissing, "production VM: "+m.err.Error()
		return f
	}
	msg := fmt.Sprint(r)
	f.Detail = "production VM: " + msg
	for _, k := range faultKinds {
		if strings.Contains(msg, k.text) {
			f.Kind = k.kind
			break
		}
	}
	return f
}
