package vm

import "fmt"

// RunResult summarizes a Run.
type RunResult struct {
	Steps    uint64 // steps executed by this call
	Exited   bool   // the VM has exited
	ExitCode uint8  // valid when Exited
}

// Run executes up to maxSteps steps without building witnesses, stopping early when the VM
// exits or a step faults (the *Fault is returned with the steps completed before it). Use
// math.MaxUint64 for no limit. An already exited VM executes no step. With a livelock
// window set, a run without progress stops with a *LivelockError.
func (v *VM) Run(maxSteps uint64) (res RunResult, err error) {
	if v.obs != nil { // EnableStats or SetLivelockWindow: a separate, slower loop (stats.go)
		return v.runObserved(maxSteps)
	}
	s := v.state
	defer func() {
		if r := recover(); r != nil {
			err = v.fault(FaultInternal, 0, fmt.Sprint(r))
		}
		res.Exited, res.ExitCode = s.Exited, s.ExitCode
	}()
	v.proofing = false
	for res.Steps < maxSteps && !s.Exited {
		v.preStep = s.Step
		// Hot path: the active thread is live and within its quantum, so the scheduler only
		// counts (docs/spec.md §4 "One step: the scheduler" items 3, 7, 8). Everything else
		// goes through step().
		st := s.LeftThreadStack
		if s.TraverseRight {
			st = s.RightThreadStack
		}
		if n := len(st); n != 0 && !st[n-1].Exited && s.StepsSinceLastContextSwitch < SchedQuantum {
			s.Step++
			s.StepsSinceLastContextSwitch++
			if err := v.execute(st[n-1]); err != nil {
				return res, err
			}
			if len(s.ActiveStack()) == 0 {
				return res, v.fault(FaultEmptyThreadStack, 0, "after the step")
			}
		} else if err := v.step(); err != nil {
			return res, err
		}
		res.Steps++
	}
	return res, nil
}
