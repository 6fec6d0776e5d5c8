package qemuoracle

import (
	"fmt"
	"math"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// Cannon is not MIPS64: it deliberately differs where MIPS64 traps, where MIPS64 leaves a
// result UNPREDICTABLE, and where it simply does not implement an encoding. This table is
// the written list of those differences (docs/qemu-deviations.md mirrors it row for row,
// and a test keeps the two equal). It is also what decides, for every generated case,
// whether it is compared as is, compared with constrained inputs, compared without HI/LO,
// or skipped; the report prints how often each row acted, with its reason.

// Action is what a deviation does to the cases it applies to.
type Action string

const (
	// Constrain changes the inputs (fields, registers) so the deviation cannot show.
	Constrain Action = "constrain"
	// Skip drops a case whose inputs would show the deviation; it is counted, not compared.
	Skip Action = "skip"
	// IgnoreHILO compares the case but not HI/LO.
	IgnoreHILO Action = "ignore-hilo"
	// Exclude means the instructions are never generated; listed for completeness.
	Exclude Action = "exclude"
)

// Deviation is one row of the table.
type Deviation struct {
	ID     string
	Action Action
	Ops    []string // mnemonics it applies to (for Exclude: examples of what is left out)
	Cannon string   // what Cannon does
	MIPS64 string   // what MIPS64 (and QEMU) does instead
	// constrain edits the case (Constrain); skip reports whether to drop it (Skip).
	constrain func(c *Case)
	skip      func(c *Case) bool
}

// Reason is the one-line explanation printed in reports.
func (d *Deviation) Reason() string {
	return fmt.Sprintf("Cannon: %s; MIPS64: %s", d.Cannon, d.MIPS64)
}

// Deviations is the table. Within one action, rows apply in this order, so the specific
// constraints come before the generic reserved-fields one and are the ones counted.
var Deviations = []*Deviation{
	{
		ID: "rotate-as-shift", Action: Constrain,
		Ops:       []string{"srl", "srlv", "dsrl", "dsrlv", "dsrl32"},
		Cannon:    "ROTR/ROTRV/DROTR/DROTRV/DROTR32 (the R bit set) execute as the logical shift",
		MIPS64:    "Release 2 rotates; the oracle clears the R bit (rs bit 0, or sa bit 0 for the variable forms)",
		constrain: clearRotateBit,
	},
	{
		ID: "hilo-rd", Action: Constrain,
		Ops:       []string{"mthi", "mtlo", "mult", "multu", "div", "divu", "dmult", "dmultu", "ddiv", "ddivu"},
		Cannon:    "a non-zero rd field is written with 0 (shared HI/LO path)",
		MIPS64:    "rd is a must-be-zero field (QEMU: Reserved Instruction); the oracle sets rd = 0",
		constrain: func(c *Case) { c.In.F.RD = 0 },
	},
	{
		ID: "sync-rd", Action: Constrain,
		Ops:       []string{"sync"},
		Cannon:    "SYNC writes R[rd] = R[rs]",
		MIPS64:    "SYNC only orders memory and its register fields are zero; the oracle sets rd = 0",
		constrain: func(c *Case) { c.In.F.RD = 0 },
	},
	{
		ID: "clz-rt-is-rd", Action: Constrain,
		Ops:       []string{"clz", "clo", "dclz", "dclo"},
		Cannon:    "the rt field is ignored",
		MIPS64:    "before Release 6 rt must equal rd, otherwise UNPREDICTABLE; the oracle sets rt = rd",
		constrain: func(c *Case) { c.In.F.RT = c.In.F.RD },
	},
	{
		ID: "jalr-rd-is-rs", Action: Constrain,
		Ops:    []string{"jalr"},
		Cannon: "the target is read before the link is written, so rd = rs is well defined",
		MIPS64: "rd = rs is UNPREDICTABLE; the oracle picks rd = rs+1 (mod 32)",
		constrain: func(c *Case) {
			if c.In.F.RD == c.In.F.RS {
				c.In.F.RD = (c.In.F.RS + 1) & 31
			}
		},
	},
	{
		ID: "link-rs-31", Action: Constrain,
		Ops:    []string{"bltzal", "bgezal"},
		Cannon: "the condition reads rs before $31 is linked, so rs = 31 is well defined",
		MIPS64: "rs = 31 is UNPREDICTABLE; the oracle uses rs = 30 instead",
		constrain: func(c *Case) {
			if c.In.F.RS == 31 {
				c.In.F.RS = 30
			}
		},
	},
	{
		ID: "lwr-upper-word", Action: Constrain,
		Ops:       []string{"lwr"},
		Cannon:    "LWR with EA&3 != 3 keeps the upper 32 bits of rt",
		MIPS64:    "those bits are implementation dependent (kept or a copy of bit 31; QEMU sign-extends); the oracle makes rt a sign-extended 32-bit value, for which both agree",
		constrain: sx32Regs(fRT),
	},
	{
		ID: "sx32-inputs-rs-rt", Action: Constrain,
		Ops:       []string{"add", "addu", "sub", "subu", "mult", "multu", "div", "divu", "mul"},
		Cannon:    "32-bit operations use the low 32 bits of rs and rt",
		MIPS64:    "UNPREDICTABLE unless rs and rt hold sign-extended 32-bit values; the oracle sign-extends them",
		constrain: sx32Regs(fRS | fRT),
	},
	{
		ID: "sx32-inputs-rt", Action: Constrain,
		Ops:       []string{"srl", "sra", "srlv", "srav"},
		Cannon:    "32-bit right shifts use the low 32 bits of rt",
		MIPS64:    "UNPREDICTABLE unless rt holds a sign-extended 32-bit value; the oracle sign-extends it",
		constrain: sx32Regs(fRT),
	},
	{
		ID: "sx32-inputs-rs", Action: Constrain,
		Ops:       []string{"addi", "addiu", "clz", "clo"},
		Cannon:    "32-bit operations use the low 32 bits of rs",
		MIPS64:    "UNPREDICTABLE unless rs holds a sign-extended 32-bit value; the oracle sign-extends it",
		constrain: sx32Regs(fRS),
	},
	{
		ID: "aligned-ea", Action: Constrain,
		Ops:       []string{"lh", "lhu", "lw", "lwu", "ld", "sh", "sw", "sd"},
		Cannon:    "a misaligned address is silently aligned down",
		MIPS64:    "Address Error exception (SIGBUS); the oracle aligns the effective address by adjusting rs",
		constrain: alignEA,
	},
	{
		ID: "reserved-fields", Action: Constrain,
		Ops:       allOpNames(),
		Cannon:    "fields an instruction does not use are never checked",
		MIPS64:    "they must be zero (non-zero selects other instructions or is reserved); the oracle zeroes them",
		constrain: zeroReservedFields,
	},
	{
		ID: "overflow-trap-32", Action: Skip,
		Ops:    []string{"add", "addi", "sub"},
		Cannon: "no overflow trap: the 32-bit result wraps",
		MIPS64: "Integer Overflow exception (SIGFPE) on signed 32-bit overflow; such cases are skipped",
		skip:   overflows32,
	},
	{
		ID: "overflow-trap-64", Action: Skip,
		Ops:    []string{"dadd", "daddi", "dsub"},
		Cannon: "no overflow trap: the 64-bit result wraps",
		MIPS64: "Integer Overflow exception (SIGFPE) on signed 64-bit overflow; such cases are skipped",
		skip:   overflows64,
	},
	{
		ID: "div-by-zero", Action: Skip,
		Ops:    []string{"div", "divu", "ddiv", "ddivu"},
		Cannon: "a zero divisor (low 32 bits for DIV/DIVU) is an exception: the step fails",
		MIPS64: "no exception, HI/LO UNPREDICTABLE; such cases are skipped",
		skip:   dividesByZero,
	},
	{
		ID: "mul-hilo", Action: IgnoreHILO,
		Ops:    []string{"mul"},
		Cannon: "SPECIAL2 MUL leaves HI and LO unchanged",
		MIPS64: "HI and LO are UNPREDICTABLE after MUL (before Release 6); they are not compared",
	},
	{
		ID: "invalid-in-cannon", Action: Exclude,
		Ops: []string{"cop0", "cop1", "cop2", "cop1x", "beql", "bnel", "blezl", "bgtzl", "special3",
			"movci", "tge", "tgeu", "tlt", "tltu", "teq", "tne", "break", "sdbbp",
			"madd", "maddu", "msub", "msubu", "pref", "cache", "lwc1", "swc1", "ldc1", "sdc1"},
		Cannon: "the step fails (invalid instruction)",
		MIPS64: "defined instructions; not generated (the VM's own tests and the contract diff cover the rejection)",
	},
	{
		ID: "unknown-regimm", Action: Exclude,
		Ops:    []string{"bltzl", "bgezl", "bltzall", "bgezall", "tgei", "tgeiu", "tlti", "tltiu", "teqi", "tnei", "synci"},
		Cannon: "any REGIMM rt other than BLTZ/BGEZ/BLTZAL/BGEZAL is a branch that is never taken",
		MIPS64: "branch-likely, trap and cache instructions or Reserved Instruction; not generated",
	},
	{
		ID: "delay-slot-branch", Action: Exclude,
		Cannon: "a branch or jump in a delay slot is an exception",
		MIPS64: "UNPREDICTABLE; the oracle always puts a NOP in the delay slot",
	},
	{
		ID: "llsc", Action: Exclude,
		Ops:    []string{"ll", "sc", "lld", "scd"},
		Cannon: "the reservation is VM state (address, owner thread) and lives across steps",
		MIPS64: "a per-processor link bit cleared by exceptions; one instruction per case cannot express a pair, so not generated",
	},
	{
		ID: "syscall", Action: Exclude,
		Ops:    []string{"syscall"},
		Cannon: "its own syscall table (docs/spec.md §7)",
		MIPS64: "Linux system calls; whole guest programs are compared with qemu-mips64 instead (vm/programs_test.go)",
	},
}

// clearRotateBit turns ROTR-family encodings back into the logical shifts.
func clearRotateBit(c *Case) {
	if c.Op.Uses&fSA != 0 {
		c.In.F.RS &^= 1
	} else {
		c.In.F.SA &^= 1
	}
}

// zeroReservedFields clears every free field the instruction does not use.
func zeroReservedFields(c *Case) {
	reserved := c.Op.freeFields() &^ c.Op.Uses
	f := &c.In.F
	if reserved&fRS != 0 {
		f.RS = 0
	}
	if reserved&fRT != 0 {
		f.RT = 0
	}
	if reserved&fRD != 0 {
		f.RD = 0
	}
	if reserved&fSA != 0 {
		f.SA = 0
	}
}

func sx32(v uint64) uint64 { return uint64(int64(int32(uint32(v)))) }

// sx32Regs sign-extends the low words of the registers named by the rs/rt fields.
func sx32Regs(which field) func(c *Case) {
	return func(c *Case) {
		if which&fRS != 0 && c.In.F.RS != 0 {
			c.In.Regs[c.In.F.RS] = sx32(c.In.Regs[c.In.F.RS])
		}
		if which&fRT != 0 && c.In.F.RT != 0 {
			c.In.Regs[c.In.F.RT] = sx32(c.In.Regs[c.In.F.RT])
		}
	}
}

// alignEA moves the base register so that the effective address is naturally aligned.
func alignEA(c *Case) {
	ea := c.In.Regs[c.In.F.RS] + simm16(c.In.F.Imm)
	c.In.Regs[c.In.F.RS] -= ea & uint64(c.Op.MemSize-1)
}

// operands returns R[rs] and the second operand: R[rt], or the sign-extended immediate.
func operands(c *Case) (a, b uint64) {
	a = c.In.Regs[c.In.F.RS]
	if c.Op.enc.Layout == mips64.LayoutI {
		return a, simm16(c.In.F.Imm)
	}
	return a, c.In.Regs[c.In.F.RT]
}

func isSub(op *Op) bool { return op.Name == "sub" || op.Name == "dsub" }

func overflows32(c *Case) bool {
	a, b := operands(c)
	x, y := int64(int32(uint32(a))), int64(int32(uint32(b)))
	r := x + y
	if isSub(c.Op) {
		r = x - y
	}
	return r < math.MinInt32 || r > math.MaxInt32
}

func overflows64(c *Case) bool {
	a, b := operands(c)
	x, y := int64(a), int64(b)
	if isSub(c.Op) {
		r := x - y
		return (x >= 0) != (y >= 0) && (r >= 0) != (x >= 0)
	}
	r := x + y
	return (x >= 0) == (y >= 0) && (r >= 0) != (x >= 0)
}

func dividesByZero(c *Case) bool {
	d := c.In.Regs[c.In.F.RT]
	if c.Op.Name == "div" || c.Op.Name == "divu" {
		return uint32(d) == 0
	}
	return d == 0
}

func allOpNames() []string {
	names := make([]string, len(Ops))
	for i, op := range Ops {
		names[i] = op.Name
	}
	return names
}

// deviationsFor lists the rows that apply to op, by action, in table order.
func deviationsFor(op *Op, action Action) []*Deviation {
	var out []*Deviation
	for _, d := range Deviations {
		if d.Action != action {
			continue
		}
		for _, name := range d.Ops {
			if name == op.Name {
				out = append(out, d)
				break
			}
		}
	}
	return out
}
