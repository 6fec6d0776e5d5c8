package check

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/internal/elfsym"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// The diff loop: the Go VM produces witnesses in step order; EVM workers (one session each)
// check them; the first divergence by step number is reported whatever the worker count
// (DESIGN.md, "Checking modes").

// CheckMode selects which steps are checked.
type CheckMode int

const (
	CheckAll    CheckMode = iota // every step
	CheckSample                  // rare classes, every pre-image read, every N-th step, the last step
)

// StepRange is a half-open range of pre-state step counters [Start, End).
type StepRange struct {
	Start, End uint64
	Set        bool
	// ToExit is a range that ends where the guest stops (--range A:end): End is then
	// ^uint64(0), and the summary records the step the run actually ended at.
	ToExit bool
}

// OpenEnd is the End of a range that runs to the guest's exit.
const OpenEnd = ^uint64(0)

func (r StepRange) contains(step uint64) bool { return r.Set && step >= r.Start && step < r.End }

// RunConfig configures Run.
type RunConfig struct {
	ELF       []byte
	Program   string            // name of the ELF, for reports
	Preimages *fpvm.PreimageMap // nil: the guest reads no pre-images
	// Open loads the ELF into the Go VM that produces the witnesses (nil: OurVM).
	Open     Open
	Mode     CheckMode
	Range    StepRange // only steps inside are run through the checker; the run stops at End
	Window   StepRange // steps inside are checked in every mode
	MaxSteps uint64    // 0: until the VM exits

	SampleK     int    // sample: check each class at least this often (default 3)
	SampleEvery uint64 // sample: also every N-th step (default 1000; 0 keeps the default)

	Workers int // EVM workers (default: one per core)
	// Producers are the witness producers of --check all, each with its own VM (0: one per
	// six workers; sampling always has one). The result does not depend on it.
	Producers        int
	Contract, Oracle *evmharness.Artifact // nil: the embedded contracts
	BundleDir        string               // where a divergence bundle is written ("" = not written)

	GuestStdout, GuestStderr io.Writer // guest output (nil = discarded)

	Progress      func(Progress) // called about every ProgressEvery from the producer
	ProgressEvery time.Duration  // default 2s

	// Tamper, when set, also runs the forged witnesses of every checked step the two sides
	// agreed on (tamper.go), on the same EVM worker.
	Tamper *TamperOptions

	// GoPostHook, when set, may alter the Go post-state before comparison (tests use it to
	// prove that a corrupted Go side is caught).
	GoPostHook func(step uint64, post []byte)

	// Interrupt, when closed, stops the run early: the steps handed to the workers are
	// still checked and the result is marked Interrupted (resume.go).
	Interrupt <-chan struct{}
	// Resume continues the interrupted run it summarizes (same program, mode and range).
	Resume *RunResult

	halt *atomic.Bool // set once Interrupt is closed (tests may set it first)
}

// Progress is a snapshot of a running diff.
type Progress struct {
	StepsRun, StepsChecked, Done uint64 // Done: checked steps the EVM has finished
	Elapsed                      time.Duration
	// Step is the step counter of the Go VM; FirstStep where checking began; EndStep where
	// the run will stop at the latest (--range, --max-steps), 0 when only the guest's exit
	// ends it.
	Step, FirstStep, EndStep uint64
	Diverged                 bool // a divergence was found; the run is stopping
}

// ClassStats counts one behaviour class.
type ClassStats struct {
	Run     uint64 `json:"run"`
	Checked uint64 `json:"checked"`
}

// RunResult is the outcome of Run.
type RunResult struct {
	// SchemaVersion is SummarySchemaVersion; Identity says which build checked which ELF
	// against which contracts (identity.go).
	SchemaVersion int `json:"schema_version"`
	Identity
	Program   string `json:"program"`
	Mode      string `json:"mode"`
	FirstStep uint64 `json:"first_step"`
	LastStep  uint64 `json:"last_step"` // the step counter at the end
	// Range is the --range (or --shard part of it) the run was asked for; merge checks that
	// shards cover one range without gaps or overlaps.
	Range *RangeJSON `json:"range,omitempty"`
	// StepsFastForwarded are the unchecked steps run before the range (included in StepsRun).
	StepsFastForwarded uint64                 `json:"steps_fast_forwarded"`
	StepsRun           uint64                 `json:"steps_run"`
	StepsChecked       uint64                 `json:"steps_checked"`
	Classes            map[string]*ClassStats `json:"classes"`
	// PreimageReads counts checked steps that read a pre-image part, by key type.
	PreimageReads map[string]uint64 `json:"preimage_reads"`
	Gas           GasStats          `json:"gas"`
	// GasHistogram holds the exact gas of every counted checked step, so that shards merge
	// into exact percentiles.
	GasHistogram GasHistogram  `json:"gas_histogram"`
	Exited       bool          `json:"exited"`
	ExitCode     uint8         `json:"exit_code"`
	GoFault      string        `json:"go_fault,omitempty"` // a fault both sides agreed on
	Divergence   *Bundle       `json:"divergence,omitempty"`
	BundlePath   string        `json:"bundle_path,omitempty"`
	Duration     time.Duration `json:"duration_ns"`
	Workers      int           `json:"workers"`
	Shards       int           `json:"shards,omitempty"` // summaries merged into this one

	// Interrupted: the run was stopped (SIGINT/SIGTERM) before its end. Every step from
	// FirstStep to LastStep (exclusive) was run and counted, and checked where the mode
	// checks it; LastCheckedInOrder is the last of them. 'run --resume' continues there.
	Interrupted        bool    `json:"interrupted,omitempty"`
	LastCheckedInOrder *uint64 `json:"last_checked_in_order,omitempty"`
	// ResumedAt: this run continued an interrupted one from this step; its counts include
	// the interrupted run's.
	ResumedAt *uint64 `json:"resumed_at,omitempty"`

	// Tamper sums the forged witnesses of --tamper (nil without).
	Tamper *TamperStats `json:"tamper,omitempty"`
}

// TamperFailed reports whether tamper mode found a forged witness with the wrong outcome.
func (r *RunResult) TamperFailed() bool { return r.Tamper != nil && r.Tamper.Findings > 0 }

// Diverged reports whether a divergence was found.
func (r *RunResult) Diverged() bool { return r.Divergence != nil }

// GasStats summarizes the execution gas of checked step calls.
type GasStats struct {
	Count  uint64 `json:"count"`
	Min    uint64 `json:"min"`
	Median uint64 `json:"median"`
	P99    uint64 `json:"p99"`
	Max    uint64 `json:"max"`
}

// gasHistogram counts checked steps by their exact gas. Step gas takes a few thousand
// distinct values, so this is small however long the run, and percentiles stay exact.
type gasHistogram map[uint64]uint64

func (h gasHistogram) stats() GasStats {
	if len(h) == 0 {
		return GasStats{}
	}
	values := make([]uint64, 0, len(h))
	var n uint64
	for v, c := range h {
		values = append(values, v)
		n += c
	}
	slices.Sort(values)
	// at is the value of rank q·(n−1) (0-based) in the sorted multiset.
	at := func(q float64) uint64 {
		rank := uint64(q * float64(n-1))
		var seen uint64
		for _, v := range values {
			seen += h[v]
			if seen > rank {
				return v
			}
		}
		return values[len(values)-1]
	}
	return GasStats{Count: n, Min: values[0], Median: at(0.5), P99: at(0.99), Max: values[len(values)-1]}
}

// InputError marks a problem with the user's input (ELF, contract, pre-images): the CLI maps
// it to exit status 2.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

type job struct {
	in    *StepInput
	class string
}

const noDivergence = ^uint64(0)

type result struct {
	step    uint64
	gas     uint64
	bundle  *Bundle
	skipped bool
	tamper  *TamperReport
}

// Run executes the ELF under the Go VM and checks steps against the step contract.
func Run(cfg RunConfig) (*RunResult, error) {
	started := time.Now()
	cfg = withDefaults(cfg)
	if cfg.halt == nil { // tests set it to stop at an exact step
		cfg.halt = &atomic.Bool{}
	}
	defer watchInterrupt(cfg.Interrupt, cfg.halt)()
	mips, oracle, builtin, err := cfg.contracts()
	if err != nil {
		return nil, &InputError{err}
	}
	v, err := cfg.Open(cfg.ELF, cfg.Preimages, cfg.GuestStdout, cfg.GuestStderr)
	if err != nil {
		return nil, &InputError{fmt.Errorf("loading %s: %w", cfg.Program, err)}
	}
	store := evmharness.PreimageStore{}
	if cfg.Preimages != nil {
		store = evmharness.PreimageStore(cfg.Preimages.Preimages)
	}
	var view View
	v.View(&view)
	endStep := cfg.endStep(view.Step)
	res := &RunResult{SchemaVersion: SummarySchemaVersion, Program: cfg.Program, Mode: cfg.modeName(),
		Classes: map[string]*ClassStats{}, PreimageReads: map[string]uint64{}, Workers: cfg.Workers,
		Range: cfg.Range.json()}

	// Sessions are created up front so a contract that cannot be deployed is an input error.
	sessions := make([]*evmharness.Session, cfg.Workers)
	for i := range sessions {
		if sessions[i], err = evmharness.NewSession(mips, oracle); err != nil {
			return nil, &InputError{err}
		}
		sessions[i].Builtin = builtin
	}
	res.Identity = NewIdentity(cfg.ELF, sessions[0])
	origin := bundleOrigin{program: cfg.Program, elfSHA256: res.ELFSHA256}
	origin.syms, _ = elfsym.Load(cfg.ELF) // no symbols: bundles show bare pcs

	gas := gasHistogram{}
	if cfg.Resume != nil {
		if err := cfg.resume(cfg.Resume, v, res, gas); err != nil {
			return nil, &InputError{err}
		}
		v.View(&view)
	} else if cfg.Range.Set && cfg.Range.Start > view.Step {
		n := cfg.Range.Start - view.Step
		if cfg.MaxSteps > 0 {
			n = min(n, cfg.MaxSteps)
		}
		ran, err := v.Run(n)
		res.StepsRun += ran
		res.StepsFastForwarded = ran
		if err != nil {
			res.GoFault = fmt.Sprintf("before the checked range: %v", err)
			return finish(res, v, started, nil), nil
		}
		v.View(&view)
	}
	if cfg.Resume == nil {
		res.FirstStep = view.Step
	}
	start := view.Step // where this process starts producing

	// Both queues are bounded: when the workers fall behind, the producer blocks instead of
	// piling up witnesses (about 13 KB each with their calldata), so memory does not grow
	// with the trace. Steps travel in batches to keep channel hand-offs and goroutine
	// wake-ups rare next to the work.
	jobs := make(chan []job, 2*cfg.Workers)
	results := make(chan []result, 2*cfg.Workers)
	// firstDiv is the lowest diverging step found so far. Workers still check every job at or
	// below it, so no earlier divergence can be missed; jobs above it are skipped.
	var firstDiv atomic.Uint64
	firstDiv.Store(noDivergence)
	var wg sync.WaitGroup
	for _, s := range sessions {
		wg.Add(1)
		go func(s *evmharness.Session) {
			defer wg.Done()
			for batch := range jobs {
				results <- checkBatch(s, batch, origin, &firstDiv, cfg.Tamper)
			}
		}(s)
	}

	var tamper *TamperStats
	if cfg.Tamper != nil {
		tamper = &TamperStats{Words: cfg.Tamper.Words, Kinds: map[string]uint64{}}
	}
	nproducers := cfg.producers()
	front := newFrontier(nproducers, start)
	col := &collector{frontier: front, gas: gas, tamper: tamper}
	var done atomic.Uint64
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for batch := range results {
			done.Add(uint64(len(batch)))
			col.collect(batch)
		}
		col.finish()
	}()

	var perr error
	if nproducers > 1 {
		var ran, checked atomic.Uint64
		stopProgress := make(chan struct{})
		progressDone := make(chan struct{})
		go func() { // the producers are busy: progress comes from a clock
			defer close(progressDone)
			if cfg.Progress == nil {
				return
			}
			tick := time.NewTicker(cfg.ProgressEvery)
			defer tick.Stop()
			for {
				select {
				case <-stopProgress:
					return
				case <-tick.C:
					r := ran.Load()
					cfg.Progress(Progress{StepsRun: r, StepsChecked: checked.Load(), Done: done.Load(),
						Elapsed: time.Since(started), Step: start + r, FirstStep: start, EndStep: endStep,
						Diverged: firstDiv.Load() != noDivergence})
				}
			}
		}()
		v, perr = parallelProducers(cfg, res, v, nproducers, start, endStep, store, jobs, front, &firstDiv, &ran, &checked)
		close(stopProgress)
		<-progressDone
	} else {
		p := &producer{planner: planner{cfg: cfg, res: res}, v: v, store: store, jobs: jobs, frontier: front}
		lastProgress := time.Now()
		for firstDiv.Load() == noDivergence && !cfg.halted() {
			more, err := p.next()
			if err != nil {
				perr = err
				break
			}
			if !more {
				break
			}
			if cfg.Progress != nil && time.Since(lastProgress) >= cfg.ProgressEvery {
				lastProgress = time.Now()
				cfg.Progress(Progress{StepsRun: res.StepsRun, StepsChecked: res.StepsChecked, Done: done.Load(),
					Elapsed: time.Since(started), Step: p.view.Step, FirstStep: res.FirstStep, EndStep: endStep,
					Diverged: firstDiv.Load() != noDivergence})
			}
		}
		p.flush()
		front.stopped(0)
	}
	close(jobs)
	wg.Wait()
	close(results)
	<-collected
	if perr != nil {
		return nil, perr
	}
	end := v
	div := col.div
	if div != nil {
		res.Divergence = div
		if end, err = recount(cfg, res, div.Step); err != nil {
			return nil, fmt.Errorf("recounting up to the divergence: %w", err)
		}
	}
	res.GasHistogram = gas.export()
	res.Gas = gas.stats()
	if tamper != nil && cfg.Resume != nil {
		tamper.Merge(cfg.Resume.Tamper) // the interrupted run's forgeries count too
	}
	res.Tamper = tamper
	finish(res, end, started, div)
	cfg.markInterrupted(res)
	if cfg.Resume != nil && res.ResumedAt != nil {
		res.Duration += cfg.Resume.Duration
	}
	if tamper != nil && cfg.BundleDir != "" {
		if err := tamper.WriteBundles(cfg.BundleDir); err != nil {
			return res, err
		}
	}
	return res, writeBundle(cfg, res, div)
}

func finish(res *RunResult, v VM, started time.Time, div *Bundle) *RunResult {
	var end View
	v.View(&end)
	res.Exited, res.ExitCode = end.Exited, end.ExitCode
	res.LastStep = end.Step
	if res.Range != nil && res.Range.ToExit {
		// The range answers for the steps up to where the run stopped; whether that was
		// the guest's exit is in Exited (merge requires it, Complete).
		res.Range.End = max(res.LastStep, res.Range.Start)
	}
	res.Divergence = div
	res.Duration = time.Since(started)
	return res
}

func writeBundle(cfg RunConfig, res *RunResult, b *Bundle) error {
	if b == nil || cfg.BundleDir == "" {
		return nil
	}
	path, err := WriteBundle(cfg.BundleDir, b)
	if err != nil {
		return err
	}
	res.BundlePath = path
	return nil
}

func withDefaults(cfg RunConfig) RunConfig {
	if cfg.SampleK <= 0 {
		cfg.SampleK = 3
	}
	if cfg.SampleEvery == 0 {
		cfg.SampleEvery = 1000
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = 2 * time.Second
	}
	if cfg.Program == "" {
		cfg.Program = "program"
	}
	cfg.Program = DisplayPath(cfg.Program)
	if cfg.Open == nil {
		cfg.Open = OurVM
	}
	return cfg
}

// producers is the number of witness producers the run uses.
func (cfg RunConfig) producers() int {
	if cfg.Mode != CheckAll {
		return 1
	}
	if cfg.Producers > 0 {
		return cfg.Producers
	}
	return (cfg.Workers + 5) / 6
}

// endStep is the step counter at which the run stops at the latest, 0 when unknown.
func (cfg RunConfig) endStep(loaded uint64) uint64 {
	var end uint64
	if cfg.Range.Set && !cfg.Range.ToExit {
		end = cfg.Range.End
	}
	if cfg.MaxSteps > 0 && (end == 0 || loaded+cfg.MaxSteps < end) {
		end = loaded + cfg.MaxSteps
	}
	return end
}

func (cfg RunConfig) modeName() string {
	if cfg.Mode == CheckSample {
		return "sample"
	}
	return "all"
}

func (cfg RunConfig) contracts() (mips, oracle *evmharness.Artifact, builtin bool, err error) {
	mips, oracle = cfg.Contract, cfg.Oracle
	builtin = mips == nil && oracle == nil
	if mips == nil {
		if mips, err = evmharness.BuiltinArtifact("MIPS64"); err != nil {
			return nil, nil, false, err
		}
	}
	if oracle == nil {
		if oracle, err = evmharness.BuiltinArtifact("PreimageOracle"); err != nil {
			return nil, nil, false, err
		}
	}
	return mips, oracle, builtin, nil
}

// planner decides which steps are checked and keeps the counts of a run. The decision
// depends only on the sequence of steps, so a second pass over the same program (recount)
// makes the same decisions.
type planner struct {
	cfg RunConfig
	res *RunResult
}

// plan classifies the next step of s, counts it as run and says whether to check it.
func (pl *planner) plan(s *View) (class string, check bool) {
	cfg, res := pl.cfg, pl.res
	pre := s.Step
	class = Classify(s)
	cs := res.Classes[class]
	if cs == nil {
		cs = &ClassStats{}
		res.Classes[class] = cs
	}
	last := (cfg.MaxSteps > 0 && res.StepsRun+1 == cfg.MaxSteps) || (cfg.Range.Set && pre+1 == cfg.Range.End)
	check = cfg.Mode == CheckAll || cfg.Window.contains(pre) || cs.Checked < uint64(cfg.SampleK) ||
		(pre-res.FirstStep)%cfg.SampleEvery == 0 || last || isPreimageRead(class)
	cs.Run++
	res.StepsRun++
	return class, check
}

// isPreimageRead reports whether a step of this class reads the pre-image stream (read on
// fd 5, any count). Sampling checks every one of them: the contract serves those bytes from
// pre-image parts loaded into its oracle, a path no other step takes, and a guest such as
// op-program reads each pre-image only a few times among hundreds of millions of steps, so a
// wrong word of one pre-image would otherwise go unchecked. They are rare enough to cost
// nothing (6,274 of op-program's 439M steps).
func isPreimageRead(class string) bool { return strings.HasPrefix(class, "syscall/read/fd5") }

// checked counts a step sent to the EVM: keyType is the pre-image key type it read ("" for
// none), goErr its Go fault.
func (pl *planner) checked(class, keyType string, goErr error) string {
	res := pl.res
	res.Classes[class].Checked++
	res.StepsChecked++
	if keyType != "" {
		res.PreimageReads[keyType]++
	}
	if goErr == nil {
		return class
	}
	fault := "fault/" + faultKind(goErr)
	fc := res.Classes[fault]
	if fc == nil {
		fc = &ClassStats{}
		res.Classes[fault] = fc
	}
	fc.Run++
	fc.Checked++
	res.GoFault = goErr.Error()
	return fault
}

// producer steps the Go VM and hands checked steps to the workers.
type producer struct {
	planner
	v     VM
	view  View // the state before the next step
	store evmharness.PreimageStore
	jobs  chan<- []job
	batch []job
	// id and frontier tell the collector which steps may still come (collect.go).
	id       int
	frontier *frontier

	// unchecked is set while the last step ran without a witness: if it ended the run, it
	// must still be checked (next rebuilds its witness by replaying to it).
	unchecked  bool
	lastStep   uint64
	lastClass  string
	lastFailed error
}

// next runs one step; it returns false when the run is over.
func (p *producer) next() (bool, error) {
	cfg := p.cfg
	s := &p.view
	p.v.View(s)
	if p.unchecked && s.Exited {
		// The step that ends the run must be checked: rebuild its witness by replaying the
		// program from the start up to it (this happens at most once per run).
		in, err := p.replayTo(p.lastStep)
		if err != nil {
			return false, err
		}
		p.dispatch(in, p.lastClass)
		p.unchecked = false
		return false, nil
	}
	p.unchecked = false
	if s.Exited || (cfg.MaxSteps > 0 && p.res.StepsRun >= cfg.MaxSteps) || (cfg.Range.Set && s.Step >= cfg.Range.End) {
		return false, nil
	}
	pre := s.Step
	class, check := p.plan(s)
	if check {
		in := p.checkedStep()
		p.dispatch(in, class)
		return in.GoErr == nil, nil
	}
	if _, err := p.v.Step(false); err != nil {
		in, rerr := p.replayTo(pre)
		if rerr != nil {
			return false, rerr
		}
		p.dispatch(in, class)
		return false, nil
	}
	p.unchecked, p.lastStep, p.lastClass = true, pre, class
	return true, nil
}

// dispatch counts a checked step and hands it to the workers.
func (p *producer) dispatch(in *StepInput, class string) {
	keyType := ""
	if in.HasPreimage {
		keyType = fmt.Sprintf("type%d", in.PreimageKey[0])
	}
	class = p.checked(class, keyType, in.GoErr)
	p.batch = append(p.batch, job{in: in, class: class})
	if len(p.batch) == batchSize {
		p.flush()
	}
}

// batchSize is how many checked steps go to a worker at once: enough that channel
// operations cost nothing next to ~100 µs of EVM work per step, few enough that every worker
// gets a share of short runs.
const batchSize = 16

// flush hands the steps collected so far to the workers.
func (p *producer) flush() {
	if len(p.batch) > 0 {
		p.frontier.sent(p.id, p.batch[0].in.PreStep(), p.batch[len(p.batch)-1].in.PreStep())
		p.jobs <- p.batch
		p.batch = make([]job, 0, batchSize)
	}
}

// bundleOrigin is what a worker's bundles record about the guest, which the session does
// not know.
type bundleOrigin struct {
	program, elfSHA256 string
	syms               *elfsym.Table
}

// checkBatch checks a batch of steps in order. firstDiv is the lowest diverging step found
// so far by any worker: steps at or below it are still checked, so no earlier divergence
// can be missed; steps above it are skipped.
func checkBatch(s *evmharness.Session, batch []job, origin bundleOrigin, firstDiv *atomic.Uint64, tamper *TamperOptions) []result {
	out := make([]result, len(batch))
	for i, j := range batch {
		step := j.in.PreStep()
		if step > firstDiv.Load() {
			out[i] = result{step: step, skipped: true}
			continue
		}
		rep := CheckStep(s, j.in)
		out[i] = result{step: step, gas: rep.EVM.Gas}
		if tamper != nil && rep.Agree() {
			out[i].tamper = Tamper(s, j.in, rep.EVM, *tamper)
			for _, f := range out[i].tamper.Findings {
				if f.Bundle != nil {
					f.Bundle.Program, f.Bundle.ELFSHA256 = origin.program, origin.elfSHA256
				}
			}
		}
		if !rep.Agree() {
			b := NewBundle(j.in, rep, s, j.class)
			b.Program, b.ELFSHA256 = origin.program, origin.elfSHA256
			if b.Instruction != nil {
				b.Instruction.Symbol = origin.syms.Lookup(b.Instruction.PC)
			}
			out[i].bundle = b
			for cur := firstDiv.Load(); step < cur && !firstDiv.CompareAndSwap(cur, step); cur = firstDiv.Load() {
			}
		}
	}
	return out
}

// recount recomputes the counts of a run that diverged at step div, by running the program
// again on the Go VM alone up to that step. The producer ran ahead of the divergence by a
// number of steps that depends on worker timing; the recount makes the report independent
// of it. It fills res and returns the VM after step div.
func recount(cfg RunConfig, res *RunResult, div uint64) (VM, error) {
	v, err := cfg.Open(cfg.ELF, cfg.Preimages, nil, nil)
	if err != nil {
		return nil, err
	}
	*res = RunResult{SchemaVersion: res.SchemaVersion, Identity: res.Identity, Program: res.Program, Mode: res.Mode,
		Workers: res.Workers, Classes: map[string]*ClassStats{},
		PreimageReads: map[string]uint64{}, Divergence: res.Divergence, BundlePath: res.BundlePath, Range: res.Range}
	var st View
	v.View(&st)
	if cfg.Range.Set && cfg.Range.Start > st.Step {
		ran, err := v.Run(cfg.Range.Start - st.Step)
		res.StepsRun = ran
		res.StepsFastForwarded = ran
		if err != nil {
			return nil, err
		}
		v.View(&st)
	}
	res.FirstStep = st.Step
	pl := planner{cfg: cfg, res: res}
	for !st.Exited && st.Step <= div {
		pre := st.Step
		class, check := pl.plan(&st)
		keyType := ""
		if isPreimageRead(class) {
			keyType = fmt.Sprintf("type%d", st.PreimageKey[0])
		}
		_, err := v.Step(false)
		if err != nil {
			keyType = ""
		}
		v.View(&st)
		if check || err != nil || st.Exited {
			pl.checked(class, keyType, err)
		}
		if err != nil || pre == div {
			break
		}
	}
	return v, nil
}

func faultKind(err error) string {
	var f *fpvm.Fault
	if errors.As(err, &f) {
		return string(f.Kind)
	}
	return "error"
}

// checkedStep runs one step of v with a witness and packages both Go outcomes.
func (p *producer) checkedStep() *StepInput { return p.stepInput(p.v) }

// stepInput runs one step of v with a witness and packages both Go outcomes.
func (p *producer) stepInput(v VM) *StepInput {
	w, err := v.Step(true)
	in := &StepInput{}
	if w != nil {
		in = InputFromWitness(w)
	}
	in.Store = p.store
	in.GoErr = err
	if err == nil {
		in.GoPost = v.EncodeState()
		if p.cfg.GoPostHook != nil {
			p.cfg.GoPostHook(in.PreStep(), in.GoPost)
		}
	}
	in.GoThread = v.EncodeSteppedThread()
	return in
}

// replayTo re-executes the program from its start to the step whose pre-state counter is
// target, then runs that step with a witness. The producer's VM continues from its own
// state (the replay's post-state equals it: the VM is deterministic).
func (p *producer) replayTo(target uint64) (*StepInput, error) {
	v, err := p.cfg.Open(p.cfg.ELF, p.cfg.Preimages, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("replaying to step %d: %w", target, err)
	}
	var st View
	v.View(&st)
	if target > st.Step {
		if _, err := v.Run(target - st.Step); err != nil {
			return nil, fmt.Errorf("replaying to step %d: %w", target, err)
		}
		v.View(&st)
	}
	if st.Step != target {
		return nil, fmt.Errorf("replaying to step %d: reached step %d", target, st.Step)
	}
	return p.stepInput(v), nil
}
