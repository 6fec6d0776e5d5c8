package cli

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"
)

// bench --scaling: how `run --check all` scales with the cores of one machine, and what a
// whole op-program trace then costs, on this machine and on a CI matrix of 2-core jobs.

// opProgramTraceSteps is the length of the op-program v1.19.0 client's run on the captured
// devnet pre-images (testdata/op-program; measured on the Go VM and by production cannon).
const opProgramTraceSteps = 439_222_866

// ciJobCores is the size of a hosted CI runner (GitHub's ubuntu-latest has 2 or 4 cores;
// 2 is the conservative figure).
const ciJobCores = 2

type scalingPoint struct {
	endToEndBench
	Speedup float64 `json:"speedup"` // checked steps/s over the 1-worker figure
}

type scalingBench struct {
	Machine machineInfo    `json:"machine"`
	Points  []scalingPoint `json:"points"`
	// FastForwardStepsPerSecond is the Go VM without proofs on the same guest: what a shard
	// pays to reach its range and, with A:end, to find the trace's end.
	FastForwardStepsPerSecond float64           `json:"fast_forward_steps_per_second"`
	Projection                scalingProjection `json:"projection"`
}

type scalingProjection struct {
	TraceSteps uint64 `json:"trace_steps"`
	// OneMachineSeconds: the whole trace at the best measured rate of this machine.
	OneMachineSeconds float64 `json:"one_machine_seconds"`
	OneMachineWorkers int     `json:"one_machine_workers"`
	// CI: jobs of ciJobCores cores at the measured rate for that many workers; the slowest
	// (last) shard finds the trace's end, fast-forwards over all shards before it, and
	// checks its own part.
	CIJobs              int     `json:"ci_jobs"`
	CISeconds           float64 `json:"ci_seconds"`
	CIJobsFor15Minutes  int     `json:"ci_jobs_for_15_minutes"` // 0: not reachable
	CICheckedPerSecJob  float64 `json:"ci_checked_steps_per_second_per_job"`
	CIFastForwardSecond float64 `json:"ci_fast_forward_seconds_last_shard"`
}

// workerCounts is 1, 2, 4, … up to cores, and cores itself.
func workerCounts(cores int) []int {
	var ws []int
	for w := 1; w < cores; w *= 2 {
		ws = append(ws, w)
	}
	return append(ws, cores)
}

func (o *pipelineBenchOptions) runScaling(e *env) int {
	if o.window == 0 {
		return e.errorf("--window must be at least 1")
	}
	mt, err := os.ReadFile(o.mt)
	if err != nil {
		return e.errorf("reading --mt ELF: %v", err)
	}
	res := &scalingBench{Machine: readMachineInfo()}
	if res.FastForwardStepsPerSecond, err = fastForwardRate(mt, uint64(o.mtFrom)); err != nil {
		return o.fail(e, err)
	}
	for _, w := range workerCounts(runtime.NumCPU()) {
		fmt.Fprintf(e.stderr, "%s: %d worker(s)\n", e.name, w)
		b, err := endToEnd("mt", mt, uint64(o.mtFrom), uint64(o.window), w)
		if err != nil {
			return o.fail(e, err)
		}
		p := scalingPoint{endToEndBench: b}
		if len(res.Points) > 0 && res.Points[0].StepsPerSecond > 0 {
			p.Speedup = b.StepsPerSecond / res.Points[0].StepsPerSecond
		} else {
			p.Speedup = 1
		}
		res.Points = append(res.Points, p)
	}
	res.project()
	res.print(e.stdout)
	if o.jsonPath != "" {
		if err := writeJSONAtomic(o.jsonPath, res); err != nil {
			return e.errorf("writing --json: %v", err)
		}
	}
	return exitOK
}

// fastForwardRate times the Go VM without proofs over the first n steps of elf.
func fastForwardRate(elf []byte, n uint64) (float64, error) {
	v, err := check.OurVM(elf, nil, nil, nil)
	if err != nil {
		return 0, fmt.Errorf("loading mt: %w", err)
	}
	start := time.Now()
	ran, err := v.Run(n)
	if err != nil {
		return 0, fmt.Errorf("fast-forward: %w", err)
	}
	return float64(ran) / time.Since(start).Seconds(), nil
}

func (r *scalingBench) project() {
	p := &r.Projection
	p.TraceSteps = opProgramTraceSteps
	best := r.Points[0]
	for _, pt := range r.Points {
		if pt.StepsPerSecond > best.StepsPerSecond {
			best = pt
		}
		if pt.Workers == ciJobCores || (p.CICheckedPerSecJob == 0 && pt.Workers > ciJobCores) {
			p.CICheckedPerSecJob = pt.StepsPerSecond
		}
	}
	if p.CICheckedPerSecJob == 0 { // fewer cores here than a CI job: scale the best linearly
		p.CICheckedPerSecJob = best.StepsPerSecond * ciJobCores / float64(best.Workers)
	}
	p.OneMachineSeconds = float64(p.TraceSteps) / best.StepsPerSecond
	p.OneMachineWorkers = best.Workers
	p.CIJobs = 128
	p.CISeconds, p.CIFastForwardSecond = r.ciSeconds(p.CIJobs)
	for jobs := 1; jobs <= 256; jobs++ {
		if s, _ := r.ciSeconds(jobs); s <= 15*60 {
			p.CIJobsFor15Minutes = jobs
			break
		}
	}
}

// ciSeconds is the wall time of the last of jobs shards: it runs the whole trace once
// without proofs (finding the end for A:end), fast-forwards over the shards before it, then
// checks its part. Build, download and start-up of a job are not included.
func (r *scalingBench) ciSeconds(jobs int) (total, fastForward float64) {
	p := r.Projection
	steps := float64(p.TraceSteps)
	part := steps / float64(jobs)
	fastForward = (steps + steps - part) / r.FastForwardStepsPerSecond
	return fastForward + part/p.CICheckedPerSecJob, fastForward
}

func (r *scalingBench) print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "scaling of run --check all, mt steps %s, on %s (%d cores)\n", r.Points[0].Range, m.CPU, m.Cores)
	fmt.Fprintf(w, "  %-8s %16s %8s %14s\n", "workers", "checked steps/s", "speedup", "CPU us/step")
	for _, p := range r.Points {
		fmt.Fprintf(w, "  %-8d %16.0f %7.2fx %14.1f\n", p.Workers, p.StepsPerSecond, p.Speedup, p.CPUMicrosPerStep)
	}
	p := r.Projection
	fmt.Fprintf(w, "  Go VM without proofs (fast-forward): %.1fM steps/s\n", r.FastForwardStepsPerSecond/1e6)
	fmt.Fprintf(w, "projection for the whole op-program v1.19.0 trace (%d steps, --check all):\n", p.TraceSteps)
	fmt.Fprintf(w, "  this machine, %d workers: %s\n", p.OneMachineWorkers, hms(p.OneMachineSeconds))
	jobs15 := "not reachable with 256 jobs"
	if p.CIJobsFor15Minutes > 0 {
		jobs15 = fmt.Sprintf("%d jobs", p.CIJobsFor15Minutes)
	}
	fmt.Fprintf(w, "  CI matrix of %d-core jobs at %.0f checked steps/s each: %d jobs %s (of which %s finding the end and fast-forwarding); 15 min needs %s\n",
		ciJobCores, p.CICheckedPerSecJob, p.CIJobs, hms(p.CISeconds), hms(p.CIFastForwardSecond), jobs15)
}

func hms(s float64) string {
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return "-"
	}
	return (time.Duration(s) * time.Second).Round(time.Second).String()
}
