package qemuoracle

import (
	"fmt"
	"strings"
)

// Mismatch is a case on which the Go VM and QEMU disagree.
type Mismatch struct {
	Case  *Case
	Qemu  QemuResult
	Go    Outcome
	GoErr error    // the Go VM faulted
	Diffs []string // "r3: go 0x.. qemu 0x.."
}

// Compare checks the Go VM's outcome against QEMU's; nil means they agree.
func Compare(c *Case, q QemuResult, g Outcome, goErr error) *Mismatch {
	m := &Mismatch{Case: c, Qemu: q, Go: g, GoErr: goErr}
	if goErr != nil {
		m.Diffs = append(m.Diffs, "go vm: "+goErr.Error())
	}
	if q.Signal != sigTrap {
		m.Diffs = append(m.Diffs, fmt.Sprintf("qemu: the instruction raised signal %d (%s) at pc 0x%x", q.Signal, signalName(q.Signal), q.PC))
	}
	if len(m.Diffs) > 0 {
		return m
	}
	diff := func(what string, gv, qv uint64) {
		if gv != qv {
			m.Diffs = append(m.Diffs, fmt.Sprintf("%s: go 0x%016x qemu 0x%016x", what, gv, qv))
		}
	}
	diff("next pc", g.PC, q.PC)
	for r := range g.Regs {
		diff(fmt.Sprintf("r%d", r), g.Regs[r], q.Regs[r])
	}
	if !c.IgnoreHILO {
		diff("hi", g.HI, q.HI)
		diff("lo", g.LO, q.LO)
	}
	for i := range g.Window {
		diff(fmt.Sprintf("mem[window+%d]", 8*i), g.Window[i], q.Window[i])
	}
	if len(m.Diffs) == 0 {
		return nil
	}
	return m
}

// String is the report entry: the decoded instruction, its inputs and every difference.
func (m *Mismatch) String() string {
	c := m.Case
	var b strings.Builder
	fmt.Fprintf(&b, "MISMATCH [%s] %s  (insn 0x%08x at pc 0x%x)\n", c.Op.Class, c.Disasm(), c.Insn(), c.Entry)
	fmt.Fprintf(&b, "  inputs: %s\n", c.describeInputs())
	if len(c.Applied) > 0 {
		fmt.Fprintf(&b, "  deviations applied: %s\n", strings.Join(c.Applied, ", "))
	}
	for _, d := range m.Diffs {
		fmt.Fprintf(&b, "  %s\n", d)
	}
	return b.String()
}

// describeInputs lists the operand registers, HI/LO and, for memory instructions, the
// effective address and the word it falls in.
func (c *Case) describeInputs() string {
	var parts []string
	seen := map[uint32]bool{}
	add := func(r uint32) {
		if !seen[r] {
			seen[r] = true
			parts = append(parts, fmt.Sprintf("r%d=0x%x", r, c.In.Regs[r]))
		}
	}
	if c.Op.Uses&fRS != 0 {
		add(c.In.F.RS)
	}
	if c.Op.Uses&fRT != 0 {
		add(c.In.F.RT)
	}
	if c.Op.Uses&fRD != 0 {
		add(c.In.F.RD)
	}
	parts = append(parts, fmt.Sprintf("hi=0x%x lo=0x%x", c.In.HI, c.In.LO))
	if c.Op.MemSize > 0 {
		ea := c.In.Regs[c.In.F.RS] + simm16(c.In.F.Imm)
		parts = append(parts, fmt.Sprintf("ea=0x%x word=0x%016x", ea, c.wordAt(ea)))
	}
	return strings.Join(parts, " ")
}

// wordAt is the window word holding ea, given that ea lies in the window.
func (c *Case) wordAt(ea uint64) uint64 {
	// The window is 64-byte aligned, so the word index is bits 5..3 of ea.
	return c.In.Window[(ea>>3)%WindowWords]
}

func signalName(sig int) string {
	switch sig {
	case 4:
		return "SIGILL"
	case 5:
		return "SIGTRAP"
	case 8:
		return "SIGFPE"
	case 10:
		return "SIGBUS"
	case 11:
		return "SIGSEGV"
	}
	return "unknown"
}
