package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// Exit codes of `run` and `repro` (issue 4): 0 the implementations agree, 1 divergence,
// 2 usage or input error.
const exitDivergence = 1

// The diff commands register themselves, so the dispatcher's list needs no edit.
func init() { commands = append(commands, diffRunCommand, reproCommand) }

var diffRunCommand = &command{
	path:    "run",
	args:    "ELF",
	summary: "run a guest on the Go VM and check its steps against the EVM step contract",
	details: `
Every checked step is executed twice: by the Go VM, which produces the pre-state witness
and its post-state, and by the step contract in an in-memory EVM, given only the witness
(and the pre-image part the step reads, loaded into the oracle first). They must agree:
a Go error exactly when the contract reverts; otherwise one log equal to the Go post-state,
byte for byte, and a return value equal to its status-tagged hash.

--check all (default) checks every step. --check sample checks each behaviour class
(opcode/funct/REGIMM selector, syscall and its argument class, branch taken or not,
scheduler event, fault) until it has been checked --sample-k times, every pre-image read
(read on fd 5), every --sample-every-th step, the steps of --window, and the last step.
--range A:B runs the Go VM without checking up to step A and stops at step B; A:end
runs until the guest exits. Ranges take step counts with k/M/G suffixes: 1M:2M.
--shard i/n (with --range) takes the i-th of n equal parts of the range, so a CI matrix or
an indexed job can split one trace (with A:end the guest is first run to its exit on the
Go VM alone, to find where the trace ends); 'fpvmdiff merge' combines the shards' --json
summaries (docs/scale-out.md).

Go producers step the VM and hand witnesses over bounded queues to --workers EVM
workers (default: one per core). With --check all, --producers VMs (default: one per six
workers) take consecutive chunks of the range, each fast-forwarding over the chunks the
others took; sampling uses one producer. Progress goes to stderr (--quiet: none): one line
redrawn in place on a terminal, a log line every 10 s otherwise, with an ETA when
--range or --max-steps bounds the run.

The first divergence by step number is reported, whatever --workers is, and written to
--bundle-dir as divergence-step-N.json; 'fpvmdiff repro' replays it.
--contract checks any MIPS64-compatible step contract instead of ours: a forge artifact
JSON, or a file of creation bytecode in hex; its constructor gets (oracle, 8) appended.
--oracle likewise replaces the pre-image oracle.

--tamper also forges the witness of every checked step the two sides agreed on, one
32-byte word at a time (docs/tamper.md): every word the step relies on (thread witness,
inner root, each word of the memory proofs it uses) must make the contract revert with the
error of that check; a sample of unused words must leave its outcome unchanged; every
state field is forged too and the contract must do what the stateless Go replay does.
--tamper-words N corrupts N words of each used region (the first, the last, the others at
random; 0: every word), N state fields and a sample of N unused words. Findings are listed
with a bundle each (tamper-step-*.json in --bundle-dir, replayed by 'fpvmdiff repro').

Exit codes: 0 no divergence (and no tamper finding), 1 divergence or tamper finding,
2 usage or input error.`,
	minArgs: 1,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet) action {
		o := &diffRunOptions{check: "all", sampleK: 3, sampleEvery: 1000, bundleDir: "."}
		fs.StringVar(&o.preimages, "preimages", "", "pre-image `FILE`: a JSON object mapping \"0x<32-byte key>\" to \"0x<data>\"")
		fs.StringVar(&o.check, "check", o.check, "which steps to check: `all|sample`")
		fs.Var(&o.rng, "range", "run steps `A:B` only: fast-forward to A unchecked, stop at B (A:end: at the guest's exit)")
		fs.StringVar(&o.shard, "shard", "", "check part `i/n` of --range (i from 0)")
		fs.Var(&o.window, "window", "check every step of `A:B` even with --check sample")
		fs.Var(&o.maxSteps, "max-steps", "stop after `N` steps (0: until the guest exits)")
		fs.IntVar(&o.sampleK, "sample-k", o.sampleK, "sample: check each behaviour class at least `K` times")
		fs.Var(&o.sampleEvery, "sample-every", "sample: also check every `N`-th step")
		fs.IntVar(&o.workers, "workers", defaultWorkers(), "`N` EVM workers, one EVM each")
		fs.IntVar(&o.producers, "producers", 0, "--check all: `N` witness producers, one Go VM each (0: one per six workers)")
		fs.StringVar(&o.bundleDir, "bundle-dir", o.bundleDir, "write a divergence bundle into `DIR`")
		fs.StringVar(&o.jsonPath, "json", "", "also write the result as JSON to `FILE` (- for standard output)")
		fs.StringVar(&o.junitPath, "junit", "", "also write a JUnit XML report to `FILE` (- for standard output)")
		fs.StringVar(&o.summaryMD, "summary-md", "", "append a Markdown summary to `FILE`, e.g. $GITHUB_STEP_SUMMARY (- for standard output)")
		fs.StringVar(&o.htmlPath, "html", "", "write a self-contained HTML report to `FILE`: gas histogram, classes, the divergence (- for standard output)")
		fs.StringVar(&o.contract, "contract", "", "step contract to check instead of ours: artifact JSON or creation-code hex `FILE`")
		fs.StringVar(&o.oracle, "oracle", "", "pre-image oracle instead of ours: artifact JSON or creation-code hex `FILE`")
		fs.BoolVar(&o.guestOutput, "guest-output", false, "pass the guest's stdout/stderr through (default: discarded)")
		fs.BoolVar(&o.quiet, "quiet", false, "no progress lines on stderr")
		fs.BoolVar(&o.tamper, "tamper", false, "also run forged witnesses of every checked step (docs/tamper.md)")
		fs.IntVar(&o.tamperWords, "tamper-words", 8, "--tamper: words corrupted per used region, state fields and unused words sampled (`N`; 0: every used word)")
		fs.Uint64Var(&o.tamperSeed, "tamper-seed", 1, "--tamper: `SEED` of the word choice and random bit flips")
		fs.StringVar(&o.vm, "vm", "ours", "`NAME` of the Go VM that produces the witnesses (fpvmdiff-cannon adds cannon)")
		fs.StringVar(&o.resume, "resume", "", "continue the interrupted run whose --json summary is `FILE`")
		return func(e *env, args []string) int {
			o.given = map[string]bool{}
			fs.Visit(func(f *flag.Flag) { o.given[f.Name] = true })
			return o.run(e, args[0])
		}
	},
}

type diffRunOptions struct {
	preimages, check, shard        string
	rng, window                    stepRange
	maxSteps, sampleEvery          stepCount
	sampleK, workers, producers    int
	bundleDir, jsonPath, junitPath string
	summaryMD, htmlPath            string
	contract, oracle               string
	guestOutput, quiet             bool
	vm, resume                     string
	given                          map[string]bool // flags set on the command line
	tamper                         bool
	tamperWords                    int
	tamperSeed                     uint64
	progress                       *progressPrinter
}

// defaultWorkers is one EVM worker per core. The Go producer needs about a tenth of the
// time of an EVM step, so it shares a core with a worker rather than keeping one idle.
func defaultWorkers() int { return max(1, min(runtime.NumCPU(), 256)) }

func (o *diffRunOptions) config(e *env, elfPath string) (check.RunConfig, error) {
	cfg := check.RunConfig{
		Program: elfPath, MaxSteps: uint64(o.maxSteps), SampleK: o.sampleK,
		SampleEvery: uint64(o.sampleEvery), Workers: o.workers, Producers: o.producers, BundleDir: o.bundleDir,
		Range: o.rng.r, Window: o.window.r,
	}
	switch o.check {
	case "all":
		cfg.Mode = check.CheckAll
	case "sample":
		cfg.Mode = check.CheckSample
	default:
		return cfg, fmt.Errorf("--check %q: want all or sample", o.check)
	}
	open, err := lookupVM(o.vm)
	if err != nil {
		return cfg, fmt.Errorf("--vm: %w", err)
	}
	cfg.Open = open
	if o.workers < 1 || o.workers > 256 {
		return cfg, fmt.Errorf("--workers %d: want 1 to 256", o.workers)
	}
	if o.producers < 0 || o.producers > 64 {
		return cfg, fmt.Errorf("--producers %d: want 0 (automatic) to 64", o.producers)
	}
	if o.tamperWords < 0 {
		return cfg, fmt.Errorf("--tamper-words %d: want 0 (every word) or more", o.tamperWords)
	}
	if o.tamper {
		cfg.Tamper = &check.TamperOptions{Words: o.tamperWords, Seed: o.tamperSeed}
	}
	if o.sampleK < 1 {
		return cfg, fmt.Errorf("--sample-k %d: want at least 1", o.sampleK)
	}
	if o.sampleEvery == 0 {
		return cfg, errors.New("--sample-every 0: want at least 1")
	}
	elf, err := os.ReadFile(elfPath)
	if err != nil {
		return cfg, fmt.Errorf("reading ELF: %w", err)
	}
	cfg.ELF = elf
	if o.preimages != "" {
		if cfg.Preimages, err = vm.ReadPreimageFile(o.preimages); err != nil {
			return cfg, err
		}
	}
	if o.contract != "" {
		if cfg.Contract, err = evmharness.LoadContractFile(o.contract); err != nil {
			return cfg, err
		}
	}
	if o.oracle != "" {
		if cfg.Oracle, err = evmharness.LoadContractFile(o.oracle); err != nil {
			return cfg, err
		}
	}
	if o.shard != "" {
		if cfg.Range, err = o.shardRange(e, cfg); err != nil {
			return cfg, err
		}
	}
	if o.resume != "" {
		if err := o.resumeFrom(&cfg); err != nil {
			return cfg, err
		}
	}
	if o.guestOutput {
		cfg.GuestStdout, cfg.GuestStderr = e.stdout, e.stderr
	}
	if !o.quiet {
		o.progress = newProgressPrinter(e.stderr, e.name)
		cfg.ProgressEvery = o.progress.every()
		cfg.Progress = o.progress.update
	}
	return cfg, nil
}

func (o *diffRunOptions) outputs() *outputs {
	return (&outputs{}).file("json", o.jsonPath).file("junit", o.junitPath).
		appendFile("summary-md", o.summaryMD).file("html", o.htmlPath).directory("bundle-dir", o.bundleDir)
}

func (o *diffRunOptions) run(e *env, elfPath string) int {
	outs := o.outputs()
	if err := outs.validate(); err != nil {
		return e.errorf("%v", err)
	}
	// With a machine-readable report on standard output, the one for people goes to stderr.
	human := e.stdout
	if outs.toStdout() {
		human = e.stderr
	}
	// Watch for signals before config: with --range A:end --shard, config runs the whole
	// trace once to find its end, and a signal then must not kill the run unannounced.
	interrupt, unwatch := interruptOnSignal(e)
	defer unwatch()
	cfg, err := o.config(e, elfPath)
	if err != nil {
		return e.errorf("%v", err)
	}
	cfg.Interrupt = interrupt
	res, err := check.Run(cfg)
	unwatch()
	if o.progress != nil {
		o.progress.done()
	}
	if err != nil {
		var ie *check.InputError
		if errors.As(err, &ie) {
			return e.errorf("%v", err)
		}
		if res == nil {
			return e.errorf("%v", err)
		}
		// The run finished but a report could not be written: still report what was found.
		fmt.Fprintf(e.stderr, "%s: %v\n", e.name, err)
	}
	if res.Divergence != nil {
		res.Divergence.Opinion = qemuOpinion(res.Divergence)
		if res.BundlePath != "" { // the bundle on disk carries the opinion too
			if _, err := check.WriteBundle(filepath.Dir(res.BundlePath), res.Divergence); err != nil {
				fmt.Fprintf(e.stderr, "%s: %v\n", e.name, err)
			}
		}
		check.FormatBundle(human, res.Divergence)
		fmt.Fprintln(human)
	}
	if res.Interrupted {
		// The job's output may be going away with it; stderr is what a runner keeps.
		check.FormatSummary(e.stderr, res)
		fmt.Fprintf(e.stderr, "%s: interrupted: every step before %d was checked; continue with --resume and this run's --json\n", e.name, res.LastStep)
	} else {
		check.FormatSummary(human, res)
	}
	if res.Tamper != nil {
		check.FormatTamper(human, res.Tamper)
	}
	if code := writeRunReports(e, res, reportPaths{o.jsonPath, o.junitPath, o.summaryMD, o.htmlPath}, runJSON{res.Portable(), peakRSS()}); code != exitOK {
		return code
	}
	if res.Diverged() || res.TamperFailed() {
		return exitDivergence
	}
	if res.Interrupted {
		return exitInterrupted
	}
	return exitOK
}

// resumeFrom loads the --resume summary into cfg. The run continues with the summary's
// mode and range; --check, --range and --shard, when given, must agree with it.
func (o *diffRunOptions) resumeFrom(cfg *check.RunConfig) error {
	prior, err := readRunSummary(o.resume)
	if err != nil {
		return fmt.Errorf("--resume: %w", err)
	}
	if !o.given["check"] {
		cfg.Mode = check.CheckAll
		if prior.Mode == "sample" {
			cfg.Mode = check.CheckSample
		}
	}
	if !o.given["range"] && !o.given["shard"] && prior.Range != nil {
		r := prior.Range
		cfg.Range = check.StepRange{Start: r.Start, End: r.End, Set: true, ToExit: r.ToExit}
	}
	cfg.Resume = prior
	return nil
}

// writeRunReports writes the machine-readable reports of a run or a merge: jsonValue as
// --json, the JUnit report and the Markdown summary. Paths were validated before the run.
func writeRunReports(e *env, res *check.RunResult, p reportPaths, jsonValue any) int {
	jsonPath, junitPath, summaryMD := p.json, p.junit, p.summaryMD
	if p.html != "" {
		data, err := check.HTML(res)
		if err == nil {
			err = writeOutput(p.html, e.stdout, data)
		}
		if err != nil {
			return e.errorf("writing --html: %v", err)
		}
	}
	if jsonPath != "" {
		if err := writeJSON(jsonPath, e.stdout, jsonValue); err != nil {
			return e.errorf("writing --json: %v", err)
		}
	}
	if junitPath != "" {
		data, err := check.JUnit(res)
		if err == nil {
			err = writeOutput(junitPath, e.stdout, data)
		}
		if err != nil {
			return e.errorf("writing --junit: %v", err)
		}
	}
	if summaryMD != "" {
		if err := appendOutput(summaryMD, e.stdout, check.Markdown(res)); err != nil {
			return e.errorf("writing --summary-md: %v", err)
		}
	}
	return exitOK
}

// reportPaths are the machine-readable reports of a run or a merge.
type reportPaths struct{ json, junit, summaryMD, html string }

// runJSON is the --json summary: the run's result and the process's peak memory.
type runJSON struct {
	*check.RunResult
	PeakRSSBytes uint64 `json:"peak_rss_bytes,omitempty"` // of this process (VmHWM)
}

// stepRange is a flag "A:B" of step counts (k/M/G suffixes allowed), B > A, or "A:end":
// from step A until the guest exits.
type stepRange struct{ r check.StepRange }

func (s *stepRange) String() string {
	if !s.r.Set {
		return ""
	}
	if s.r.ToExit {
		return fmt.Sprintf("%d:end", s.r.Start)
	}
	return fmt.Sprintf("%d:%d", s.r.Start, s.r.End)
}

func (s *stepRange) Set(text string) error {
	a, b, ok := strings.Cut(text, ":")
	if !ok {
		return fmt.Errorf("%q is not a step range A:B or A:end", text)
	}
	var start, end stepCount
	if err := start.Set(a); err != nil {
		return err
	}
	if b == "end" {
		s.r = check.StepRange{Start: uint64(start), End: check.OpenEnd, Set: true, ToExit: true}
		return nil
	}
	if err := end.Set(b); err != nil {
		return err
	}
	if end <= start {
		return fmt.Errorf("step range %q is empty: B must be greater than A", text)
	}
	s.r = check.StepRange{Start: uint64(start), End: uint64(end), Set: true}
	return nil
}

// shardRange is the part of --range that --shard names. A range to the guest's exit is
// first made concrete by running the guest on the Go VM alone to its end (tens of millions
// of steps per second: ~15 s for a whole op-program trace), so that every shard of the same
// command line computes the same parts.
func (o *diffRunOptions) shardRange(e *env, cfg check.RunConfig) (check.StepRange, error) {
	r := o.rng.r
	if r.Set && r.ToExit {
		end, err := traceEnd(cfg)
		if err != nil {
			return r, err
		}
		if end <= r.Start {
			return r, fmt.Errorf("--range %s: the guest's trace ends at step %d, before the range starts", o.rng.String(), end)
		}
		if !o.quiet {
			fmt.Fprintf(e.stderr, "%s: the guest's trace ends at step %d; sharding %d:%d\n", e.name, end, r.Start, end)
		}
		part, err := shardOf(check.StepRange{Start: r.Start, End: end, Set: true}, o.shard)
		if err == nil && part.End == end {
			// The last shard runs to the exit, as the whole range would, and its summary
			// says so (merge carries it over).
			part.End, part.ToExit = check.OpenEnd, true
		}
		return part, err
	}
	return shardOf(r, o.shard)
}

// traceEnd runs the guest on the Go VM without witnesses until it stops and returns the
// end of its trace: the step counter at its exit, or one past a step that fails (that step
// is part of the trace, and the shard holding it checks it).
func traceEnd(cfg check.RunConfig) (uint64, error) {
	v, err := cfg.Open(cfg.ELF, cfg.Preimages, nil, nil)
	if err != nil {
		return 0, fmt.Errorf("loading %s: %w", cfg.Program, err)
	}
	var view check.View
	v.View(&view)
	for {
		before := view.Step
		n, err := v.Run(1 << 30)
		if err != nil {
			return before + n + 1, nil
		}
		v.View(&view)
		if view.Exited {
			return view.Step, nil
		}
	}
}

// shardOf is part i of n of r (parts differ in length by at most one step).
func shardOf(r check.StepRange, spec string) (check.StepRange, error) {
	if !r.Set {
		return r, errors.New("--shard needs --range A:B or A:end")
	}
	if r.ToExit {
		return r, errors.New("--shard of a range to the guest's exit: find the trace's end first (shardRange)")
	}
	var i, n uint64
	if _, err := fmt.Sscanf(spec, "%d/%d", &i, &n); err != nil || n == 0 || i >= n || fmt.Sprintf("%d/%d", i, n) != spec {
		return r, fmt.Errorf("--shard %q: want i/n with 0 <= i < n", spec)
	}
	span := r.End - r.Start
	if n > span {
		return r, fmt.Errorf("--shard %q: the range has only %d steps", spec, span)
	}
	part := func(k uint64) uint64 { return r.Start + span/n*k + min(k, span%n) }
	return check.StepRange{Start: part(i), End: part(i + 1), Set: true}, nil
}
