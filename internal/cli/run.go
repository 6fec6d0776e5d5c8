package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
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
scheduler event, fault) until it has been checked --sample-k times, every
--sample-every-th step, the steps of --window, and the last step.
--range A:B runs the Go VM without checking up to step A and stops at step B.
Ranges take step counts with k/M/G suffixes: 1M:2M. --shard i/n (with --range) takes the
i-th of n equal parts of the range, so a CI matrix or an indexed job can split one trace;
'fpvmdiff merge' combines the shards' --json summaries (docs/scale-out.md).

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
		fs.StringVar(&o.check, "check", o.check, "which steps to check: `all` or sample")
		fs.Var(&o.rng, "range", "run steps `A:B` only: fast-forward to A unchecked, stop at B")
		fs.StringVar(&o.shard, "shard", "", "check part `i/n` of --range (i from 0)")
		fs.Var(&o.window, "window", "check every step of `A:B` even with --check sample")
		fs.Var(&o.maxSteps, "max-steps", "stop after `N` steps (0: until the guest exits)")
		fs.IntVar(&o.sampleK, "sample-k", o.sampleK, "sample: check each behaviour class at least `K` times")
		fs.Var(&o.sampleEvery, "sample-every", "sample: also check every `N`-th step")
		fs.IntVar(&o.workers, "workers", defaultWorkers(), "EVM workers, one EVM each (`N`)")
		fs.IntVar(&o.producers, "producers", 0, "--check all: witness producers, one Go VM each (`N`; 0: one per six workers)")
		fs.StringVar(&o.bundleDir, "bundle-dir", o.bundleDir, "write a divergence bundle into `DIR`")
		fs.StringVar(&o.jsonPath, "json", "", "also write the result as JSON to `FILE`")
		fs.StringVar(&o.junitPath, "junit", "", "also write a JUnit XML report to `FILE`")
		fs.StringVar(&o.contract, "contract", "", "step contract to check instead of ours: artifact JSON or creation-code hex `FILE`")
		fs.StringVar(&o.oracle, "oracle", "", "pre-image oracle instead of ours: artifact JSON or creation-code hex `FILE`")
		fs.BoolVar(&o.guestOutput, "guest-output", false, "pass the guest's stdout/stderr through (default: discarded)")
		fs.BoolVar(&o.quiet, "quiet", false, "no progress lines on stderr")
		fs.BoolVar(&o.tamper, "tamper", false, "also run forged witnesses of every checked step (docs/tamper.md)")
		fs.IntVar(&o.tamperWords, "tamper-words", 8, "--tamper: words corrupted per used region, state fields and unused words sampled (`N`; 0: every used word)")
		fs.Uint64Var(&o.tamperSeed, "tamper-seed", 1, "--tamper: seed of the word choice and random bit flips")
		fs.StringVar(&o.vm, "vm", "ours", "the Go VM that produces the witnesses: `NAME` (fpvmdiff-cannon adds cannon)")
		return func(e *env, args []string) int { return o.run(e, args[0]) }
	},
}

type diffRunOptions struct {
	preimages, check, shard        string
	rng, window                    stepRange
	maxSteps, sampleEvery          stepCount
	sampleK, workers, producers    int
	bundleDir, jsonPath, junitPath string
	contract, oracle               string
	guestOutput, quiet             bool
	vm                             string
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
	if o.shard != "" {
		r, err := shardOf(o.rng.r, o.shard)
		if err != nil {
			return cfg, err
		}
		cfg.Range = r
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

func (o *diffRunOptions) run(e *env, elfPath string) int {
	cfg, err := o.config(e, elfPath)
	if err != nil {
		return e.errorf("%v", err)
	}
	res, err := check.Run(cfg)
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
		check.FormatBundle(e.stdout, res.Divergence)
		fmt.Fprintln(e.stdout)
	}
	check.FormatSummary(e.stdout, res)
	if res.Tamper != nil {
		check.FormatTamper(e.stdout, res.Tamper)
	}
	if o.jsonPath != "" {
		if err := writeJSONAtomic(o.jsonPath, runJSON{res, peakRSS()}); err != nil {
			return e.errorf("writing --json: %v", err)
		}
	}
	if o.junitPath != "" {
		if err := check.WriteJUnit(o.junitPath, res); err != nil {
			return e.errorf("%v", err)
		}
	}
	if res.Diverged() || res.TamperFailed() {
		return exitDivergence
	}
	return exitOK
}

// runJSON is the --json summary: the run's result and the process's peak memory.
type runJSON struct {
	*check.RunResult
	PeakRSSBytes uint64 `json:"peak_rss_bytes,omitempty"` // of this process (VmHWM)
}

// stepRange is a flag "A:B" of step counts (k/M/G suffixes allowed), B > A.
type stepRange struct{ r check.StepRange }

func (s *stepRange) String() string {
	if !s.r.Set {
		return ""
	}
	return fmt.Sprintf("%d:%d", s.r.Start, s.r.End)
}

func (s *stepRange) Set(text string) error {
	a, b, ok := strings.Cut(text, ":")
	if !ok {
		return fmt.Errorf("%q is not a step range A:B", text)
	}
	var start, end stepCount
	if err := start.Set(a); err != nil {
		return err
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

// shardOf is part i of n of r (parts differ in length by at most one step).
func shardOf(r check.StepRange, spec string) (check.StepRange, error) {
	if !r.Set {
		return r, errors.New("--shard needs --range A:B")
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
