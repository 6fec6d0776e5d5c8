package check

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
)

// Shard is one run summary to merge and the name it is reported under (its file).
type Shard struct {
	Name   string
	Result *RunResult
}

// span is the part of the trace a summary answers for: its --range when it had one (a shard
// whose guest exited early still answers for the rest of its range: there is nothing there),
// otherwise the steps it actually ran.
func (r *RunResult) span() (start, end uint64) {
	if r.Range != nil {
		return r.Range.Start, r.Range.End
	}
	return r.FirstStep, r.LastStep
}

// ended reports whether a run has a reason to stop before the end of its range.
func (r *RunResult) ended() bool { return r.Exited || r.Divergence != nil || r.GoFault != "" }

// Complete returns an error unless the run (or the merged shards) went on until the trace
// ended: the guest exited, or a divergence or a fault both sides agree on ended it. A
// range that stops earlier leaves the rest of the trace unchecked, which a "whole trace"
// run must not do silently.
func (r *RunResult) Complete() error {
	if r.ended() {
		return nil
	}
	return fmt.Errorf("the checked steps end at step %d and the guest had not exited there: the rest of its trace is unchecked (use --range A:end, which runs to the guest's exit)", r.LastStep)
}

// Merge combines the summaries of shards of one trace into the summary a single run over
// their union would have given: counts summed, gas percentiles recomputed exactly from the
// histograms, the first divergence by step number. The shards must cover one contiguous
// range, each step exactly once. Shards that start after the first divergence are not
// counted, since a single run would have stopped there.
func Merge(shards []Shard) (*RunResult, error) {
	if len(shards) == 0 {
		return nil, errors.New("merge: no summaries given")
	}
	for _, s := range shards {
		if s.Result == nil {
			return nil, fmt.Errorf("merge: %s: empty summary", s.Name)
		}
		if s.Result.SchemaVersion != SummarySchemaVersion {
			return nil, fmt.Errorf("merge: %s has schema_version %d, this fpvmdiff merges %d (written by another fpvmdiff?): re-run the shard",
				s.Name, s.Result.SchemaVersion, SummarySchemaVersion)
		}
	}
	shards, err := collapseResumed(shards)
	if err != nil {
		return nil, err
	}
	for _, s := range shards {
		if s.Result.GasHistogram == nil && s.Result.Gas.Count > 0 {
			return nil, fmt.Errorf("merge: %s has gas percentiles but no gas_histogram (written by an older fpvmdiff?): re-run the shard", s.Name)
		}
	}
	slices.SortStableFunc(shards, func(a, b Shard) int {
		as, _ := a.Result.span()
		bs, _ := b.Result.span()
		switch {
		case as < bs:
			return -1
		case as > bs:
			return 1
		}
		return 0
	})
	if err := checkCompatible(shards); err != nil {
		return nil, err
	}
	if err := checkCoverage(shards); err != nil {
		return nil, err
	}

	first := shards[0].Result
	var div *Shard
	for i := range shards {
		if b := shards[i].Result.Divergence; b != nil && (div == nil || b.Step < div.Result.Divergence.Step) {
			div = &shards[i]
		}
	}
	out := &RunResult{SchemaVersion: SummarySchemaVersion, Identity: first.Identity,
		Program: first.Program, Mode: first.Mode, FirstStep: first.FirstStep,
		StepsFastForwarded: first.StepsFastForwarded, Classes: map[string]*ClassStats{},
		PreimageReads: map[string]uint64{}, Shards: len(shards)}
	gas := gasHistogram{}
	var last *RunResult
	for _, s := range shards {
		r := s.Result
		if start, _ := r.span(); div != nil && start > div.Result.Divergence.Step {
			break
		}
		last = r
		out.StepsRun += r.StepsRun - r.StepsFastForwarded
		out.StepsChecked += r.StepsChecked
		for name, c := range r.Classes {
			oc := out.Classes[name]
			if oc == nil {
				oc = &ClassStats{}
				out.Classes[name] = oc
			}
			oc.Run += c.Run
			oc.Checked += c.Checked
		}
		for kt, n := range r.PreimageReads {
			out.PreimageReads[kt] += n
		}
		gas.add(r.GasHistogram)
		if r.Tamper != nil {
			if out.Tamper == nil {
				out.Tamper = &TamperStats{Words: r.Tamper.Words}
			}
			out.Tamper.Merge(r.Tamper)
		}
		out.Duration = max(out.Duration, r.Duration)
		out.Workers += r.Workers
	}
	out.StepsRun += out.StepsFastForwarded
	out.LastStep, out.Exited, out.ExitCode, out.GoFault = last.LastStep, last.Exited, last.ExitCode, last.GoFault
	if first.Range != nil && last.Range != nil {
		out.Range = &RangeJSON{Start: first.Range.Start, End: last.Range.End, ToExit: last.Range.ToExit}
	}
	if div != nil {
		out.Divergence, out.BundlePath = div.Result.Divergence, div.Result.BundlePath
	}
	out.GasHistogram = gas.export()
	out.Gas = gas.stats()
	return out, nil
}

func checkCompatible(shards []Shard) error {
	first := shards[0]
	for _, s := range shards[1:] {
		if filepath.Base(s.Result.Program) != filepath.Base(first.Result.Program) {
			return fmt.Errorf("merge: %s is a run of %s but %s is a run of %s", s.Name, s.Result.Program, first.Name, first.Result.Program)
		}
		if s.Result.Mode != first.Result.Mode {
			return fmt.Errorf("merge: %s checked in mode %s but %s in mode %s", s.Name, s.Result.Mode, first.Name, first.Result.Mode)
		}
		// Shards of different builds, guests or contracts answer different questions, even
		// when their file names agree.
		if field, a, b, differ := first.Result.Identity.FirstDifference(s.Result.Identity); differ {
			return fmt.Errorf("merge: %s and %s differ in %s: %s vs %s", first.Name, s.Name, field, orNone(a), orNone(b))
		}
	}
	return nil
}

// checkCoverage requires shards (sorted by start) to tile one range, and each shard to have
// run to the end of its range unless something ended the trace there.
func checkCoverage(shards []Shard) error {
	for i, s := range shards {
		start, end := s.Result.span()
		if r := s.Result; r.Range != nil && r.LastStep < end && !r.ended() {
			return fmt.Errorf("merge: %s stopped at step %d, before the end of its range %d:%d (was --max-steps given?)",
				s.Name, r.LastStep, start, end)
		}
		if i == 0 {
			continue
		}
		prev := shards[i-1]
		_, prevEnd := prev.Result.span()
		switch {
		case start < prevEnd:
			return fmt.Errorf("merge: %s and %s overlap: both cover steps %d:%d", prev.Name, s.Name, start, min(prevEnd, end))
		case start > prevEnd:
			return fmt.Errorf("merge: no shard covers steps %d:%d (between %s and %s)", prevEnd, start, prev.Name, s.Name)
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
