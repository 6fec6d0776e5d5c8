package cli

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/internal/elfsym"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

var vmRunCommand = &command{
	path:    "vm run",
	args:    "ELF",
	summary: "run a MIPS64 guest program on the Go VM, without proofs",
	details: `
The guest's stdout and stderr go to fpvmdiff's stdout and stderr. A summary (steps,
threads, exit code, speed, memory, final state hash) follows on stderr, and in --json FILE.
fpvmdiff exits with the guest's exit code; 2 for bad flags or input files, 3 for a VM
fault, 4 when the livelock detector fires, 5 when --max-steps is reached first.
--stop-at exits 0. Step counts accept underscores and k/M/G suffixes: 20M = 20_000_000.

--stats FILE writes concurrency statistics as JSON (atomically, also after a fault or a
livelock): per thread and in total, steps, forced preemptions (quantum used up) and
voluntary ones (sched_yield/nanosleep, futex waits, futex wakes), futex waits that failed
with EAGAIN, LL/SC successes and failures, the longest run in steps from an LL to its
successful SC, LL reservations invalidated by a store of the same or another thread, by a
syscall write or by another thread's LL, threads created and exited, memory pages.

--livelock-window N stops the run (exit 4, report on stderr and in --stats) when N
consecutive steps make no progress. A step makes progress when it creates or exits a
thread or exits the VM; writes to fd 1, 2 or 4 or uses the pre-image fds 5/6; grows the
heap; or stores into memory a value that changes a word to a value the word never held
before, outside the storing thread's stack ($sp .. $sp+32KiB). Futex waits (matching or
EAGAIN) and wakes, yields, preemptions, failed SCs, loads, register-only instructions,
clock_gettime/getrandom and stores that only flip a word between values it already held do
not: a Go guest whose goroutines are all stuck still toggles runtime flags and reads the
clock, and that must not count. A counter incremented in memory on every retry does count.
Sleeping longer than N steps of virtual time (10M steps per second) also looks like no
progress. 20M (2 virtual seconds) is the recommended window: the longest stretch without
progress in the test guests is 230k steps (mt; 33k for hello), a margin of ~90x, and a
stuck Go guest is stopped 2 virtual seconds after its runtime goes quiet. --stats reports
the longest stretch seen. The observed loop is 3-4x slower than a plain run, so both
flags are off by default.`,
	minArgs: 1,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet) action {
		o := &runOptions{}
		fs.StringVar(&o.preimages, "preimages", "", "pre-image `FILE`: a JSON object mapping \"0x<32-byte key>\" to \"0x<data>\"")
		fs.Var(&o.maxSteps, "max-steps", "give up (exit 5) when the guest has not exited after `N` steps (0: no limit)")
		fs.Var(&o.stopAt, "stop-at", "stop after step `N`, exit 0 (0: run to the end)")
		fs.Var(&o.infoEvery, "info-every", "print a progress line to stderr every `N` steps")
		fs.StringVar(&o.jsonPath, "json", "", "also write the summary as JSON to `FILE` (written atomically)")
		fs.StringVar(&o.statsPath, "stats", "", "write concurrency statistics as JSON to `FILE` (written atomically)")
		fs.Var(&o.livelockWindow, "livelock-window", "stop with exit 4 when `N` consecutive steps make no progress (0: off; see above)")
		return func(e *env, args []string) int { return o.run(e, args[0]) }
	},
}

type runOptions struct {
	preimages string
	maxSteps  stepCount
	stopAt    stepCount
	infoEvery stepCount
	jsonPath  string

	statsPath      string
	livelockWindow stepCount
	syms           *elfsym.Table
}

// parsePC reads a "0x…" pc of a livelock report (0 when it is not one).
func parsePC(s string) uint64 {
	v, _ := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
	return v
}

func (o *runOptions) run(e *env, elfPath string) int {
	outs := (&outputs{}).file("json", o.jsonPath).file("stats", o.statsPath)
	if err := outs.validate(); err != nil {
		return e.errorf("%v", err)
	}
	if outs.toStdout() {
		// The guest writes to standard output; a JSON report there could not be parsed.
		return e.errorf("--json/--stats -: the guest's output goes to standard output; give a FILE")
	}
	state, oracle, elf, err := loadGuestFile(elfPath, o.preimages)
	if err != nil {
		return e.errorf("%v", err)
	}
	// Symbols name the pcs of faults, livelocks and progress lines; an ELF without a
	// symbol table just shows bare pcs. They and the identity are taken before the run so
	// that the image is garbage while the guest runs: held to the end, its 2.7 MB raised
	// the peak RSS of the mt guest's run by 3 MiB (the heap goal doubles what is live).
	o.syms, _ = elfsym.Load(elf)
	identity := check.NewIdentity(elf, nil)
	machine := newMachine(state, oracle, e.stdout, e.stderr)
	if o.statsPath != "" {
		machine.EnableStats()
	}
	machine.SetLivelockWindow(uint64(o.livelockWindow))

	first := state.Step
	limit := uint64(math.MaxUint64)
	if o.maxSteps > 0 {
		limit = first + uint64(o.maxSteps)
	}
	start := time.Now()
	outcome, runErr := o.loop(e, machine, limit, start)
	elapsed := time.Since(start)

	sum := newSummary(elfPath, identity, state, state.Step-first, elapsed)
	sum.Outcome = outcome
	switch outcome {
	case outcomeExited:
		sum.ExitCode = int(state.ExitCode)
		sum.ProcessExit = sum.ExitCode
	case outcomeStopped:
		sum.ProcessExit = exitOK
	case outcomeStepLimit:
		sum.ProcessExit = exitNoFinish
	case outcomeLivelock:
		sum.ProcessExit = exitLivelock
	case outcomeFault:
		sum.Fault = runErr.Error()
		sum.ProcessExit = exitFault
	}
	if outcome != outcomeFault {
		// After a fault the state is undefined, so its hash would mean nothing.
		sum.StateHash = fmt.Sprintf("0x%x", state.Hash())
	}
	sum.PeakRSSBytes = peakRSS()
	sum.print(e.stderr)
	if outcome == outcomeFault {
		var f *vm.Fault
		if errors.As(runErr, &f) {
			if name := o.syms.Lookup(f.PC); name != "" {
				sum.Fault += " (in " + name + ")"
				runErr = fmt.Errorf("%w (in %s)", runErr, name)
			}
		}
		fmt.Fprintf(e.stderr, "%s: %v\n", e.name, runErr)
	}
	var livelock *vm.LivelockReport
	var le *vm.LivelockError
	if errors.As(runErr, &le) {
		livelock = le.Report
		for i := range livelock.Threads {
			th := &livelock.Threads[i]
			th.MinSymbol, th.MaxSymbol = o.syms.Lookup(parsePC(th.MinPC)), o.syms.Lookup(parsePC(th.MaxPC))
		}
		fmt.Fprintf(e.stderr, "%s: %v\n%s", e.name, le, le.Report)
	}
	if o.jsonPath != "" {
		if err := writeJSON(o.jsonPath, e.stdout, sum); err != nil {
			return e.errorf("writing --json: %v", err)
		}
	}
	if o.statsPath != "" {
		rep := statsFile{ELF: check.DisplayPath(elfPath), Outcome: outcome, Stats: machine.Stats(), Livelock: livelock}
		if err := writeJSON(o.statsPath, e.stdout, rep); err != nil {
			return e.errorf("writing --stats: %v", err)
		}
	}
	return sum.ProcessExit
}

// outcomeLivelock: --livelock-window steps went by without progress.
const outcomeLivelock = "livelock"

// statsFile is the JSON written by --stats.
type statsFile struct {
	ELF      string             `json:"elf"`
	Outcome  string             `json:"outcome"`
	Stats    *vm.Stats          `json:"stats"`
	Livelock *vm.LivelockReport `json:"livelock,omitempty"`
}

// loop runs the VM in slices that end at the next progress line, --stop-at or the step
// limit, whichever comes first, and says how the run ended.
func (o *runOptions) loop(e *env, machine *vm.VM, limit uint64, start time.Time) (string, error) {
	state := machine.State()
	first := state.Step
	for {
		if state.Exited {
			return outcomeExited, nil
		}
		if o.stopAt > 0 && state.Step >= uint64(o.stopAt) {
			fmt.Fprintf(e.stderr, "%s: stopped after step %d (--stop-at)\n", e.name, state.Step)
			return outcomeStopped, nil
		}
		if state.Step >= limit {
			fmt.Fprintf(e.stderr, "%s: guest still running after %d steps (--max-steps)\n", e.name, state.Step-first)
			return outcomeStepLimit, nil
		}
		target := limit
		if o.stopAt > 0 {
			target = min(target, uint64(o.stopAt))
		}
		if o.infoEvery > 0 {
			every := uint64(o.infoEvery)
			target = min(target, (state.Step/every+1)*every)
		}
		if _, err := machine.Run(target - state.Step); err != nil {
			var le *vm.LivelockError
			if errors.As(err, &le) {
				return outcomeLivelock, err
			}
			return outcomeFault, err
		}
		// No progress line where the run ends anyway: the summary follows.
		ending := state.Exited || state.Step == uint64(o.stopAt) || state.Step == limit
		if o.infoEvery > 0 && state.Step%uint64(o.infoEvery) == 0 && !ending {
			secs := time.Since(start).Seconds()
			t := state.ActiveThread()
			fmt.Fprintf(e.stderr, "%s: step %d, %d threads live, %d pages, %.1fM steps/s, thread %d at %s\n",
				e.name, state.Step, state.ThreadCount(), state.Memory.PageCount(), float64(state.Step-first)/secs/1e6,
				t.ThreadID, o.syms.PC(t.PC))
		}
	}
}
