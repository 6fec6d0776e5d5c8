package check

import (
	"fmt"
	"sync"
	"syscall"
	"time"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

// VerifyBench is the cost of the EVM side alone: step contract calls on witnesses the Go VM
// produced beforehand.
type VerifyBench struct {
	Workers          int     `json:"workers"`
	Steps            int     `json:"steps"`
	MicrosPerStep    float64 `json:"us_per_step"`      // wall time / steps
	StepsPerSecond   float64 `json:"steps_per_second"` // wall
	CPUMicrosPerStep float64 `json:"cpu_us_per_step"`  // user + system time of the process / steps
}

// PrepareSteps runs elf on the Go VM to step from without proofs, then produces the witnesses
// and Go outcomes of the next n steps, as the producer of Run does.
func PrepareSteps(elf []byte, from uint64, n int) ([]*StepInput, error) {
	v, err := OurVM(elf, nil, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("loading the ELF: %w", err)
	}
	var st View
	v.View(&st)
	if from > st.Step {
		if _, err := v.Run(from - st.Step); err != nil {
			return nil, fmt.Errorf("fast-forward to step %d: %w", from, err)
		}
	}
	p := &producer{planner: planner{cfg: withDefaults(RunConfig{ELF: elf})}, v: v, store: evmharness.PreimageStore{}}
	ins := make([]*StepInput, 0, n)
	for v.View(&st); len(ins) < n && !st.Exited; v.View(&st) {
		in := p.checkedStep()
		ins = append(ins, in)
		if in.GoErr != nil {
			break
		}
	}
	return ins, nil
}

// BenchVerify checks ins with the given number of workers (one session each, contiguous
// parts of ins) and times it. Every step must agree: the figure is for the normal path.
func BenchVerify(ins []*StepInput, workers int) (VerifyBench, error) {
	if len(ins) == 0 || workers < 1 {
		return VerifyBench{}, fmt.Errorf("bench verify: %d steps, %d workers", len(ins), workers)
	}
	mips, oracle, _, err := RunConfig{}.contracts()
	if err != nil {
		return VerifyBench{}, err
	}
	sessions := make([]*evmharness.Session, workers)
	for i := range sessions {
		if sessions[i], err = evmharness.NewSession(mips, oracle); err != nil {
			return VerifyBench{}, err
		}
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	start, startCPU := time.Now(), ProcessCPUTime()
	for w, s := range sessions {
		part := ins[w*len(ins)/workers : (w+1)*len(ins)/workers]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, in := range part {
				if rep := CheckStep(s, in); !rep.Agree() {
					errs[w] = fmt.Errorf("bench verify: step %d diverged: %v", rep.Step, rep.Mismatches)
					return
				}
			}
		}()
	}
	wg.Wait()
	wall, cpu := time.Since(start), ProcessCPUTime()-startCPU
	for _, err := range errs {
		if err != nil {
			return VerifyBench{}, err
		}
	}
	n := float64(len(ins))
	return VerifyBench{
		Workers: workers, Steps: len(ins),
		MicrosPerStep:    wall.Seconds() * 1e6 / n,
		StepsPerSecond:   n / wall.Seconds(),
		CPUMicrosPerStep: cpu.Seconds() * 1e6 / n,
	}, nil
}

// ProcessCPUTime is the user plus system CPU time this process has used so far.
func ProcessCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
