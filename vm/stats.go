package vm

import (
	"fmt"
	"sort"
)

// Concurrency statistics and livelock detection watch a run from outside the step function:
// before each step the observer decodes what the active thread is about to do, after it
// compares the state. Nothing inside the step function changes, so an observed run executes
// exactly the same steps as an unobserved one (determinism_test.go checks the state hashes),
// and Run without observation keeps its hot loop untouched: the only cost is one nil check
// per Run call.

// Counters are the concurrency events of one thread, or of all threads in Stats.Total.
type Counters struct {
	Steps uint64 `json:"steps"` // steps in which the thread was active, pop and preemption steps included

	ForcedPreemptions    uint64 `json:"forced_preemptions"`    // quantum of SchedQuantum steps used up
	VoluntaryPreemptions uint64 `json:"voluntary_preemptions"` // Yields + FutexWaits + FutexWakes
	Yields               uint64 `json:"yields"`                // sched_yield and nanosleep
	FutexWaits           uint64 `json:"futex_waits"`           // value matched: the thread yielded
	FutexWaitsEAGAIN     uint64 `json:"futex_waits_eagain"`    // value differed: EAGAIN, no yield
	FutexWakes           uint64 `json:"futex_wakes"`           // always yields; nobody is woken

	LoadLinked               uint64        `json:"load_linked"` // LL and LLD
	SCSuccesses              uint64        `json:"sc_successes"`
	SCFailures               uint64        `json:"sc_failures"`
	LongestLLToSC            uint64        `json:"longest_ll_to_sc_steps"` // global steps from an LL to the thread's successful SC
	ThreadsCreated           uint64        `json:"threads_created"`        // successful clones made by this thread
	ReservationInvalidations Invalidations `json:"reservation_invalidations"`
}

// Invalidations counts how an LL reservation ended other than by its owner's successful SC,
// attributed to the thread whose step ended it.
type Invalidations struct {
	StoreBySameThread  uint64 `json:"store_same_thread"`  // the owner stored to the reserved word
	StoreByOtherThread uint64 `json:"store_other_thread"` // another thread stored to it
	SyscallWrite       uint64 `json:"syscall_write"`      // read(fd 5), clock_gettime, getrandom
	TakenOver          uint64 `json:"ll_takeover"`        // another thread's LL replaced it
}

// ThreadStats are the counters of one thread.
type ThreadStats struct {
	ThreadID uint64 `json:"thread_id"`
	Exited   bool   `json:"exited"` // by exit(2), seen during the observed run
	Counters
}

// Stats is a snapshot of what an observed run saw since EnableStats.
type Stats struct {
	Steps          uint64 `json:"steps"` // steps observed
	ThreadsCreated uint64 `json:"threads_created"`
	ThreadsExited  uint64 `json:"threads_exited"`
	Pages          int    `json:"pages"` // memory pages in use at the end (pages are never freed)
	// LongestWithoutProgress is the longest run of steps without progress that progress
	// ended (livelock.go), when the livelock detector is on.
	LongestWithoutProgress uint64         `json:"longest_without_progress_steps,omitempty"`
	Total                  Counters       `json:"total"`
	Threads                []*ThreadStats `json:"threads"` // by thread id
}

// threadObs is the observer's per-thread record.
type threadObs struct {
	ThreadStats
	llStep  uint64 // global step of the thread's last LL
	llValid bool
	window  windowCounters // since the last progress (livelock.go)
}

// observer is attached to a VM by EnableStats or SetLivelockWindow.
type observer struct {
	stats    bool
	observed uint64
	threads  map[uint64]*threadObs
	last     *threadObs // the record of the last thread looked up

	live *livelockDetector
}

// stepView is what the observer records before a step.
type stepView struct {
	t   *threadObs
	thr *Thread

	sched   uint8 // schedPop, schedPreempt or schedInsn
	insn    uint32
	sysNum  uint64
	a0, a1  uint64
	pc, sp  uint64
	isStore bool
	addr    uint64 // aligned word a store instruction writes
	old     uint64

	llStatus        uint8
	llOwner, llAddr uint64
	nextTID         uint64
	heap            uint64
	preimageOffset  uint64
}

const (
	schedInsn = iota
	schedPop
	schedPreempt
)

// Opcodes the observer decodes (docs/spec.md §5.2 "Primary opcodes", §6 "LL/SC reservation").
const (
	opcodeLL  = 0x30
	opcodeLLD = 0x34
	opcodeSC  = 0x38
	opcodeSCD = 0x3C
)

// isStoreOpcode reports whether the primary opcode writes memory when it executes (SC and
// SCD only when they succeed).
func isStoreOpcode(op uint32) bool {
	switch op {
	case 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x3F, opcodeSC, opcodeSCD:
		return true
	}
	return false
}

func (v *VM) observer() *observer {
	if v.obs == nil {
		v.obs = &observer{threads: make(map[uint64]*threadObs)}
	}
	return v.obs
}

// EnableStats starts collecting concurrency statistics in Run (not in Step). Observed runs
// are slower than plain ones; the steps they execute are the same.
func (v *VM) EnableStats() { v.observer().stats = true }

// Stats returns a snapshot of the statistics, or nil when EnableStats was not called.
func (v *VM) Stats() *Stats {
	o := v.obs
	if o == nil || !o.stats {
		return nil
	}
	st := &Stats{Steps: o.observed, Pages: v.state.Memory.PageCount()}
	if o.live != nil {
		st.LongestWithoutProgress = o.live.longestGap
	}
	for _, t := range o.threads {
		ts := t.ThreadStats
		st.Threads = append(st.Threads, &ts)
		st.Total.add(&ts.Counters)
		st.ThreadsCreated += ts.ThreadsCreated
		if ts.Exited {
			st.ThreadsExited++
		}
	}
	sort.Slice(st.Threads, func(i, j int) bool { return st.Threads[i].ThreadID < st.Threads[j].ThreadID })
	return st
}

func (c *Counters) add(o *Counters) {
	c.Steps += o.Steps
	c.ForcedPreemptions += o.ForcedPreemptions
	c.VoluntaryPreemptions += o.VoluntaryPreemptions
	c.Yields += o.Yields
	c.FutexWaits += o.FutexWaits
	c.FutexWaitsEAGAIN += o.FutexWaitsEAGAIN
	c.FutexWakes += o.FutexWakes
	c.LoadLinked += o.LoadLinked
	c.SCSuccesses += o.SCSuccesses
	c.SCFailures += o.SCFailures
	c.LongestLLToSC = max(c.LongestLLToSC, o.LongestLLToSC)
	c.ThreadsCreated += o.ThreadsCreated
	c.ReservationInvalidations.StoreBySameThread += o.ReservationInvalidations.StoreBySameThread
	c.ReservationInvalidations.StoreByOtherThread += o.ReservationInvalidations.StoreByOtherThread
	c.ReservationInvalidations.SyscallWrite += o.ReservationInvalidations.SyscallWrite
	c.ReservationInvalidations.TakenOver += o.ReservationInvalidations.TakenOver
}

func (o *observer) thread(id uint64) *threadObs {
	if o.last != nil && o.last.ThreadID == id {
		return o.last
	}
	t := o.threads[id]
	if t == nil {
		t = &threadObs{ThreadStats: ThreadStats{ThreadID: id}}
		o.threads[id] = t
	}
	o.last = t
	return t
}

// runObserved is Run with the observer watching every step.
func (v *VM) runObserved(maxSteps uint64) (res RunResult, err error) {
	s := v.state
	o := v.obs
	defer func() {
		if r := recover(); r != nil {
			err = v.fault(FaultInternal, 0, fmt.Sprint(r))
		}
		res.Exited, res.ExitCode = s.Exited, s.ExitCode
	}()
	v.proofing = false
	if o.live != nil {
		o.live.start(s.Step)
	}
	var view stepView
	for res.Steps < maxSteps && !s.Exited {
		v.preStep = s.Step
		thr := s.ActiveThread()
		if thr != nil {
			o.before(v, thr, &view)
		}
		if err := v.step(); err != nil {
			return res, err
		}
		res.Steps++
		if thr != nil {
			if err := o.after(v, &view); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// before records the pre-state parts the step may change and decodes the instruction.
func (o *observer) before(v *VM, thr *Thread, w *stepView) {
	s := v.state
	w.t, w.thr, w.pc, w.sp = o.thread(thr.ThreadID), thr, thr.PC, thr.Registers[regSP]
	w.llStatus, w.llOwner, w.llAddr = s.LLReservationStatus, s.LLOwnerThread, s.LLAddress
	w.nextTID, w.heap, w.preimageOffset = s.NextThreadID, s.Heap, s.PreimageOffset
	w.sched, w.insn, w.sysNum, w.isStore = schedInsn, 0, 0, false
	switch {
	case thr.Exited:
		w.sched = schedPop
		return
	case s.StepsSinceLastContextSwitch >= SchedQuantum:
		w.sched = schedPreempt
		return
	}
	if thr.PC&3 != 0 {
		return // the step faults
	}
	word := s.Memory.GetWord(thr.PC &^ 7)
	w.insn = uint32(word >> 32)
	if thr.PC&4 != 0 {
		w.insn = uint32(word)
	}
	i := inst(w.insn)
	if i.op() == 0 && i.funct() == 0x0C {
		r := &thr.Registers
		w.sysNum, w.a0, w.a1 = r[regV0], r[regA0], r[regA1]
		return
	}
	if isStoreOpcode(i.op()) {
		w.isStore = true
		w.addr = effectiveAddr(thr, i) &^ 7
		w.old = s.Memory.GetWord(w.addr)
	}
}

// after classifies the step from the view and the post-state.
func (o *observer) after(v *VM, w *stepView) error {
	t := w.t
	o.observed++
	t.Steps++
	ev := stepEvents{}
	switch w.sched {
	case schedPop:
		ev.pop = true
	case schedPreempt:
		t.ForcedPreemptions++
		ev.forcedPreempt = true
	default:
		o.classify(v, w, &ev)
	}
	if o.live != nil {
		return o.live.observe(v, w, &ev)
	}
	return nil
}

// stepEvents is what one step did, for the livelock detector.
type stepEvents struct {
	pop, forcedPreempt, yield bool
	futexWait, futexEAGAIN    bool
	futexWake                 bool
	scFailed                  bool
	stored, storeChanged      bool
	syscall                   bool
	output                    bool // write to fd 1, 2 or 4, or pre-image traffic on fd 5/6
}

func (o *observer) classify(v *VM, w *stepView, ev *stepEvents) {
	s := v.state
	t := w.t
	thr := w.thr
	op := inst(w.insn).op()
	if s.NextThreadID != w.nextTID {
		t.ThreadsCreated++
		o.thread(s.NextThreadID - 1) // the child exists from now on, even before its first step
		o.last = t
	}
	if thr.Exited {
		t.Exited = true
	}
	reservationEnded := w.llStatus != llStatusNone &&
		(s.LLReservationStatus == llStatusNone || s.LLOwnerThread != w.llOwner || s.LLAddress != w.llAddr)
	switch {
	case inst(w.insn).op() == 0 && inst(w.insn).funct() == 0x0C:
		ev.syscall = true
		o.classifySyscall(v, w, ev)
		if reservationEnded {
			t.ReservationInvalidations.SyscallWrite++
		}
	case op == opcodeLL || op == opcodeLLD:
		t.LoadLinked++
		t.llStep, t.llValid = s.Step, true
		if reservationEnded && w.llOwner != thr.ThreadID {
			t.ReservationInvalidations.TakenOver++
		}
	case op == opcodeSC || op == opcodeSCD:
		// A failed SC leaves the reservation untouched; a successful one clears it.
		want := uint8(llStatus32bit)
		if op == opcodeSCD {
			want = llStatus64bit
		}
		if w.llStatus == want && w.llOwner == thr.ThreadID && s.LLReservationStatus == llStatusNone {
			t.SCSuccesses++
			if t.llValid {
				t.LongestLLToSC = max(t.LongestLLToSC, s.Step-t.llStep)
			}
			t.llValid = false
			ev.stored = true
			ev.storeChanged = s.Memory.GetWord(w.addr) != w.old
		} else {
			t.SCFailures++
			ev.scFailed = true
		}
	case w.isStore:
		ev.stored = true
		ev.storeChanged = s.Memory.GetWord(w.addr) != w.old
		if reservationEnded {
			if w.llOwner == thr.ThreadID {
				t.ReservationInvalidations.StoreBySameThread++
			} else {
				t.ReservationInvalidations.StoreByOtherThread++
			}
		}
	}
}

func (o *observer) classifySyscall(v *VM, w *stepView, ev *stepEvents) {
	t := w.t
	failed := w.thr.Registers[regA3] == sysErrorSignal
	switch w.sysNum {
	case sysSchedYield, sysNanosleep:
		t.Yields++
		t.VoluntaryPreemptions++
		ev.yield = true
	case sysFutex:
		switch w.a1 {
		case futexWaitPrivate:
			if failed {
				t.FutexWaitsEAGAIN++
				ev.futexEAGAIN = true
			} else {
				t.FutexWaits++
				t.VoluntaryPreemptions++
				ev.futexWait = true
			}
		case futexWakePrivate:
			t.FutexWakes++
			t.VoluntaryPreemptions++
			ev.futexWake = true
		}
	case sysWrite:
		switch w.a0 {
		case fdStdout, fdStderr, fdHintWrite, fdPreimageWrite:
			ev.output = true
		}
	case sysRead:
		ev.output = w.a0 == fdPreimageRead
	}
}
