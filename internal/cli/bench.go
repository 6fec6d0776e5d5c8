package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"
)

func init() { commands = append(commands, benchCommand) }

var benchCommand = &command{
	path:    "bench",
	summary: "measure the whole pipeline: Go VM, witnesses, EVM verification, end-to-end, gas, peak memory",
	details: `
The figures of BENCHMARKS.md, each with its wall-clock and CPU-time value (user + system
time of the process: the steadier figure when other jobs share the cores):
  go vm      steps/s without proofs on --mt, run to its end --runs times (best);
  witness    us per step with witness generation on --mt from step 10M (--witness-steps);
  verify     us per step of the EVM side alone (oracle load + step call + comparison) on
             --verify-steps witnesses of --hello prepared beforehand, with 1 and --workers
             workers;
  end-to-end checked steps/s of 'fpvmdiff run --check all' on a --window of --hello (from
             its start) and of --mt (from --mt-from), --workers workers;
  gas        execution gas per step, min/median/p99/max, over the full --rss-steps run;
  memory     peak RSS of a child 'fpvmdiff run --check all' over --rss-steps/10 steps and
             over --rss-steps (0: the whole --hello): both must be < 256 MiB, and about
             equal, since nothing in a run grows per step.
Prints a table with the targets and, with --json, writes the figures and the machine.

--scaling measures instead how 'run --check all' scales with the cores of this machine:
checked steps/s and CPU us per checked step on a --window of --mt from --mt-from, for 1, 2,
4, ... workers up to the cores present, and projects the whole op-program v1.19.0 trace
(439,222,866 steps) on this machine and on a CI matrix of 2-core jobs (fast-forward and
finding the trace's end included).`,
	setup: func(fs *flag.FlagSet) action {
		o := &pipelineBenchOptions{
			hello: "testdata/programs/bin/hello.elf", mt: "testdata/programs/bin/mt.elf",
			workers: runtime.NumCPU(), runs: 3, witnessSteps: 200_000, verifySteps: 4_000,
			window: 20_000, mtFrom: 1_000_000, rss: true,
		}
		fs.StringVar(&o.hello, "hello", o.hello, "the hello guest `ELF`")
		fs.StringVar(&o.mt, "mt", o.mt, "the multithreaded guest `ELF`")
		fs.IntVar(&o.workers, "workers", o.workers, "`N` EVM workers for the N-worker figures")
		fs.IntVar(&o.runs, "runs", o.runs, "`N` Go VM speed runs")
		fs.Var(&o.witnessSteps, "witness-steps", "time witness generation over `N` steps")
		fs.IntVar(&o.verifySteps, "verify-steps", o.verifySteps, "verify `N` prepared witnesses in the EVM")
		fs.Var(&o.window, "window", "end-to-end: check `N` steps of each guest")
		fs.Var(&o.mtFrom, "mt-from", "end-to-end: the mt window starts at step `N`")
		fs.Var(&o.rssSteps, "rss-steps", "memory: run `N` steps in full (0: the whole hello guest)")
		fs.BoolVar(&o.rss, "rss", o.rss, "measure peak memory in child processes")
		fs.StringVar(&o.jsonPath, "json", "", "also write the results as JSON to `FILE` (- for standard output)")
		fs.BoolVar(&o.scaling, "scaling", false, "instead: checked steps/s and CPU per step of --mt for 1, 2, 4, ... workers up to the cores, and whole-trace projections")
		return func(e *env, _ []string) int {
			if o.scaling {
				return o.runScaling(e)
			}
			return o.run(e)
		}
	},
}

type pipelineBenchOptions struct {
	hello, mt                string
	workers, runs            int
	witnessSteps             stepCount
	verifySteps              int
	window, mtFrom, rssSteps stepCount
	rss, scaling             bool
	jsonPath                 string
}

// Targets of issue 6.
const (
	targetCheckedStepsPerSecond = 12_000
	targetRunRSSMiB             = 256
)

type pipelineBench struct {
	SchemaVersion int `json:"schema_version"`
	check.Identity
	Machine   machineInfo         `json:"machine"`
	GoVM      speedResult         `json:"go_vm"`
	Witness   witnessStats        `json:"witness"`
	Verify    []check.VerifyBench `json:"verify"`
	EndToEnd  []endToEndBench     `json:"end_to_end"`
	Gas       *check.GasStats     `json:"gas,omitempty"`
	Memory    []runMemory         `json:"memory,omitempty"`
	Commands  map[string]string   `json:"commands"`
	startedAt time.Time
}

type endToEndBench struct {
	Program          string         `json:"program"`
	Range            string         `json:"range"`
	Workers          int            `json:"workers"`
	StepsChecked     uint64         `json:"steps_checked"`
	Seconds          float64        `json:"seconds"`
	StepsPerSecond   float64        `json:"steps_per_second"`
	CPUMicrosPerStep float64        `json:"cpu_us_per_step"`
	Gas              check.GasStats `json:"gas"`
}

type runMemory struct {
	Command        string  `json:"command"`
	StepsChecked   uint64  `json:"steps_checked"`
	PeakRSSBytes   uint64  `json:"peak_rss_bytes"`
	StepsPerSecond float64 `json:"steps_per_second"`
}

func (o *pipelineBenchOptions) run(e *env) int {
	outs := (&outputs{}).file("json", o.jsonPath)
	if err := outs.validate(); err != nil {
		return e.errorf("%v", err)
	}
	human := e.stdout
	if outs.toStdout() {
		human = e.stderr
	}
	switch {
	case o.workers < 1 || o.workers > 256:
		return e.errorf("--workers %d: want 1 to 256", o.workers)
	case o.runs < 1:
		return e.errorf("--runs must be at least 1, got %d", o.runs)
	case o.verifySteps < 1 || o.window == 0 || o.witnessSteps == 0:
		return e.errorf("--verify-steps, --window and --witness-steps must be at least 1")
	}
	hello, err := os.ReadFile(o.hello)
	if err != nil {
		return e.errorf("reading --hello ELF: %v", err)
	}
	mt, err := os.ReadFile(o.mt)
	if err != nil {
		return e.errorf("reading --mt ELF: %v", err)
	}
	res := &pipelineBench{SchemaVersion: 1, Identity: check.NewIdentity(nil, nil), Machine: readMachineInfo()}
	progress := func(what string) { fmt.Fprintf(e.stderr, "%s: %s\n", e.name, what) }

	vmb := &benchOptions{runs: o.runs, witnessFrom: 10_000_000, witnessSteps: o.witnessSteps}
	progress("Go VM speed")
	if res.GoVM, err = vmb.measureSpeed(o.mt); err != nil {
		return o.fail(e, err)
	}
	progress("witness generation")
	if res.Witness, err = vmb.measureWitness(o.mt); err != nil {
		return o.fail(e, err)
	}

	progress("EVM verification")
	ins, err := check.PrepareSteps(hello, 0, o.verifySteps)
	if err != nil {
		return o.fail(e, err)
	}
	for _, w := range uniqueInts(1, o.workers) {
		runtime.GC()
		vb, err := check.BenchVerify(ins, w)
		if err != nil {
			return o.fail(e, err)
		}
		res.Verify = append(res.Verify, vb)
	}
	ins = nil

	progress("end-to-end")
	for _, g := range []struct {
		name string
		elf  []byte
		from uint64
	}{{filepath.Base(o.hello), hello, 0}, {filepath.Base(o.mt), mt, uint64(o.mtFrom)}} {
		b, err := endToEnd(g.name, g.elf, g.from, uint64(o.window), o.workers)
		if err != nil {
			return o.fail(e, err)
		}
		res.EndToEnd = append(res.EndToEnd, b)
	}

	if o.rss {
		progress("peak memory of full runs (child processes)")
		short := uint64(o.rssSteps) / 10
		if o.rssSteps == 0 {
			short = 50_000
		}
		for _, n := range []uint64{short, uint64(o.rssSteps)} {
			m, sum, err := runChild(o.hello, n, o.workers)
			if err != nil {
				return o.fail(e, err)
			}
			res.Memory = append(res.Memory, m)
			res.Gas = &sum.Gas
		}
	}
	res.print(human)
	if o.jsonPath != "" {
		if err := writeJSON(o.jsonPath, e.stdout, res); err != nil {
			return e.errorf("writing --json: %v", err)
		}
	}
	return exitOK
}

func (o *pipelineBenchOptions) fail(e *env, err error) int {
	fmt.Fprintf(e.stderr, "%s: %v\n", e.name, err)
	return exitFault
}

func uniqueInts(a, b int) []int {
	if a == b {
		return []int{a}
	}
	return []int{a, b}
}

// endToEnd is one `fpvmdiff run --check all --range from:from+n` in this process.
func endToEnd(name string, elf []byte, from, n uint64, workers int) (endToEndBench, error) {
	runtime.GC()
	startCPU := check.ProcessCPUTime()
	res, err := check.Run(check.RunConfig{ELF: elf, Program: name, Workers: workers,
		Range: check.StepRange{Start: from, End: from + n, Set: true}})
	cpu := check.ProcessCPUTime() - startCPU
	if err != nil {
		return endToEndBench{}, fmt.Errorf("end-to-end %s: %w", name, err)
	}
	if res.Diverged() {
		return endToEndBench{}, fmt.Errorf("end-to-end %s: divergence at step %d", name, res.Divergence.Step)
	}
	b := endToEndBench{Program: name, Range: fmt.Sprintf("%d:%d", from, from+n), Workers: workers,
		StepsChecked: res.StepsChecked, Seconds: res.Duration.Seconds(), Gas: res.Gas}
	if res.StepsChecked > 0 {
		b.StepsPerSecond = float64(res.StepsChecked) / res.Duration.Seconds()
		b.CPUMicrosPerStep = cpu.Seconds() * 1e6 / float64(res.StepsChecked)
	}
	return b, nil
}

// runChild runs `fpvmdiff run ELF --check all` (maxSteps 0: to the guest's exit) as a child
// process, which reports its own peak RSS in its summary.
func runChild(elf string, maxSteps uint64, workers int) (runMemory, *runJSONSummary, error) {
	self, err := os.Executable()
	if err != nil {
		return runMemory{}, nil, fmt.Errorf("finding our own executable: %w", err)
	}
	dir, err := os.MkdirTemp("", "fpvmdiff-bench-")
	if err != nil {
		return runMemory{}, nil, err
	}
	defer os.RemoveAll(dir)
	sumPath := filepath.Join(dir, "run.json")
	args := []string{"run", elf, "--check", "all", "--quiet", "--workers", fmt.Sprint(workers)}
	if maxSteps > 0 {
		args = append(args, "--max-steps", fmt.Sprint(maxSteps))
	}
	cmd := exec.Command(self, append(args, "--json", sumPath, "--bundle-dir", dir)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	runErr := cmd.Run()
	what := "fpvmdiff " + strings.Join(args, " ")
	raw, err := os.ReadFile(sumPath)
	if err != nil {
		return runMemory{}, nil, fmt.Errorf("child '%s' wrote no summary (%v): %s", what, runErr, lastLine(stderr.String()))
	}
	var sum runJSONSummary
	if err := json.Unmarshal(raw, &sum); err != nil {
		return runMemory{}, nil, fmt.Errorf("child summary: %w", err)
	}
	if sum.Divergence != nil || sum.PeakRSSBytes == 0 {
		return runMemory{}, nil, fmt.Errorf("child '%s': diverged %v, peak RSS %d bytes", what, sum.Divergence != nil, sum.PeakRSSBytes)
	}
	m := runMemory{Command: what, StepsChecked: sum.StepsChecked, PeakRSSBytes: sum.PeakRSSBytes}
	if d := sum.Duration; d > 0 {
		m.StepsPerSecond = float64(sum.StepsChecked) / d.Seconds()
	}
	return m, &sum, nil
}

// runJSONSummary reads what runJSON writes.
type runJSONSummary struct {
	check.RunResult
	PeakRSSBytes uint64 `json:"peak_rss_bytes"`
}

func (r *pipelineBench) print(w io.Writer) {
	verdict := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "MISSED"
	}
	m := r.Machine
	fmt.Fprintf(w, "fpvmdiff bench\nmachine: %s, %d cores, %.1f GiB RAM, %s %s\n\n", m.CPU, m.Cores, float64(m.RAMBytes)/(1<<30), m.GoVersion, m.OS)
	fmt.Fprintf(w, "%-44s %14s %16s %12s\n", "measure", "wall", "CPU time", "target")
	g := r.GoVM
	fmt.Fprintf(w, "%-44s %12.1fM/s %12.1fM/s\n", fmt.Sprintf("Go VM steps/s, no proofs (best of %d)", g.Runs),
		g.BestStepsPerSecond/1e6, g.BestStepsPerCPUSecond/1e6)
	wt := r.Witness
	fmt.Fprintf(w, "%-44s %11.2f us %13.2f us %10s  %s\n", fmt.Sprintf("witness generation per step (median of %d)", wt.Runs),
		wt.MicrosPerStep, wt.CPUMicrosPerStep, "<= 10 us", verdict(wt.MicrosPerStep <= targetWitnessMicros))
	fmt.Fprintf(w, "%-44s %11.2f us\n", "witness generation per step (best)", wt.BestMicrosPerStep)
	for _, v := range r.Verify {
		fmt.Fprintf(w, "%-44s %11.1f us %13.1f us   (%.0f steps/s)\n", fmt.Sprintf("EVM verification per step, %d worker(s)", v.Workers),
			v.MicrosPerStep, v.CPUMicrosPerStep, v.StepsPerSecond)
	}
	for _, b := range r.EndToEnd {
		fmt.Fprintf(w, "%-44s %12.0f/s %10.0f us/st %10s  %s\n", fmt.Sprintf("end-to-end %s %s, %d workers", b.Program, b.Range, b.Workers),
			b.StepsPerSecond, b.CPUMicrosPerStep, ">= 12000/s", verdict(b.StepsPerSecond >= targetCheckedStepsPerSecond))
	}
	if r.Gas != nil {
		fmt.Fprintf(w, "%-44s min %d, median %d, p99 %d, max %d\n", fmt.Sprintf("gas per step (%d checked steps)", r.Gas.Count),
			r.Gas.Min, r.Gas.Median, r.Gas.P99, r.Gas.Max)
	}
	for _, mem := range r.Memory {
		mib := float64(mem.PeakRSSBytes) / (1 << 20)
		fmt.Fprintf(w, "%-44s %10.1f MiB %16s %10s  %s\n", fmt.Sprintf("peak RSS, --check all, %d steps", mem.StepsChecked), mib, "",
			"< 256 MiB", verdict(mib < targetRunRSSMiB))
	}
}
