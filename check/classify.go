package check

import (
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// Behaviour classes drive sampling: a step whose class has been checked fewer than K times
// is always checked. A class is decided from the pre-state alone (so an unchecked step can
// run without a witness): the scheduler event, or the instruction's selector, refined by
// the branch outcome, the syscall number and the class of its arguments, and whether an
// instruction sits in a delay slot. Faults are classed after the fact ("fault/<kind>").
// The classifier has its own decoding and reads registers itself; it shares nothing with vm/.

// Classify returns the behaviour class of the next step of s.
func Classify(s *View) string {
	switch {
	case s.Exited:
		return "sched/exited-vm"
	case !s.HasThread:
		return "sched/empty-stack"
	case s.ThreadExited:
		return "sched/pop"
	case s.StepsSinceLastContextSwitch >= schedQuantum:
		return "sched/preempt"
	case s.PC&3 != 0:
		return "exception/misaligned-pc"
	}
	return classifyInsn(s, s.Insn)
}

// schedQuantum is the number of steps after which the scheduler preempts the active thread
// (docs/spec.md §4 "One step: the scheduler").
const schedQuantum = 100_000

// Instruction classes are a selector (opcode, or SPECIAL/SPECIAL2 funct, or REGIMM rt) and
// an outcome variant. Their names are built once, so classifying a step allocates nothing:
// the producer classifies every step of a run, checked or not.
const (
	vPlain = iota
	vTaken
	vNotTaken
	vDelaySlot
	vSuccess
	vFail
	vByZero
	numVariants
)

var variantSuffix = [numVariants]string{"", "/taken", "/not-taken", "/in-delay-slot", "/success", "/fail", "/by-zero"}

// insnClassNames[selector][variant]; selector = op for most opcodes, 64+funct for SPECIAL,
// 128+rt for REGIMM, 192+funct for SPECIAL2.
var insnClassNames = func() (t [256][numVariants]string) {
	for sel := range 256 {
		var insn uint32
		switch {
		case sel < 64:
			insn = uint32(sel) << 26
		case sel < 128:
			insn = uint32(sel - 64)
		case sel < 192:
			insn = 1<<26 | uint32(sel-128)<<16
		default:
			insn = 0x1C<<26 | uint32(sel-192)
		}
		name := mips64.SelectorName(insn)
		for v := range numVariants {
			t[sel][v] = name + variantSuffix[v]
		}
	}
	return t
}()

func insnSelector(insn uint32) int {
	switch op := insn >> 26; op {
	case 0:
		return 64 + int(insn&0x3F)
	case 1:
		return 128 + int(insn>>16&31)
	case 0x1C:
		return 192 + int(insn&0x3F)
	default:
		return int(op)
	}
}

func classifyInsn(s *View, insn uint32) string {
	op := insn >> 26
	names := &insnClassNames[insnSelector(insn)]
	inDelaySlot := s.NextPC != s.PC+4
	rs := s.Regs[insn>>21&31]
	rt := s.Regs[insn>>16&31]
	switch {
	case op == 0 && insn&0x3F == 0x0C:
		return "syscall/" + syscallClass(s)
	case op == 1 || (op >= 4 && op <= 7):
		if inDelaySlot {
			return names[vDelaySlot]
		}
		if branchTaken(op, insn>>16&31, rs, rt) {
			return names[vTaken]
		}
		return names[vNotTaken]
	case op == 2 || op == 3 || (op == 0 && (insn&0x3F == 0x08 || insn&0x3F == 0x09)):
		if inDelaySlot {
			return names[vDelaySlot]
		}
	case op == 0x38 || op == 0x3C: // SC, SCD: success depends on the reservation
		want := uint8(1)
		if op == 0x3C {
			want = 2
		}
		ea := rs + uint64(int64(int16(insn)))
		if s.LLReservationStatus == want && s.LLOwnerThread == s.ThreadID && s.LLAddress == ea {
			return names[vSuccess]
		}
		return names[vFail]
	case op == 0 && (insn&0x3F == 0x1A || insn&0x3F == 0x1B) && uint32(rt) == 0:
		return names[vByZero]
	case op == 0 && (insn&0x3F == 0x1E || insn&0x3F == 0x1F) && rt == 0:
		return names[vByZero]
	}
	return names[vPlain]
}

// branchTaken evaluates the condition of a conditional branch (op 1 and 4..7).
func branchTaken(op, rtField uint32, rs, rt uint64) bool {
	switch op {
	case 4:
		return rs == rt
	case 5:
		return rs != rt
	case 6:
		return int64(rs) <= 0
	case 7:
		return int64(rs) > 0
	case 1:
		switch rtField {
		case 0x00, 0x10:
			return int64(rs) < 0
		case 0x01, 0x11:
			return int64(rs) >= 0
		}
	}
	return false
}

// syscallClassName is the class base name of syscall number num: its name when the VM
// implements it, and mprotect's, the one no-op whose support differs between official
// versions (docs/spec.md §7.3 "No-op syscalls" [AMBIG]); other numbers are classed by number.
func syscallClassName(num uint64) (string, bool) {
	name, st := mips64.Syscall(num)
	if st == mips64.SyscallImplemented || num == 5010 {
		return name, true
	}
	return "", false
}

// syscallClass is the syscall name plus the argument class that selects its behaviour
// (docs/spec.md §7 "Syscalls").
func syscallClass(s *View) string {
	num, a0, a1, a2 := s.Regs[2], s.Regs[4], s.Regs[5], s.Regs[6]
	name, ok := syscallClassName(num)
	if !ok {
		return fmt.Sprintf("%d", num)
	}
	fd := func(v uint64) string {
		if v <= 6 || v == 100 {
			return fmt.Sprintf("fd%d", v)
		}
		return "fd-other"
	}
	switch num {
	case 5000, 5001:
		c := name + "/" + fd(a0)
		if a0 == 5 || a0 == 6 {
			if a2 == 0 {
				c += "/count0"
			}
		}
		return c
	case 5009:
		if a0 != 0 {
			return name + "/hint"
		}
		return name + "/heap"
	case 5055:
		if a0 != 0x50F00 {
			return name + "/bad-flags"
		}
		return name + "/ok"
	case 5058:
		if s.Threads == 1 {
			return name + "/last-thread"
		}
		return name + "/not-last"
	case 5070:
		return fmt.Sprintf("%s/%s/cmd%d", name, fd(a0), min(a1, 4))
	case 5194:
		switch a1 {
		case 128:
			return name + "/wait"
		case 129:
			return name + "/wake"
		}
		return name + "/bad-op"
	case 5222:
		c := fmt.Sprintf("%s/clk%d", name, min(a0, 2))
		if a0 <= 1 && a1&31 == 24 {
			c += "/split-leaf"
		}
		return c
	case 5284:
		if a1&0x80 != 0 {
			return name + "/nonblock"
		}
		return name + "/blocking"
	case 5313:
		return fmt.Sprintf("%s/align%d", name, a0&7)
	}
	return name
}
