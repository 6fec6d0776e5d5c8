package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/qemuoracle"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// qemuOpinion asks QEMU's MIPS64 what the diverging instruction computes from the step's
// pre-state registers, and says which side that agrees with. A step QEMU cannot speak to
// (not a register instruction, a deliberate Cannon deviation, tools missing) gets an opinion
// that says so; the divergence report is never held up by the oracle.
func qemuOpinion(b *check.Bundle) *check.BundleOpinion {
	const source = "qemu-mips64"
	none := func(why string) *check.BundleOpinion {
		return &check.BundleOpinion{Source: source, Summary: "none: " + why}
	}
	in := b.Instruction
	if in == nil || in.Word == "" || len(b.Witness.Proof) < vm.ThreadWitnessSize {
		return none("no instruction was executed in this step")
	}
	word, err := strconv.ParseUint(strings.TrimPrefix(in.Word, "0x"), 16, 32)
	if err != nil {
		return none("instruction word " + in.Word + " unreadable")
	}
	pre, err := vm.DecodeThread(b.Witness.Proof[:vm.ThreadWitnessSize])
	if err != nil {
		return none("pre-state thread unreadable: " + err.Error())
	}
	op, err := qemuoracle.Ask(uint32(word), pre.Registers, pre.HI, pre.LO)
	if err != nil {
		return none(err.Error())
	}
	if op.NotApplicable != "" {
		return none(op.NotApplicable)
	}

	// Each side's result: failed, or its thread after the step.
	type side struct {
		failed bool
		thread *vm.Thread
	}
	goSide := side{failed: b.Go.Error != ""}
	if t, err := vm.DecodeThread(b.Go.Thread); err == nil {
		goSide.thread = t
	}
	evmSide := side{}
	if b.EVM != nil {
		evmSide.failed = b.EVM.Reverted
		if t, err := vm.DecodeThread(b.EVM.Thread); err == nil {
			evmSide.thread = t
		}
	}
	qFailed := op.Exception != ""
	// differs lists the fields in which t's result is not QEMU's.
	differs := func(s side) []string {
		if s.failed || qFailed {
			if s.failed == qFailed {
				return nil
			}
			if s.failed {
				return []string{"an exception where QEMU has none"}
			}
			return []string{"no exception where QEMU has " + op.Exception}
		}
		if s.thread == nil {
			return []string{"thread unknown"}
		}
		var d []string
		for r := 1; r < 32; r++ {
			if s.thread.Registers[r] != op.Out.Regs[r] {
				d = append(d, fmt.Sprintf("r%d 0x%x where QEMU has 0x%x", r, s.thread.Registers[r], op.Out.Regs[r]))
			}
		}
		if !op.IgnoreHILO {
			if s.thread.HI != op.Out.HI {
				d = append(d, fmt.Sprintf("hi 0x%x where QEMU has 0x%x", s.thread.HI, op.Out.HI))
			}
			if s.thread.LO != op.Out.LO {
				d = append(d, fmt.Sprintf("lo 0x%x where QEMU has 0x%x", s.thread.LO, op.Out.LO))
			}
		}
		return d
	}
	goDiff, evmDiff := differs(goSide), differs(evmSide)
	qemuSays := "no exception"
	if qFailed {
		qemuSays = "an exception, " + op.Exception
	}
	o := &check.BundleOpinion{Source: source}
	switch {
	case len(goDiff) == 0 && len(evmDiff) == 0:
		o.SidesWith, o.Summary = "both", fmt.Sprintf("%s: agrees with both sides (%s); the divergence is outside the instruction's registers", op.Op, qemuSays)
	case len(goDiff) == 0:
		o.SidesWith, o.Summary = "go", fmt.Sprintf("%s: sides with the Go VM, against the EVM step contract (EVM has %s)", op.Op, strings.Join(evmDiff, ", "))
	case len(evmDiff) == 0:
		o.SidesWith, o.Summary = "evm", fmt.Sprintf("%s: sides with the EVM step contract, against the Go VM (Go has %s)", op.Op, strings.Join(goDiff, ", "))
	default:
		o.SidesWith, o.Summary = "neither", fmt.Sprintf("%s: agrees with neither side (Go has %s; EVM has %s)", op.Op, strings.Join(goDiff, ", "), strings.Join(evmDiff, ", "))
	}
	return o
}
