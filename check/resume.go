package check

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"sync/atomic"
)

// Stopping a run early and continuing it later. A CI runner that cancels a job, or a
// cluster that preempts a pod, sends SIGTERM and kills a few seconds later; a whole trace
// takes hours, so what was checked until then must not be lost.
//
// On RunConfig.Interrupt the producers stop handing out new steps (the single producer at
// the next step; parallel producers finish the chunk each holds and take no more, so the
// steps produced are one contiguous prefix), the workers check every step already handed
// to them, and the result is marked Interrupted with LastStep the first step not run: every
// step before it was run, counted, and checked where the mode checks it. RunConfig.Resume
// takes such a result, fast-forwards to its LastStep and continues with its counts, so the
// resumed run's result is the one an uninterrupted run would have given.

// watchInterrupt turns a close of ch into stop, a flag the producers read for every step at
// no cost. The returned function ends the watch.
func watchInterrupt(ch <-chan struct{}, stop *atomic.Bool) func() {
	if ch == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
			stop.Store(true)
		case <-done:
		}
	}()
	return func() { close(done) }
}

// halted reports whether the run was asked to stop.
func (cfg RunConfig) halted() bool { return cfg.halt != nil && cfg.halt.Load() }

// checkResume requires prior to be an interrupted run of the same program, mode and range.
func (cfg RunConfig) checkResume(prior *RunResult) error {
	switch {
	case !prior.Interrupted:
		return errors.New("--resume: the summary is not of an interrupted run (nothing to resume)")
	case prior.Divergence != nil:
		return errors.New("--resume: the summary already reports a divergence")
	case filepath.Base(prior.Program) != filepath.Base(cfg.Program):
		return fmt.Errorf("--resume: the summary is of %s, not %s", prior.Program, cfg.Program)
	case prior.Mode != cfg.modeName():
		return fmt.Errorf("--resume: the summary checked in mode %s, this run in mode %s", prior.Mode, cfg.modeName())
	case prior.LastStep < prior.FirstStep:
		return fmt.Errorf("--resume: the summary's last step %d is before its first step %d", prior.LastStep, prior.FirstStep)
	}
	want := cfg.Range.json()
	got := prior.Range
	if (want == nil) != (got == nil) || (want != nil && (got.Start != want.Start || got.ToExit != want.ToExit || (!want.ToExit && got.End != want.End))) {
		return fmt.Errorf("--resume: the summary's range %s differs from this run's %s", rangeText(got), rangeText(want))
	}
	return nil
}

func rangeText(r *RangeJSON) string {
	switch {
	case r == nil:
		return "(whole run)"
	case r.ToExit:
		return fmt.Sprintf("%d:end", r.Start)
	}
	return fmt.Sprintf("%d:%d", r.Start, r.End)
}

// resume fast-forwards v (just loaded) to the step prior stopped at and loads prior's
// counts into res and gas.
func (cfg RunConfig) resume(prior *RunResult, v VM, res *RunResult, gas gasHistogram) error {
	if err := cfg.checkResume(prior); err != nil {
		return err
	}
	var view View
	v.View(&view)
	if prior.LastStep < view.Step {
		return fmt.Errorf("--resume: the summary stopped at step %d, before the guest's first step %d", prior.LastStep, view.Step)
	}
	_, err := v.Run(prior.LastStep - view.Step)
	v.View(&view)
	if err != nil || view.Step != prior.LastStep {
		return fmt.Errorf("--resume: the guest stopped at step %d before step %d where the summary stopped (not the same ELF and pre-images?)", view.Step, prior.LastStep)
	}
	res.FirstStep, res.StepsFastForwarded = prior.FirstStep, prior.StepsFastForwarded
	res.StepsRun, res.StepsChecked = prior.StepsRun, prior.StepsChecked
	for name, c := range prior.Classes {
		cc := *c
		res.Classes[name] = &cc
	}
	maps.Copy(res.PreimageReads, prior.PreimageReads)
	gas.add(prior.GasHistogram)
	at := prior.LastStep
	res.ResumedAt = &at
	return nil
}

// markInterrupted marks res, after finish, as interrupted when the run was asked to stop
// and nothing else ended it.
func (cfg RunConfig) markInterrupted(res *RunResult) {
	if !cfg.halted() || res.ended() {
		return
	}
	if cfg.Range.Set && !cfg.Range.ToExit && res.LastStep >= cfg.Range.End {
		return
	}
	if cfg.MaxSteps > 0 && res.StepsRun >= cfg.MaxSteps {
		return
	}
	res.Interrupted = true
	if res.Range != nil && res.Range.ToExit {
		res.Range.End = OpenEnd // the exit was not reached: the range is still open
	}
	if res.LastStep > res.FirstStep {
		last := res.LastStep - 1
		res.LastCheckedInOrder = &last
	}
}

// collapseResumed replaces each interrupted summary by the run that resumed it (whose
// counts include it), so that an interrupted shard and its continuation merge as one
// shard. An interrupted summary that nothing resumed is an error: its range is unfinished.
func collapseResumed(shards []Shard) ([]Shard, error) {
	superseded := make([]bool, len(shards))
	for i, s := range shards {
		at := s.Result.ResumedAt
		if at == nil {
			continue
		}
		for j, p := range shards {
			pr := p.Result
			if j == i || !pr.Interrupted || pr.LastStep != *at || pr.FirstStep != s.Result.FirstStep || rangeText(pr.Range) != rangeText(s.Result.Range) {
				continue
			}
			if superseded[j] {
				return nil, fmt.Errorf("merge: %s is resumed twice (by %s and another summary)", p.Name, s.Name)
			}
			if s.Result.StepsChecked < pr.StepsChecked || s.Result.StepsRun < pr.StepsRun {
				return nil, fmt.Errorf("merge: %s resumes %s but counts fewer steps", s.Name, p.Name)
			}
			superseded[j] = true
		}
	}
	var out []Shard
	for i, s := range shards {
		if superseded[i] {
			continue
		}
		if r := s.Result; r.Interrupted {
			return nil, fmt.Errorf("merge: %s was interrupted at step %d: resume it (fpvmdiff run --resume %s) and merge the continuation", s.Name, r.LastStep, s.Name)
		}
		out = append(out, s)
	}
	return out, nil
}
