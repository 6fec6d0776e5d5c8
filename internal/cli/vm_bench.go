package cli

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"
)

var vmBenchCommand = &command{
	path:    "vm bench",
	args:    "ELF",
	summary: "measure VM speed, witness cost and peak memory on a guest",
	details: `
Three measurements on one guest, each from a fresh load:
  speed    steps per second without proofs, running the guest to its end --runs times
           (best and median are reported);
  witness  microseconds per step with witness generation (pre-state, thread and memory
           proofs), over --witness-steps steps starting at step --witness-from, --runs
           times (best and median are reported);
  memory   peak resident set size of a child 'fpvmdiff vm run ELF' process.
Prints a table with the targets (>= 30M steps/s, <= 10 us/step, < 64 MiB) and, with --json,
writes the figures and the machine (CPU model, cores, RAM) to FILE.`,
	minArgs: 1,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet) action {
		o := &benchOptions{runs: 3, witnessFrom: 10_000_000, witnessSteps: 500_000}
		fs.StringVar(&o.preimages, "preimages", "", "pre-image `FILE` for guests that read pre-images")
		fs.IntVar(&o.runs, "runs", o.runs, "run the guest `N` times for the speed figure")
		fs.Var(&o.witnessFrom, "witness-from", "fast-forward `N` steps before measuring witness generation")
		fs.Var(&o.witnessSteps, "witness-steps", "measure witness generation over `N` steps")
		fs.BoolVar(&o.rss, "rss", true, "measure peak memory in a child process")
		fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the speed runs to `FILE` (go tool pprof)")
		fs.StringVar(&o.jsonPath, "json", "", "also write the results as JSON to `FILE` (- for standard output)")
		return func(e *env, args []string) int { return o.run(e, args[0]) }
	},
}

type benchOptions struct {
	preimages    string
	runs         int
	witnessFrom  stepCount
	witnessSteps stepCount
	rss          bool
	cpuProfile   string
	jsonPath     string
}

// Targets from the project brief.
const (
	targetStepsPerSecond = 30e6
	targetWitnessMicros  = 10
	targetPeakRSSMiB     = 64
)

type benchResult struct {
	SchemaVersion int `json:"schema_version"`
	check.Identity
	ELF     string       `json:"elf"`
	Machine machineInfo  `json:"machine"`
	Speed   speedResult  `json:"speed"`
	Witness witnessStats `json:"witness"`
	Memory  *memoryStats `json:"memory,omitempty"`
}

type machineInfo struct {
	CPU       string `json:"cpu"`
	Cores     int    `json:"cores"`
	RAMBytes  uint64 `json:"ram_bytes"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
}

// Wall-clock figures are what a user waits; the CPU-time figures (user + system time of
// this process, GC included) say what the VM costs when other processes share the cores.
type speedResult struct {
	Runs                    int     `json:"runs"`
	Steps                   uint64  `json:"steps"` // per run
	BestStepsPerSecond      float64 `json:"best_steps_per_second"`
	MedianStepsPerSecond    float64 `json:"median_steps_per_second"`
	BestStepsPerCPUSecond   float64 `json:"best_steps_per_cpu_second"`
	MedianStepsPerCPUSecond float64 `json:"median_steps_per_cpu_second"`
}

// witnessStats are per-step figures over Runs windows of Steps steps from FromStep: the
// median (MicrosPerStep, CPUMicrosPerStep) and the best run.
type witnessStats struct {
	FromStep          uint64  `json:"from_step"`
	Steps             uint64  `json:"steps"` // per run
	Runs              int     `json:"runs"`
	MicrosPerStep     float64 `json:"us_per_step"`
	BestMicrosPerStep float64 `json:"best_us_per_step"`
	CPUMicrosPerStep  float64 `json:"cpu_us_per_step"`
}

type memoryStats struct {
	PeakRSSBytes uint64 `json:"peak_rss_bytes"`
	Command      string `json:"command"`
}

func (o *benchOptions) run(e *env, elfPath string) int {
	outs := (&outputs{}).file("json", o.jsonPath).file("cpuprofile", o.cpuProfile)
	if err := outs.validate(); err != nil {
		return e.errorf("%v", err)
	}
	if o.cpuProfile == stdoutPath {
		return e.errorf("--cpuprofile -: a profile is binary; give a FILE")
	}
	human := e.stdout
	if outs.toStdout() {
		human = e.stderr
	}
	if o.runs < 1 {
		return e.errorf("--runs must be at least 1, got %d", o.runs)
	}
	if o.witnessSteps == 0 {
		return e.errorf("--witness-steps must be at least 1")
	}
	// Load once up front so input errors surface before any measuring.
	if _, _, err := loadGuest(elfPath, o.preimages); err != nil {
		return e.errorf("%v", err)
	}
	res := &benchResult{SchemaVersion: 1, ELF: check.DisplayPath(elfPath), Machine: readMachineInfo()}
	if elf, err := os.ReadFile(elfPath); err == nil {
		res.Identity = check.NewIdentity(elf, nil)
	}

	speed, err := o.measureSpeed(elfPath)
	if err != nil {
		return o.fail(e, err)
	}
	res.Speed = speed
	wit, err := o.measureWitness(elfPath)
	if err != nil {
		return o.fail(e, err)
	}
	res.Witness = wit
	if o.rss {
		mem, err := o.measureMemory(elfPath)
		if err != nil {
			return o.fail(e, err)
		}
		res.Memory = mem
	}

	res.print(human)
	if o.jsonPath != "" {
		if err := writeJSON(o.jsonPath, e.stdout, res); err != nil {
			return e.errorf("writing --json: %v", err)
		}
	}
	return exitOK
}

func (o *benchOptions) fail(e *env, err error) int {
	fmt.Fprintf(e.stderr, "%s: %v\n", e.name, err)
	return exitFault
}

// measureSpeed runs the guest to its end --runs times without proofs.
func (o *benchOptions) measureSpeed(elfPath string) (speedResult, error) {
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return speedResult{}, fmt.Errorf("--cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return speedResult{}, fmt.Errorf("--cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	var rates, cpuRates []float64
	var steps uint64
	for range o.runs {
		state, oracle, err := loadGuest(elfPath, o.preimages)
		if err != nil {
			return speedResult{}, err
		}
		machine := newMachine(state, oracle, nil, nil)
		runtime.GC() // the previous run's garbage is not this run's cost
		start, startCPU := time.Now(), cpuTime()
		if _, err := machine.Run(math.MaxUint64); err != nil {
			return speedResult{}, fmt.Errorf("speed run: %w", err)
		}
		rates = append(rates, float64(state.Step)/time.Since(start).Seconds())
		cpuRates = append(cpuRates, float64(state.Step)/(cpuTime()-startCPU).Seconds())
		steps = state.Step
	}
	slices.Sort(rates)
	slices.Sort(cpuRates)
	return speedResult{
		Runs:                    o.runs,
		Steps:                   steps,
		BestStepsPerSecond:      rates[len(rates)-1],
		MedianStepsPerSecond:    rates[len(rates)/2],
		BestStepsPerCPUSecond:   cpuRates[len(cpuRates)-1],
		MedianStepsPerCPUSecond: cpuRates[len(cpuRates)/2],
	}, nil
}

// measureWitness times --witness-steps steps that build witnesses, --runs times, each from a
// fresh load fast-forwarded without proofs to --witness-from. Like the speed figure it keeps
// the best and the median run: on shared cores a single run says more about the neighbours
// than about the code.
func (o *benchOptions) measureWitness(elfPath string) (witnessStats, error) {
	var res witnessStats
	var wall, cpu []float64
	for range max(o.runs, 1) {
		from, n, w, c, err := o.witnessRun(elfPath)
		if err != nil {
			return witnessStats{}, err
		}
		res.FromStep, res.Steps = from, n
		wall, cpu = append(wall, w), append(cpu, c)
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	res.Runs = len(wall)
	res.BestMicrosPerStep, res.MicrosPerStep = wall[0], wall[len(wall)/2]
	res.CPUMicrosPerStep = cpu[len(cpu)/2]
	return res, nil
}

// witnessRun is one timed window: the first step, the number of steps and the wall and CPU
// microseconds per step.
func (o *benchOptions) witnessRun(elfPath string) (from, n uint64, wall, cpu float64, err error) {
	state, oracle, err := loadGuest(elfPath, o.preimages)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	machine := newMachine(state, oracle, nil, nil)
	if _, err := machine.Run(uint64(o.witnessFrom)); err != nil {
		return 0, 0, 0, 0, fmt.Errorf("fast-forward: %w", err)
	}
	if state.Exited {
		return 0, 0, 0, 0, fmt.Errorf("the guest exits at step %d, before --witness-from %d", state.Step, o.witnessFrom)
	}
	from = state.Step
	runtime.GC() // the fast-forward's garbage is not this window's cost
	start, startCPU := time.Now(), cpuTime()
	for n < uint64(o.witnessSteps) && !state.Exited {
		if _, err := machine.Step(true); err != nil {
			return 0, 0, 0, 0, fmt.Errorf("witness step: %w", err)
		}
		n++
	}
	wall = time.Since(start).Seconds() * 1e6 / float64(n)
	cpu = (cpuTime() - startCPU).Seconds() * 1e6 / float64(n)
	return from, n, wall, cpu, nil
}

// measureMemory runs `fpvmdiff vm run ELF` as a child, which reports its own peak RSS in
// its JSON summary. (The kernel's rusage for a child would also count what the parent had
// resident when it forked, which is why the child measures itself.)
func (o *benchOptions) measureMemory(elfPath string) (*memoryStats, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding our own executable: %w", err)
	}
	dir, err := os.MkdirTemp("", "fpvmdiff-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	sumPath := filepath.Join(dir, "run.json")
	args := []string{"vm", "run", elfPath}
	if o.preimages != "" {
		args = append(args, "--preimages", o.preimages)
	}
	cmd := exec.Command(self, append(args, "--json", sumPath)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	err = cmd.Run()
	if cmd.ProcessState == nil {
		return nil, fmt.Errorf("running 'fpvmdiff %s': %w", strings.Join(args, " "), err)
	}
	raw, err := os.ReadFile(sumPath)
	if err != nil {
		return nil, fmt.Errorf("child 'fpvmdiff %s' wrote no summary (exit %d): %s", strings.Join(args, " "),
			cmd.ProcessState.ExitCode(), lastLine(stderr.String()))
	}
	var sum runSummary
	if err := json.Unmarshal(raw, &sum); err != nil {
		return nil, fmt.Errorf("child summary: %w", err)
	}
	if sum.Outcome != outcomeExited || sum.PeakRSSBytes == 0 {
		return nil, fmt.Errorf("child 'fpvmdiff %s': outcome %s, peak RSS %d bytes", strings.Join(args, " "), sum.Outcome, sum.PeakRSSBytes)
	}
	return &memoryStats{PeakRSSBytes: sum.PeakRSSBytes, Command: "fpvmdiff " + strings.Join(args, " ")}, nil
}

// childEnv is set for the child of measureMemory; the test binary uses it to act as the CLI.
const childEnv = "FPVMDIFF_BENCH_CHILD"

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func (r *benchResult) print(w io.Writer) {
	verdict := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "MISSED"
	}
	m := r.Machine
	fmt.Fprintf(w, "fpvmdiff vm bench %s\n", r.ELF)
	fmt.Fprintf(w, "machine: %s, %d cores, %.1f GiB RAM, %s %s\n\n", m.CPU, m.Cores, float64(m.RAMBytes)/(1<<30), m.GoVersion, m.OS)
	fmt.Fprintf(w, "%-34s %14s %12s  %s\n", "measure", "value", "target", "")
	s := r.Speed
	fmt.Fprintf(w, "%-34s %12.1fM/s %10s  %s\n", fmt.Sprintf("steps/s, no proofs (best of %d)", s.Runs),
		s.BestStepsPerSecond/1e6, ">= 30M/s", verdict(s.BestStepsPerSecond >= targetStepsPerSecond))
	fmt.Fprintf(w, "%-34s %12.1fM/s %10s\n", "steps/s, no proofs (median)", s.MedianStepsPerSecond/1e6, "")
	fmt.Fprintf(w, "%-34s %12.1fM/s %10s\n", "steps per CPU-second (best)", s.BestStepsPerCPUSecond/1e6, "")
	fmt.Fprintf(w, "%-34s %14d\n", "steps per run", s.Steps)
	wt := r.Witness
	fmt.Fprintf(w, "%-34s %11.2f us %10s  %s\n", fmt.Sprintf("witness per step (median of %d)", wt.Runs),
		wt.MicrosPerStep, "<= 10 us", verdict(wt.MicrosPerStep <= targetWitnessMicros))
	fmt.Fprintf(w, "%-34s %11.2f us\n", "witness per step (best)", wt.BestMicrosPerStep)
	fmt.Fprintf(w, "%-34s %11.2f us\n", "witness CPU time per step (median)", wt.CPUMicrosPerStep)
	fmt.Fprintf(w, "%-34s %14s\n", "  measured over steps", fmt.Sprintf("%d..%d", wt.FromStep, wt.FromStep+wt.Steps))
	if r.Memory != nil {
		mib := float64(r.Memory.PeakRSSBytes) / (1 << 20)
		fmt.Fprintf(w, "%-34s %10.1f MiB %10s  %s\n", "peak RSS of 'vm run'", mib, "< 64 MiB", verdict(mib < targetPeakRSSMiB))
	}
}

// cpuTime is the user plus system CPU time this process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func readMachineInfo() machineInfo {
	m := machineInfo{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	m.CPU = procField("/proc/cpuinfo", "model name")
	if kb := procField("/proc/meminfo", "MemTotal"); kb != "" {
		var n uint64
		if _, err := fmt.Sscanf(kb, "%d kB", &n); err == nil {
			m.RAMBytes = n * 1024
		}
	}
	return m
}

// procField returns the value of the first "key: value" line of a /proc file, or "".
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
