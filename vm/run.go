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
// math.MaxUint64 for no limit. An already exited VM executes no step.
func (v *VM) Run(maxSteps uint64) (res RunResult, err error) {
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
		if err := v.step(); err != nil {
			return res, err
		}
		res.Steps++
	}
	return res, nil
}
