package fuzz

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// Sessions are created once per process and target: deploying the contracts costs far more
// than a step. Each target has its own, so pre-image parts loaded by one target's inputs
// are never visible to another's.
var (
	sessionsMu sync.Mutex
	sessions   = map[string]*evmharness.Session{}
)

func session(t testing.TB) *evmharness.Session {
	t.Helper()
	name, _, _ := strings.Cut(t.Name(), "/")
	sessionsMu.Lock()
	defer sessionsMu.Unlock()
	if s, ok := sessions[name]; ok {
		return s
	}
	s, err := evmharness.NewBuiltinSession()
	if err != nil {
		t.Fatalf("EVM session: %v", err)
	}
	sessions[name] = s
	return s
}

// onStep, when set, sees every checked step (tests of the generators use it).
var onStep func(in *check.StepInput)

// stepper runs Go steps with witnesses on one state and checks each against the EVM.
type stepper struct {
	t     *testing.T
	sess  *evmharness.Session
	st    *vm.State
	v     *vm.VM
	store evmharness.PreimageStore
}

func newStepper(t *testing.T, st *vm.State, oracle vm.PreimageOracle) *stepper {
	return &stepper{t: t, sess: session(t), st: st, v: vm.New(st, oracle, nil, nil)}
}

// goStep runs one Go step and packages it as the diff loop does.
func (p *stepper) goStep() *check.StepInput {
	act := p.st.ActiveThread()
	w, err := p.v.Step(true)
	if err != nil {
		w = p.v.FailedStepWitness()
	}
	in := check.InputFromWitness(check.OurWitness(w))
	in.Store = p.store
	in.GoErr = err
	if err == nil {
		post := p.st.EncodeWitness()
		in.GoPost = post[:]
	}
	if act != nil {
		enc := vm.EncodeThread(act)
		in.GoThread = enc[:]
	}
	return in
}

// step runs one Go step, checks it against the EVM and fails the test on any disagreement
// or on a Go fault that is a bug of the Go VM itself. It returns the Go step's error.
func (p *stepper) step() error {
	p.t.Helper()
	in := p.goStep()
	var f *vm.Fault
	if errors.As(in.GoErr, &f) && (f.Kind == vm.FaultInternal || f.Kind == vm.FaultMemoryAccess) {
		p.t.Fatalf("Go VM failed internally: %v\n%s", in.GoErr, describeInput(in))
	}
	rep := check.CheckStep(p.sess, in)
	if onStep != nil {
		onStep(in)
	}
	if !rep.Agree() {
		p.t.Fatalf("Go and EVM disagree:\n  %s\n%s%s", strings.Join(rep.Mismatches, "\n  "), describeOutcome(in, rep.EVM), describeInput(in))
	}
	return in.GoErr
}

// describeOutcome decodes what differs, field by field.
func describeOutcome(in *check.StepInput, out *evmharness.EVMOutcome) string {
	var b strings.Builder
	if out.Reverted {
		fmt.Fprintf(&b, "EVM reverted: %s (%s)\n", out.RevertReason, out.HaltReason)
	}
	if in.GoErr != nil {
		fmt.Fprintf(&b, "Go error: %v\n", in.GoErr)
	}
	if len(out.Logs) == 1 && in.GoPost != nil {
		for _, d := range check.DiffStates(in.GoPost, out.Logs[0].Data) {
			fmt.Fprintf(&b, "  state  %s\n", d)
		}
	}
	if len(out.Thread) > 0 && in.GoThread != nil {
		for _, d := range check.DiffThreads(in.GoThread, out.Thread) {
			fmt.Fprintf(&b, "  thread %s\n", d)
		}
	}
	if out.Load != nil && (out.Load.Reverted || out.Load.Error != "") {
		fmt.Fprintf(&b, "oracle load: %s%s\n", out.Load.Revert, out.Load.Error)
	}
	return b.String()
}

// describeInput is enough to replay the step: pre-state, proof, pre-image.
func describeInput(in *check.StepInput) string {
	var b strings.Builder
	for _, d := range check.DescribeState(in.State) {
		fmt.Fprintf(&b, "  pre    %s\n", d)
	}
	if len(in.Proof) >= vm.ThreadWitnessSize {
		th, err := vm.DecodeThread(in.Proof[:vm.ThreadWitnessSize])
		if err == nil {
			fmt.Fprintf(&b, "  thread id=%d pc=0x%x nextPC=0x%x hi=0x%x lo=0x%x regs=%x\n", th.ThreadID, th.PC, th.NextPC, th.HI, th.LO, th.Registers)
		}
	}
	fmt.Fprintf(&b, "  state 0x%s\n  proof 0x%s\n", hex.EncodeToString(in.State), hex.EncodeToString(in.Proof))
	if in.HasPreimage {
		fmt.Fprintf(&b, "  preimage key 0x%x offset %d value 0x%x\n", in.PreimageKey, in.PreimageOffset, in.PreimageValue)
	}
	return b.String()
}
