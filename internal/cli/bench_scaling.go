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
	FastForwardStepsPerSecond float64 `json:"fast_forward_steps_per_second"`
	// FastForwardStepsPerCPUSecond is the same per second of this process's CPU time.
	FastForwardStepsPerCPUSecond float64 `json:"fast_forward_steps_per_cpu_second"`
	// Projection uses the wall-clock rates; CPUProjection the CPU time per step, as if each
	// worker had a core to itself (the figure to trust when other jobs share the cores).
	Projection    scalingProjection `json:"projection"`
	CPUProjection scalingProjection `json:"cpu_projection"`
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
	if res.FastForwardStepsPerSecond, res.FastForwardStepsPerCPUSecond, err = fastForwardRate(mt, uint64(o.mtFrom)); err != nil {
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
		if err := writeJSON(o.jsonPath, e.stdout, res); err != nil {
			return e.errorf("writing --json: %v", err)
		}
	}
	return exitOK
}

// fastForwardRate times the Go VM without proofs over the first n steps of elf, per
// second of wall-clock and of CPU time.
func fastForwardRate(elf []byte, n uint64) (wall, cpu float64, err error) {
	v, err := check.OurVM(elf, nil, nil, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("loading mt: %w", err)
	}
	start, startCPU := time.Now(), check.ProcessCPUTime()
	ran, err := v.Run(n)
	if err != nil {
		return 0, 0, fmt.Errorf("fast-forward: %w", err)
	}
	return float64(ran) / time.Since(start).Seconds(), float64(ran) / (check.ProcessCPUTime() - startCPU).Seconds(), nil
}

func (r *scalingBench) project() {
	wall := func(p scalingPoint) float64 { return p.StepsPerSecond }
	// With a core per worker, w workers check w / (CPU per step) steps per second.
	cpu := func(p scalingPoint) float64 { return float64(p.Workers) * 1e6 / p.CPUMicrosPerStep }
	r.Projection = r.projectWith(wall, r.FastForwardStepsPerSecond)
	r.CPUProjection = r.projectWith(cpu, r.FastForwardStepsPerCPUSecond)
}

func (r *scalingBench) projectWith(rate func(scalingPoint) float64, ffRate float64) scalingProjection {
	p := scalingProjection{TraceSteps: opProgramTraceSteps}
	best := r.Points[0]
	for _, pt := range r.Points {
		if rate(pt) > rate(best) {
			best = pt
		}
		if pt.Workers == ciJobCores {
			p.CICheckedPerSecJob = rate(pt)
		}
	}
	if p.CICheckedPerSecJob == 0 { // no 2-worker point: scale the best one linearly
		p.CICheckedPerSecJob = rate(best) * ciJobCores / float64(best.Workers)
	}
	p.OneMachineSeconds = float64(p.TraceSteps) / rate(best)
	p.OneMachineWorkers = best.Workers
	p.CIJobs = 128
	p.CISeconds, p.CIFastForwardSecond = ciSeconds(p, ffRate, p.CIJobs)
	for jobs := 1; jobs <= 256; jobs++ {
		if s, _ := ciSeconds(p, ffRate, jobs); s <= 15*60 {
			p.CIJobsFor15Minutes = jobs
			break
		}
	}
	return p
}

// ciSeconds is the wall time of the last of jobs shards: it runs the whole trace once
// without proofs (finding the end for A:end), fast-forwards over the shards before it, then
// checks its part. Build, download and start-up of a job are not included.
func ciSeconds(p scalingProjection, ffRate float64, jobs int) (total, fastForward float64) {
	steps := float64(p.TraceSteps)
	part := steps / float64(jobs)
	fastForward = (steps + steps - part) / ffRate
	return fastForward + part/p.CICheckedPerSecJob, fastForward
}

func (r *scalingBench) print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "scaling of run --check all, mt steps %s, on %s (%d cores)\n", r.Points[0].Range, m.CPU, m.Cores)
	fmt.Fprintf(w, "  %-8s %16s %8s %14s\n", "workers", "checked steps/s", "speedup", "CPU us/step")
	for _, p := range r.Points {
		fmt.Fprintf(w, "  %-8d %16.0f %7.2fx %14.1f\n", p.Workers, p.StepsPerSecond, p.Speedup, p.CPUMicrosPerStep)
	}
	fmt.Fprintf(w, "  Go VM without proofs (fast-forward): %.1fM steps/s, %.1fM steps per CPU second\n",
		r.FastForwardStepsPerSecond/1e6, r.FastForwardStepsPerCPUSecond/1e6)
	fmt.Fprintf(w, "projection for the whole op-program v1.19.0 trace (%d steps, --check all):\n", r.Projection.TraceSteps)
	for _, pr := range []struct {
		name string
		p    scalingProjection
	}{{"from wall-clock rates", r.Projection}, {"from CPU per step (a core per worker)", r.CPUProjection}} {
		p := pr.p
		jobs15 := "not reachable with 256 jobs"
		if p.CIJobsFor15Minutes > 0 {
			jobs15 = fmt.Sprintf("%d jobs", p.CIJobsFor15Minutes)
		}
		fmt.Fprintf(w, "  %s:\n", pr.name)
		fmt.Fprintf(w, "    this machine, %d workers: %s\n", p.OneMachineWorkers, hms(p.OneMachineSeconds))
		fmt.Fprintf(w, "    CI matrix of %d-core jobs at %.0f checked steps/s each: %d jobs %s (of which %s finding the end and fast-forwarding); 15 min needs %s\n",
			ciJobCores, p.CICheckedPerSecJob, p.CIJobs, hms(p.CISeconds), hms(p.CIFastForwardSecond), jobs15)
	}
}

func hms(s float64) string {
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return "-"
	}
	return (time.Duration(s) * time.Second).Round(time.Second).String()
}
