package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

func init() { commands = append(commands, lockstepCommand) }

var lockstepCommand = &command{
	path:    "lockstep",
	args:    "ELF",
	summary: "run two Go VMs side by side and report the first step on which they differ",
	details: `
Runs the guest on two Go VMs at once (--a, default ours; --b, default cannon, the
production Cannon VM that fpvmdiff-cannon registers). After every step it compares
everything both expose cheaply: pc, next pc, registers, LO/HI, heap, exit state, LL
reservation, pre-image key and offset, active thread id, thread count, step counters,
the instruction, and the memory word a store (or a read/clock_gettime buffer) wrote.
Every --checkpoint-every steps and at the end it compares the full 188-byte states
(memory root and thread-stack roots included).

When only a checkpoint differs, both VMs are re-run from the last agreeing checkpoint to
find the first differing step. The divergence is printed field by field and written to
--bundle-dir as lockstep-step-N.json: the state both agreed on, both states after the
step, the thread each ran and the field diff.

--range A:B fast-forwards both VMs to step A (comparing the states there) and stops at
step B. Both VMs faulting alike on the same step is agreement; a pre-image file missing a
key the guest reads is an input error.

Exit codes: 0 the VMs agree, 1 divergence, 2 usage or input error.`,
	minArgs: 1,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet) action {
		o := &lockstepOptions{a: "ours", b: "cannon", every: check.DefaultCheckpointEvery, bundleDir: "."}
		fs.StringVar(&o.a, "a", o.a, "first Go VM: `NAME`")
		fs.StringVar(&o.b, "b", o.b, "second Go VM: `NAME` (fpvmdiff-cannon adds cannon)")
		fs.StringVar(&o.preimages, "preimages", "", "pre-image `FILE`: a JSON object mapping \"0x<32-byte key>\" to \"0x<data>\"")
		fs.Var(&o.rng, "range", "compare steps `A:B` only: fast-forward both to A, stop at B")
		fs.Var(&o.every, "checkpoint-every", "compare the full states every `N` steps")
		fs.StringVar(&o.bundleDir, "bundle-dir", o.bundleDir, "write a divergence bundle into `DIR`")
		fs.StringVar(&o.jsonPath, "json", "", "also write the result as JSON to `FILE`")
		fs.StringVar(&o.junitPath, "junit", "", "also write a JUnit XML report to `FILE`")
		fs.BoolVar(&o.guestOutput, "guest-output", false, "pass the guest's stdout/stderr (of --a) through")
		fs.BoolVar(&o.quiet, "quiet", false, "no progress lines on stderr")
		return func(e *env, args []string) int { return o.run(e, args[0]) }
	},
}

type lockstepOptions struct {
	a, b, preimages                string
	rng                            stepRange
	every                          stepCount
	bundleDir, jsonPath, junitPath string
	guestOutput, quiet             bool
}

func (o *lockstepOptions) config(e *env, elfPath string) (check.LockstepConfig, error) {
	cfg := check.LockstepConfig{NameA: o.a, NameB: o.b, CheckpointEvery: uint64(o.every)}
	var err error
	if cfg.A, err = lookupVM(o.a); err != nil {
		return cfg, fmt.Errorf("--a: %w", err)
	}
	if cfg.B, err = lookupVM(o.b); err != nil {
		return cfg, fmt.Errorf("--b: %w; the production VM comes with bin/fpvmdiff-cannon (make cannon)", err)
	}
	if o.every == 0 {
		return cfg, errors.New("--checkpoint-every 0: want at least 1")
	}
	if o.rng.r.Set {
		cfg.From, cfg.To = o.rng.r.Start, o.rng.r.End
	}
	if cfg.ELF, err = os.ReadFile(elfPath); err != nil {
		return cfg, fmt.Errorf("reading ELF: %w", err)
	}
	if o.preimages != "" {
		if cfg.Preimages, err = vm.ReadPreimageFile(o.preimages); err != nil {
			return cfg, err
		}
	}
	if o.guestOutput {
		cfg.Stdout, cfg.Stderr = e.stdout, e.stderr
	}
	return cfg, nil
}

func (o *lockstepOptions) run(e *env, elfPath string) int {
	cfg, err := o.config(e, elfPath)
	if err != nil {
		return e.errorf("%v", err)
	}
	start := time.Now()
	var p *progressPrinter
	if !o.quiet {
		p = newProgressPrinter(e.stderr, e.name)
		cfg.Progress = lockstepProgress(p, start, cfg.To)
	}
	res, err := check.Lockstep(cfg)
	took := time.Since(start)
	if p != nil {
		p.done()
	}
	if err != nil {
		return e.errorf("%s", strings.TrimPrefix(err.Error(), "lockstep: "))
	}
	if res.Fault != "" && res.Divergence == nil && isMissingPreimage(res.Fault) {
		return e.errorf("both VMs stop at step %d: the pre-image file lacks a key the guest reads: %s", res.End, res.Fault)
	}
	program := filepath.Base(elfPath)
	sum := res.Summary(program, o.a, o.b, cfg.CheckpointEvery, took)
	if d := res.Divergence; d != nil {
		check.FormatLockstep(e.stdout, d, o.a, o.b)
		path, err := check.WriteLockstepBundle(o.bundleDir, sum.Divergence)
		if err != nil {
			return e.errorf("%v", err)
		}
		sum.BundlePath = path
		fmt.Fprintf(e.stdout, "bundle: %s\n\n", path)
	}
	fmt.Fprintf(e.stdout, "lockstep %s: %s vs %s, steps %s..%s: %s compared step by step, %d full-state checkpoints (every %s), %s, %s steps/s\n",
		program, o.a, o.b, thousands(res.From), thousands(res.End), thousands(res.Steps), res.Checkpoints,
		thousands(cfg.CheckpointEvery), took.Round(time.Millisecond), thousands(uint64(sum.StepsPerSecond)))
	switch {
	case res.Divergence != nil:
		fmt.Fprintf(e.stdout, "result: DIVERGENCE at step %d\n", res.Divergence.Step)
	case res.Fault != "":
		fmt.Fprintf(e.stdout, "result: agree; both VMs fault alike at step %d: %s\n", res.End, res.Fault)
	case res.Exited:
		fmt.Fprintf(e.stdout, "result: agree; guest exited with code %d, final state hash %s\n", res.ExitCode, sum.FinalStateHash)
	default:
		fmt.Fprintf(e.stdout, "result: agree up to step %d, state hash %s\n", res.End, sum.FinalStateHash)
	}
	if o.jsonPath != "" {
		if err := writeJSON(o.jsonPath, e.stdout, sum); err != nil {
			return e.errorf("writing --json: %v", err)
		}
	}
	if o.junitPath != "" {
		if err := check.WriteLockstepJUnit(o.junitPath, sum); err != nil {
			return e.errorf("%v", err)
		}
	}
	if res.Divergence != nil {
		return exitDivergence
	}
	return exitOK
}

// isMissingPreimage tells a missing pre-image fault from a guest fault by its message (the
// fault's kind text, the same for both VMs).
func isMissingPreimage(msg string) bool {
	return strings.Contains(msg, string(vm.FaultPreimageMissing))
}

// lockstepProgress reports at checkpoints, throttled as `run` does: a redrawn line on a
// terminal, a log line every 10 s otherwise.
func lockstepProgress(p *progressPrinter, start time.Time, end uint64) func(uint64) {
	every := p.every()
	last := start
	return func(step uint64) {
		now := time.Now()
		if now.Sub(last) < every {
			return
		}
		last = now
		el := now.Sub(start)
		line := fmt.Sprintf("%s step %s compared", el.Round(time.Second), thousands(step))
		if end > 0 {
			line += fmt.Sprintf(" of %s", thousands(end))
		}
		if s := el.Seconds(); s > 0 {
			line += fmt.Sprintf(", %s steps/s", thousands(uint64(float64(step)/s)))
		}
		if p.tty {
			fmt.Fprintf(p.w, "\r%s\x1b[K", line)
			p.drawn = true
			return
		}
		fmt.Fprintf(p.w, "%s: %s\n", p.name, line)
	}
}
