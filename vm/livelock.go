package vm

import (
	"fmt"
	"sort"
	"strings"
)

// Livelock and deadlock detection. In Cannon nothing ever blocks: a futex wait on a matching
// value just yields and the waiter re-checks when scheduled again, so a deadlocked guest does
// not stop, it spins forever. The detector stops a run when, for a window of consecutive
// steps, no step made progress.
//
// A step makes progress when it
//   - creates a thread, exits a thread, or exits the VM;
//   - writes to stdout, stderr or the hint fd (1, 2, 4), or reads or writes the pre-image
//     fds (5, 6): the guest talks to the outside world;
//   - grows the heap (mmap without an address hint);
//   - stores (any store instruction or a successful SC) a value into a word that changes
//     it, where the (address, value) pair is new — the word never held that value since the
//     detector started (see novelty below) — and the word is not in the storing thread's
//     stack frames, i.e. not in [$sp, $sp+stackSpan).
//
// Nothing else is progress: pops and forced preemptions, sched_yield and nanosleep, futex
// waits (successful or EAGAIN) and wakes, failed SCs, loads, register-only instructions,
// clock_gettime and getrandom (their memory writes return a value, like a load), the other
// syscalls, and stores that leave a word unchanged, put back a value it already held, or
// land in the stack.
//
// Why "new value" and "not the stack": a Go guest is never quiet even when every goroutine
// is stuck. Idle threads toggle flags around their futex waits (m.blocked = true/false), lock
// and unlock runtime locks, and sysmon reads the clock and keeps the result in its frame.
// Those writes cycle through a few values per word, or go to the stack, so counting every
// store would hide every deadlock; counting none would make a long computation look stuck.
// A counter that keeps increasing, on the other hand, is progress by this definition, so a
// livelock that counts its own retries in memory is not caught.
//
// A guest sleeping (time.Sleep, timers) longer than the window in virtual time (docs/spec.md
// §7.2 "Supported syscalls": 10M steps per second) makes no progress meanwhile either, so the
// window must exceed the longest sleep the guest is expected to take.

// stackSpan is how far above $sp a store still counts as a store to the thread's own frames.
// Go frames of the runtime's loops are far smaller; a deeper store is treated as data.
const stackSpan = 32 << 10

// maxNovelty bounds the (address, value) pairs remembered. When full the set is emptied, so
// memory stays bounded; a spinning guest writes only a handful of pairs and refills it at
// once (one progress step per pair, then silence again).
const maxNovelty = 1 << 18

// windowCounters is what a thread did since the last progress step, for the report. gen
// is the progress generation the counters belong to: stale counters are reset lazily.
type windowCounters struct {
	gen                       uint64
	steps                     uint64
	forcedPreemptions, yields uint64
	futexWaits, futexEAGAIN   uint64
	futexWakes, scFailures    uint64
	stores, syscalls          uint64
	minPC, maxPC              uint64
}

type livelockDetector struct {
	window       uint64
	lastProgress uint64 // step counter after the last progress step (or the start)
	longestGap   uint64 // the longest run of steps without progress that ended in progress
	started      bool
	gen          uint64
	seen         pairSet
}

// SetLivelockWindow makes Run stop with a *LivelockError when window consecutive steps make
// no progress (see the definition at the top of livelock.go); 0 turns detection off.
func (v *VM) SetLivelockWindow(window uint64) {
	if window == 0 {
		if v.obs != nil {
			v.obs.live = nil
			if !v.obs.stats {
				v.obs = nil
			}
		}
		return
	}
	v.observer().live = &livelockDetector{window: window}
}

// start begins the first window at the first observed step. Later Run calls continue the
// window: a caller running in slices (vm run --info-every) must not reset it.
func (d *livelockDetector) start(step uint64) {
	if d.started {
		return
	}
	d.started = true
	d.lastProgress = step
	d.gen++
}

// observe decides whether the step made progress and, when the window is over, stops the run.
func (d *livelockDetector) observe(v *VM, w *stepView, ev *stepEvents) error {
	s := v.state
	if d.progressed(v, w, ev) {
		d.longestGap = max(d.longestGap, s.Step-1-d.lastProgress)
		d.lastProgress = s.Step
		d.gen++
		return nil
	}
	c := &w.t.window
	if c.gen != d.gen {
		*c = windowCounters{gen: d.gen, minPC: w.pc, maxPC: w.pc}
	}
	c.steps++
	c.minPC, c.maxPC = min(c.minPC, w.pc), max(c.maxPC, w.pc)
	switch {
	case ev.forcedPreempt:
		c.forcedPreemptions++
	case ev.yield:
		c.yields++
	case ev.futexWait:
		c.futexWaits++
	case ev.futexEAGAIN:
		c.futexEAGAIN++
	case ev.futexWake:
		c.futexWakes++
	case ev.scFailed:
		c.scFailures++
	case ev.stored:
		c.stores++
	case ev.syscall:
		c.syscalls++
	}
	if s.Step-d.lastProgress >= d.window {
		return &LivelockError{Report: d.report(v)}
	}
	return nil
}

func (d *livelockDetector) progressed(v *VM, w *stepView, ev *stepEvents) bool {
	s := v.state
	switch {
	case ev.pop || ev.forcedPreempt:
		return false
	case s.Exited, w.thr.Exited, s.NextThreadID != w.nextTID, s.Heap != w.heap, ev.output,
		s.PreimageOffset != w.preimageOffset:
		return true
	case !ev.storeChanged:
		return false
	case w.addr >= w.sp && w.addr-w.sp < stackSpan:
		return false
	}
	if !d.seen.add(w.addr, s.Memory.GetWord(w.addr)) {
		return false
	}
	// The value the store replaced counts as held too, so flipping back to it is no news.
	d.seen.add(w.addr, w.old)
	return true
}

// pairSet is the set of (8-aligned address, value) pairs of the novelty rule: open
// addressing with linear probing, much cheaper than a Go map on this path. A slot holds
// addr|1, so 0 marks an empty slot.
type pairSet struct {
	slots [][2]uint64
	n     int
}

const pairSetMinSlots = 1 << 12

// add inserts the pair and reports whether it was new. A new pair beyond maxNovelty starts
// the set over, holding only that pair.
func (p *pairSet) add(addr, val uint64) bool {
	if p.slots == nil {
		p.slots = make([][2]uint64, pairSetMinSlots)
	}
	key := addr | 1
	i, found := p.find(key, val)
	if found {
		return false
	}
	if 2*(p.n+1) > len(p.slots) {
		if p.n >= maxNovelty {
			clear(p.slots)
			p.n = 0
		} else {
			p.grow()
		}
		i, _ = p.find(key, val)
	}
	p.slots[i] = [2]uint64{key, val}
	p.n++
	return true
}

// find returns the slot holding the pair, or the empty slot where it would go.
func (p *pairSet) find(key, val uint64) (int, bool) {
	mask := uint64(len(p.slots) - 1)
	for i := (key*0x9E3779B97F4A7C15 ^ val) * 0xBF58476D1CE4E5B9 >> 20 & mask; ; i = (i + 1) & mask {
		switch s := p.slots[i]; {
		case s[0] == 0:
			return int(i), false
		case s[0] == key && s[1] == val:
			return int(i), true
		}
	}
}

func (p *pairSet) insert(key, val uint64) {
	if i, found := p.find(key, val); !found {
		p.slots[i] = [2]uint64{key, val}
	}
}

func (p *pairSet) grow() {
	old := p.slots
	p.slots = make([][2]uint64, 2*len(old))
	for _, s := range old {
		if s[0] != 0 {
			p.insert(s[0], s[1])
		}
	}
}

// LivelockReport describes a run stopped by the livelock detector.
type LivelockReport struct {
	Window           uint64                `json:"window"`
	LastProgressStep uint64                `json:"last_progress_step"` // 0: none since the start
	StoppedAtStep    uint64                `json:"stopped_at_step"`
	Threads          []LivelockThreadStats `json:"threads"` // threads that ran in the window
}

// LivelockThreadStats is what one thread did during the window without progress.
type LivelockThreadStats struct {
	ThreadID          uint64 `json:"thread_id"`
	Steps             uint64 `json:"steps"`
	ForcedPreemptions uint64 `json:"forced_preemptions"`
	Yields            uint64 `json:"yields"`
	FutexWaits        uint64 `json:"futex_waits"`
	FutexWaitsEAGAIN  uint64 `json:"futex_waits_eagain"`
	FutexWakes        uint64 `json:"futex_wakes"`
	SCFailures        uint64 `json:"sc_failures"`
	StoresNoProgress  uint64 `json:"stores_without_progress"`
	OtherSyscalls     uint64 `json:"other_syscalls"`
	MinPC             string `json:"min_pc"`
	MaxPC             string `json:"max_pc"`
	// MinSymbol and MaxSymbol name MinPC and MaxPC when the caller knows the ELF's symbols
	// (the VM does not read symbol tables).
	MinSymbol string `json:"min_symbol,omitempty"`
	MaxSymbol string `json:"max_symbol,omitempty"`
}

func (d *livelockDetector) report(v *VM) *LivelockReport {
	r := &LivelockReport{Window: d.window, LastProgressStep: d.lastProgress, StoppedAtStep: v.state.Step}
	for _, t := range v.obs.threads {
		c := t.window
		if c.gen != d.gen || c.steps == 0 {
			continue
		}
		r.Threads = append(r.Threads, LivelockThreadStats{
			ThreadID: t.ThreadID, Steps: c.steps, ForcedPreemptions: c.forcedPreemptions,
			Yields: c.yields, FutexWaits: c.futexWaits, FutexWaitsEAGAIN: c.futexEAGAIN,
			FutexWakes: c.futexWakes, SCFailures: c.scFailures, StoresNoProgress: c.stores,
			OtherSyscalls: c.syscalls,
			MinPC:         fmt.Sprintf("0x%x", c.minPC), MaxPC: fmt.Sprintf("0x%x", c.maxPC),
		})
	}
	sort.Slice(r.Threads, func(i, j int) bool { return r.Threads[i].ThreadID < r.Threads[j].ThreadID })
	return r
}

// String renders the report for a terminal, one line per thread.
func (r *LivelockReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no progress for %d steps (last progress at step %d, stopped at step %d)\n",
		r.Window, r.LastProgressStep, r.StoppedAtStep)
	for _, t := range r.Threads {
		fmt.Fprintf(&b, "  thread %d: %d steps, pc 0x%s..%s, %d forced preemptions, %d yields, "+
			"futex %d waits / %d EAGAIN / %d wakes, %d failed SCs, %d stores without progress, %d other syscalls\n",
			t.ThreadID, t.Steps, strings.TrimPrefix(t.MinPC, "0x"), t.MaxPC, t.ForcedPreemptions, t.Yields,
			t.FutexWaits, t.FutexWaitsEAGAIN, t.FutexWakes, t.SCFailures, t.StoresNoProgress, t.OtherSyscalls)
		if t.MinSymbol != "" || t.MaxSymbol != "" {
			fmt.Fprintf(&b, "    pc range %s .. %s\n", orQuestion(t.MinSymbol), orQuestion(t.MaxSymbol))
		}
	}
	return b.String()
}

func orQuestion(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

// LivelockError stops Run when the detector fires. The state is intact: the run may go on.
type LivelockError struct {
	Report *LivelockReport
}

func (e *LivelockError) Error() string {
	return fmt.Sprintf("livelock: no thread made progress for %d steps (last progress at step %d)",
		e.Report.Window, e.Report.LastProgressStep)
}
