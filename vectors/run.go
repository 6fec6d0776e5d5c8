package vectors

import (
	"errors"
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// Runner runs vectors through both implementations.
type Runner struct {
	// Session is the EVM side; nil runs the Go VM only (a vector then checks the Go side
	// against its expectation and says the EVM was skipped).
	Session *evmharness.Session
	// Variants is the number of randomized variants run besides the vector as written.
	Variants int
	Seed     uint64
	// AnyRevert accepts any revert reason for an expected exception; by default a vector
	// naming its fault kind needs the contract's revert reason for that kind (reasons.go).
	AnyRevert bool
	// Tamper, when set, also runs the forged witnesses of every variant both sides agreed
	// on (tamper.go); TamperStats sums them.
	Tamper      *check.TamperOptions
	TamperStats *check.TamperStats
}

// Result is the verdict on one vector variant.
type Result struct {
	Name    string
	File    string
	Variant int
	Class   string // behaviour class of the pre-state (check.Classify)
	// OpClasses are the operand classes of the pre-state (coverage/classes).
	OpClasses []string
	// Differential is set for a variant whose operands were drawn anew: it is checked by
	// the two implementations agreeing, not by the vector's expectation.
	Differential bool
	// Insn is the disassembled instruction at the active thread's pc and Inputs its input
	// operands ("$8=0x28 $9=0x…"), for the report of a failing vector.
	Insn, Inputs string
	// Tags are the coverage rows the vector names in "covers", plus "fault/<kind>" of an
	// expected exception and "preimage/type<N>" of a pre-image read.
	Tags []string
	// Failures are human-readable lines, empty when both sides match the expectation.
	Failures []string
	Bundle   *check.Bundle // set when the Go VM and the EVM disagree with each other
	// GoFault and EVMRevert are the reasons of a failed step on each side.
	GoFault   string
	EVMRevert string
}

// Pass reports whether the variant passed.
func (r *Result) Pass() bool { return len(r.Failures) == 0 }

// Run runs one vector and its variants.
func (r *Runner) Run(v *Vector) ([]*Result, error) {
	c, err := Resolve(v)
	if err != nil {
		return nil, fmt.Errorf("%s: vector %q: %w", v.File, v.Name, err)
	}
	var out []*Result
	for n := 0; n <= r.Variants; n++ {
		res, err := r.runVariant(c, n)
		if err != nil {
			return nil, fmt.Errorf("%s: vector %q: %w", v.File, v.Name, err)
		}
		out = append(out, res)
		if n == 0 && len(v.randomizeKinds()) == 0 {
			break
		}
	}
	return out, nil
}

func (r *Runner) runVariant(c *Case, n int) (*Result, error) {
	pre, lay := c.variant(n, r.Seed)
	want, err := expected(c, pre, lay)
	if err != nil {
		return nil, err
	}
	res := &Result{Name: c.V.Name, File: c.V.File, Variant: n, Class: check.Classify(check.OurView(pre)),
		OpClasses: OperandClasses(pre), Differential: lay.operands}
	res.Insn, res.Inputs = describeInsn(pre)
	fail := func(format string, a ...any) { res.Failures = append(res.Failures, fmt.Sprintf(format, a...)) }

	// Go side: one step with proofs on a copy (the pre-state is kept for the EVM input).
	goState := copyState(pre)
	machine := vm.New(goState, c.Oracle, nil, nil)
	thread := goState.ActiveThread()
	wit, goErr := machine.Step(true)
	if goErr != nil {
		wit = machine.FailedStepWitness()
	}
	var fault *vm.Fault
	switch {
	case want == nil && errors.As(goErr, &fault) && fault.Kind == vm.FaultInternal:
		fail("go: the step failed with an internal error, not a guest fault: %v", goErr)
	case want == nil && goErr == nil:
		fail("go: the step succeeded, want an exception")
	case want == nil && c.V.Expect.Fault != "" && (fault == nil || string(fault.Kind) != c.V.Expect.Fault):
		fail("go: the step failed for another reason (%v), want %q", goErr, c.V.Expect.Fault)
	case want != nil && goErr != nil:
		fail("go: the step failed (%v), want success", goErr)
	case want != nil && !lay.operands:
		for _, d := range diffStates(want, goState, c.candidateAddrs(pre)) {
			fail("go: %s", d)
		}
	}

	res.Tags = append(res.Tags, c.V.Covers...)
	if fault != nil {
		res.GoFault = string(fault.Kind)
	}
	if want == nil && errors.As(goErr, &fault) {
		res.Tags = append(res.Tags, "fault/"+string(fault.Kind))
	}
	if wit != nil && wit.HasPreimage {
		res.Tags = append(res.Tags, fmt.Sprintf("preimage/type%d", wit.PreimageKey[0]))
	}

	// EVM side: the same witness, checked against the Go outcome and against the expectation.
	if r.Session == nil {
		return res, nil
	}
	in := check.InputFromWitness(check.OurWitness(wit))
	in.GoErr = goErr
	in.Store = c.Store
	if goErr == nil {
		post := goState.EncodeWitness()
		in.GoPost = post[:]
	}
	if thread != nil {
		enc := vm.EncodeThread(thread)
		in.GoThread = enc[:]
	}
	rep := check.CheckStep(r.Session, in)
	out := rep.EVM
	if out.Reverted {
		res.EVMRevert = out.RevertReason
	}
	if load := out.Load; load != nil && (load.Reverted || load.Error != "") {
		fail("evm: pre-image part load failed: %s%s", load.Revert, load.Error)
	}
	switch {
	case want == nil && !out.Reverted:
		fail("evm: the step succeeded, want an exception (revert)")
		res.Failures = append(res.Failures, evmThreadDiff(pre, r.evmThread(in, out), "pre")...)
	case want == nil && !r.AnyRevert && c.V.Expect.Fault != "" && !reasonMatches(c.V.Expect.Fault, out.RevertReason):
		fail("evm: reverted with %s, want the revert of %q", out.RevertReason, c.V.Expect.Fault)
	case want != nil && out.Reverted:
		fail("evm: the step reverted (%s), want success", out.RevertReason)
	case want != nil && len(out.Logs) != 1:
		fail("evm: %d logs, want exactly 1", len(out.Logs))
	case want != nil && !lay.operands:
		w := want.EncodeWitness()
		diffs := check.DiffStates(w[:], out.Logs[0].Data)
		for _, d := range diffs {
			fail("evm: %-28s want=%s evm=%s", d.Field, d.Go, d.EVM)
		}
		if len(diffs) > 0 {
			res.Failures = append(res.Failures, evmThreadDiff(want, r.evmThread(in, out), "want")...)
		}
	}
	if rep.Agree() {
		r.tamper(in, out, res)
	}
	if !rep.Agree() {
		for _, m := range rep.Mismatches {
			fail("go vs evm: %s", m)
		}
		res.Bundle = check.NewBundle(in, rep, r.Session, res.Class)
	}
	return res, nil
}

// evmThread is the thread the contract hashed last in this step; the step is traced for it
// when the check has not already done so (only failing vectors pay for the trace).
func (r *Runner) evmThread(in *check.StepInput, out *evmharness.EVMOutcome) []byte {
	if out.Thread == nil {
		r.Session.Trace(in.State, in.Proof, out)
	}
	return out.Thread
}
