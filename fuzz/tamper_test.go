package fuzz

import (
	"testing"

	"github.com/fpvmdiff/fpvmdiff/check"
)

// FuzzTamper: the steps of FuzzCalldata (each using other proof slots) from fuzzed states,
// then every proof word the step relies on forged in turn (check.Tamper): the contract must
// reject each such word with that witness's revert reason and ignore unused ones. sample is
// how many words of each unused memory proof slot are forged.
func FuzzTamper(f *testing.F) {
	for i := range calldataSteps {
		f.Add(uint8(i), uint8(2), []byte{byte(i), 7, 1, 3})
	}
	f.Fuzz(func(t *testing.T, which, sample uint8, data []byte) {
		s := newSource(data)
		c := calldataSteps[int(which)%len(calldataSteps)]
		st, act := genState(s, 4, 5, 6)
		oracle := withPreimage(s, st)
		if c.v0 == 5000 {
			act.Registers[4] = 5 // the pre-image fd
		}
		if c.v0 == 5222 {
			act.Registers[4] = uint64(s.byte() % 2)
		}
		if c.insn == 0x0C {
			act.Registers[2] = c.v0
		}
		fillWords(s, st.Memory, act.Registers[4])
		fillWords(s, st.Memory, act.Registers[5])
		putInsn(st.Memory, act.PC, c.insn)
		p := newStepper(t, st, oracle)
		in := p.goStep()
		if rep := check.CheckStep(p.sess, in); !rep.Agree() {
			t.Fatalf("unforged step: Go and EVM disagree: %v\n%s%s", rep.Mismatches, describeOutcome(in, rep.EVM), describeInput(in))
		}
		if in.GoErr != nil {
			return // a failing step has nothing to forge
		}
		rep := check.Tamper(p.sess, in, 1+int(sample%8))
		if !rep.OK() {
			t.Fatalf("forged witnesses:\n%s%s", rep.String(), describeInput(in))
		}
		if rep.Tried == 0 {
			t.Fatalf("no forgery tried: %s", rep.Skipped)
		}
	})
}
