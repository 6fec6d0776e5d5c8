package qemuoracle

import (
	"fmt"
	"os"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// An opinion is QEMU's answer for one instruction of a divergence: given the registers and
// HI/LO the step started from, what MIPS64 computes. It is independent of both of our
// implementations, so a report can say which side it agrees with. Only register
// instructions are asked (classes alu, shift, muldiv, special2): loads, stores and control
// flow depend on addresses that the driver's fixed layout cannot reproduce.

// Opinion is QEMU's outcome for one instruction, or why there is none.
type Opinion struct {
	Op string // the oracle's mnemonic
	// Exception is set when QEMU stopped the instruction itself (a reserved instruction, an
	// overflow trap): the name of the signal.
	Exception string
	Out       Outcome
	// IgnoreHILO: MIPS64 leaves HI/LO unpredictable after this instruction (a deviation).
	IgnoreHILO bool
	// NotApplicable says why QEMU's answer does not speak to Cannon's rules here (a
	// deviation, an instruction class it is not asked about); Out is then meaningless.
	NotApplicable string
}

// OpFor finds the oracle's operation for an instruction word, with the word's fields.
func OpFor(word uint32) (*Op, mips64.Fields, bool) {
	f := mips64.Fields{RS: word >> 21 & 31, RT: word >> 16 & 31, RD: word >> 11 & 31, SA: word >> 6 & 31,
		Imm: uint16(word), Target: word & 0x03FF_FFFF}
	for _, op := range Ops {
		if op.Encode(f) == word {
			return op, f, true
		}
	}
	return nil, f, false
}

// registerClasses are the classes whose result depends only on registers and HI/LO.
var registerClasses = map[Class]bool{ClassALU: true, ClassShift: true, ClassMulDiv: true, ClassSpecial2: true}

// Ask runs word once under qemu-mips64 from the given registers and HI/LO. An instruction
// QEMU cannot speak to gives an Opinion with NotApplicable set and no error; an error means
// the oracle itself could not run (tools missing, driver failed).
func Ask(word uint32, regs [32]uint64, hi, lo uint64) (*Opinion, error) {
	op, f, ok := OpFor(word)
	if !ok {
		return &Opinion{NotApplicable: fmt.Sprintf("0x%08x is not an instruction the QEMU oracle compares", word)}, nil
	}
	o := &Opinion{Op: op.Name}
	if !registerClasses[op.Class] {
		o.NotApplicable = fmt.Sprintf("%s is a %s instruction; QEMU is asked only about register instructions", op.Name, op.Class)
		return o, nil
	}
	if regs[0] != 0 {
		o.NotApplicable = "the pre-state holds a nonzero r0, which Cannon reads as stored and MIPS64 reads as 0"
		return o, nil
	}
	c := &Case{Op: op, In: Inputs{F: f, Regs: regs, HI: hi, LO: lo}}
	// A deviation that would change this case, or drop it, means MIPS64 and Cannon part
	// ways on purpose here: QEMU's answer is not an opinion on Cannon's rule.
	for _, d := range deviationsFor(op, Constrain) {
		probe := *c
		d.constrain(&probe)
		if probe.In != c.In {
			o.NotApplicable = fmt.Sprintf("deviation %s: %s", d.ID, d.Reason())
			return o, nil
		}
	}
	for _, d := range deviationsFor(op, Skip) {
		if d.skip(c) {
			o.NotApplicable = fmt.Sprintf("deviation %s: %s", d.ID, d.Reason())
			return o, nil
		}
	}
	o.IgnoreHILO = len(deviationsFor(op, IgnoreHILO)) > 0

	tc, err := FindToolchain()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "fpvmdiff-qemu-opinion-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory for the driver: %w", err)
	}
	defer os.RemoveAll(dir)
	driver, err := tc.BuildDriver("", dir)
	if err != nil {
		return nil, err
	}
	q, err := tc.StartQemu(driver)
	if err != nil {
		return nil, err
	}
	c.Entry = q.Layout.blockBase(0) + 4*SlotWord
	res, runErr := q.Run([]*Case{c})
	if err := q.Close(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil {
		return nil, runErr
	}
	if res[0].Signal != sigTrap {
		o.Exception = fmt.Sprintf("signal %d (%s)", res[0].Signal, signalName(res[0].Signal))
	}
	o.Out = res[0].Outcome
	return o, nil
}
