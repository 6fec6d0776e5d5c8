package check

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/fpvmdiff/fpvmdiff/mips64"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// Lockstep runs two Go VMs side by side on one program. Every step it compares what both
// expose cheaply (View, and the memory word a store or a buffer-writing syscall wrote); every
// CheckpointEvery steps and at the end it compares the full 188-byte states (memory root and
// thread-stack roots included), whose status-tagged keccak256 is the state hash. When only a
// checkpoint disagrees, it re-runs both VMs from the last agreeing checkpoint to find the
// first differing step.

// DefaultCheckpointEvery is the state hash period when LockstepConfig leaves it 0.
const DefaultCheckpointEvery = 1_000_000

// narrowStride is the largest interval the last narrowing pass steps through one step at a
// time; a longer interval is first cut to about its square root with hash checkpoints.
const narrowStride = 4096

// LockstepConfig says what to run and how.
type LockstepConfig struct {
	ELF       []byte
	Preimages *fpvm.PreimageMap // nil: no pre-images
	A, B      Open
	// NameA and NameB name the two VMs in reports ("ours", "production").
	NameA, NameB string
	// Compare the steps whose pre-state counter is in [From, To); To 0 runs to the end.
	// Both VMs are fast-forwarded to From with Run, their states compared there.
	From, To uint64
	// CheckpointEvery is the full-state comparison period in steps (0: DefaultCheckpointEvery).
	CheckpointEvery uint64
	// Stdout and Stderr receive VM A's guest output (nil: discarded); B's is discarded.
	Stdout, Stderr io.Writer
	// Progress, when set, is called at every checkpoint with the step counter reached.
	Progress func(step uint64)
}

// LockstepResult is the outcome of a lockstep run.
type LockstepResult struct {
	From        uint64 // step counter where the comparison started
	End         uint64 // step counter where it stopped (the divergence's post-state, when found)
	Steps       uint64 // steps compared field by field
	Checkpoints int    // full-state comparisons that agreed
	Exited      bool
	ExitCode    uint8
	// Fault is set when both VMs faulted at the same step with the same kind; it is the
	// message of VM A.
	Fault     string
	FinalHash [32]byte // state hash where the comparison stopped (A's when they diverged)
	// Divergence is nil when the two VMs agreed on every comparison.
	Divergence *LockstepDivergence
}

// LockstepDivergence is the first step after which the two VMs differ.
type LockstepDivergence struct {
	// Step is the pre-state counter of the first differing step: both VMs agreed on the
	// state with that counter, and differ after executing it. For a difference right after
	// loading, Step is 0 and Found is "load".
	Step uint64
	// Found says how: "step" (a per-step field), "checkpoint" (only the full state differed;
	// the step was found by re-running from the last agreeing checkpoint) or "load".
	Found  string
	Fields []LockstepField
	// PreState is the 188-byte state both agreed on before the step (nil for "load").
	PreState []byte
	// StateA/StateB are both 188-byte states after the step; ThreadA/ThreadB are the threads
	// each VM ran in it, packed (298 bytes) as they are after it (nil when none ran).
	StateA, StateB   []byte
	ThreadA, ThreadB []byte
}

// LockstepField is one field on which the two VMs disagree.
type LockstepField struct {
	Field string `json:"field"`
	A     string `json:"a"`
	B     string `json:"b"`
}

func (f LockstepField) String() string { return fmt.Sprintf("%s: %s vs %s", f.Field, f.A, f.B) }

// Lockstep compares cfg.A and cfg.B step by step. An error means the comparison could not be
// made (bad ELF, a range past the end, a VM that did not advance); a difference between the
// VMs is a result with Divergence set, not an error.
func Lockstep(cfg LockstepConfig) (*LockstepResult, error) {
	if cfg.A == nil || cfg.B == nil {
		return nil, errors.New("lockstep: two VMs are needed")
	}
	if cfg.NameA == "" {
		cfg.NameA = "A"
	}
	if cfg.NameB == "" {
		cfg.NameB = "B"
	}
	if cfg.CheckpointEvery == 0 {
		cfg.CheckpointEvery = DefaultCheckpointEvery
	}
	if cfg.To != 0 && cfg.To <= cfg.From {
		return nil, fmt.Errorf("lockstep: empty range %d:%d", cfg.From, cfg.To)
	}
	p, err := openPair(cfg, cfg.Stdout, cfg.Stderr)
	if err != nil {
		return nil, err
	}
	res := &LockstepResult{From: cfg.From}
	// The loaders are part of what is compared: the states right after loading must agree.
	if d, _ := p.compareStates(); d != nil {
		d.Found = "load"
		res.Divergence = d
		res.FinalHash = fpvm.StateHash(d.StateA)
		return res, nil
	}
	if cfg.From > 0 {
		differ, err := p.forward(cfg.From)
		if err != nil {
			return nil, fmt.Errorf("lockstep: fast-forwarding to step %d: %w", cfg.From, err)
		}
		if differ {
			return finishNarrowed(cfg, res, 0, cfg.From)
		}
		if d, _ := p.compareStates(); d != nil {
			return finishNarrowed(cfg, res, 0, cfg.From)
		}
	}
	res.Checkpoints = 1
	narrow, err := p.compare(cfg, res, math.MaxUint64)
	if err != nil {
		return nil, err
	}
	if narrow != nil {
		return finishNarrowed(cfg, res, narrow[0], narrow[1])
	}
	return withPreState(cfg, res)
}

// withPreState records in a divergence the packed state both VMs agreed on before the
// differing step, by re-running VM A to it: the comparison loop does not pack every state.
func withPreState(cfg LockstepConfig, res *LockstepResult) (*LockstepResult, error) {
	d := res.Divergence
	if d == nil || d.Found == "load" {
		return res, nil
	}
	a, err := cfg.A(cfg.ELF, cfg.Preimages, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("lockstep: %s: %w", cfg.NameA, err)
	}
	if d.Step > 0 {
		if _, err := a.Run(d.Step); err != nil {
			return nil, fmt.Errorf("lockstep: re-running %s to step %d: %w", cfg.NameA, d.Step, err)
		}
	}
	d.PreState = a.EncodeState()
	return res, nil
}

// finishNarrowed finds the first differing step in (lo, hi], given that the states at step
// counters lo and hi agree and differ, and completes res with it.
func finishNarrowed(cfg LockstepConfig, res *LockstepResult, lo, hi uint64) (*LockstepResult, error) {
	for hi-lo > narrowStride {
		stride := uint64(math.Ceil(math.Sqrt(float64(hi - lo))))
		p, err := openPair(cfg, nil, nil)
		if err != nil {
			return nil, err
		}
		if err := p.forwardAgreeing(lo); err != nil {
			return nil, err
		}
		newLo, newHi, found := lo, hi, false
		for k := lo; k < hi && !found; {
			next := min(k+stride, hi)
			differ, err := p.forward(next)
			if err != nil {
				return nil, fmt.Errorf("lockstep: re-running to step %d: %w", next, err)
			}
			if !differ {
				d, _ := p.compareStates()
				differ = d != nil
			}
			if differ {
				newLo, newHi, found = k, next, true
			}
			k = next
		}
		if !found {
			return nil, fmt.Errorf("lockstep: the states at step %d differed, but not when re-run (a VM is not deterministic)", hi)
		}
		lo, hi = newLo, newHi
	}
	// The last pass compares every step, and the full state after each one.
	p, err := openPair(cfg, nil, nil)
	if err != nil {
		return nil, err
	}
	if err := p.forwardAgreeing(lo); err != nil {
		return nil, err
	}
	cfg.CheckpointEvery = 1
	sub := &LockstepResult{}
	if _, err := p.compare(cfg, sub, hi); err != nil {
		return nil, err
	}
	if sub.Divergence == nil {
		return nil, fmt.Errorf("lockstep: the states at step %d differed, but not when re-run step by step (a VM is not deterministic)", hi)
	}
	sub.Divergence.Found = "checkpoint"
	res.Divergence, res.End, res.FinalHash = sub.Divergence, sub.End, sub.FinalHash
	return withPreState(cfg, res)
}

// pair is the two VMs under comparison.
type pair struct {
	a, b         VM
	nameA, nameB string
}

func openPair(cfg LockstepConfig, stdout, stderr io.Writer) (*pair, error) {
	a, err := cfg.A(cfg.ELF, cfg.Preimages, stdout, stderr)
	if err != nil {
		return nil, fmt.Errorf("lockstep: %s: %w", cfg.NameA, err)
	}
	b, err := cfg.B(cfg.ELF, cfg.Preimages, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("lockstep: %s: %w", cfg.NameB, err)
	}
	return &pair{a: a, b: b, nameA: cfg.NameA, nameB: cfg.NameB}, nil
}

// forward runs both VMs without comparing until their step counters reach target. It
// reports differ when the two stop at different steps or only one faults: that is a
// divergence before target, for the caller to narrow down. Both stopping at the same step
// short of target (exit, or the same fault) is an error naming where.
func (p *pair) forward(target uint64) (differ bool, err error) {
	stepA, errA := runTo(p.a, target)
	stepB, errB := runTo(p.b, target)
	if stepA != stepB || (errA == nil) != (errB == nil) {
		return true, nil
	}
	if errA != nil {
		return false, fmt.Errorf("both VMs fail at step %d: %s: %w", stepA, p.nameA, errA)
	}
	if stepA != target {
		var v View
		p.a.View(&v)
		return false, fmt.Errorf("both VMs stop at step %d (exit code %d): step %d is past the end of the program", stepA, v.ExitCode, target)
	}
	return false, nil
}

// forwardAgreeing re-runs both VMs to lo, a step on which they agreed before.
func (p *pair) forwardAgreeing(lo uint64) error {
	differ, err := p.forward(lo)
	if err == nil && differ {
		err = errors.New("they differ now (a VM is not deterministic)")
	}
	if err != nil {
		return fmt.Errorf("lockstep: re-running to step %d: %w", lo, err)
	}
	return nil
}

// runTo runs v until its step counter reaches target (or it stops) and returns the counter.
func runTo(v VM, target uint64) (uint64, error) {
	var view View
	v.View(&view)
	if view.Step < target {
		if _, err := v.Run(target - view.Step); err != nil {
			return view.Step, err
		}
		v.View(&view)
	}
	return view.Step, nil
}

// compareStates compares the full states of both VMs; nil when they agree. stateA is A's
// packed state. A difference also records the threads the last steps ran.
func (p *pair) compareStates() (d *LockstepDivergence, stateA []byte) {
	sa, sb := p.a.EncodeState(), p.b.EncodeState()
	if bytes.Equal(sa, sb) {
		return nil, sa
	}
	ta, tb := p.a.EncodeSteppedThread(), p.b.EncodeSteppedThread()
	d = &LockstepDivergence{StateA: sa, StateB: sb, ThreadA: ta, ThreadB: tb}
	d.Fields = append(diffPacked(stateFields, "", sa, sb), diffPacked(threadFields, "thread.", ta, tb)...)
	return d, sa
}

// compare steps both VMs while the pre-state counter is below stop and cfg.To, until they
// exit, fault or differ, and fills res. When a full-state comparison fails while every
// per-step field agreed, it returns the step counters of the last agreeing checkpoint and
// of the failing one, for the caller to narrow down.
func (p *pair) compare(cfg LockstepConfig, res *LockstepResult, stop uint64) (narrow *[2]uint64, err error) {
	if cfg.To != 0 {
		stop = min(stop, cfg.To)
	}
	// Two views of A alternate as pre-state and post-state, so no view is copied per step.
	var bufA [2]View
	var vb View
	va, pre := &bufA[0], &bufA[1]
	p.a.View(va)
	p.b.View(&vb)
	res.From = va.Step
	lastGood := va.Step
	for va.Step < stop && !(va.Exited && vb.Exited) {
		va, pre = pre, va
		watch, nwatch := writtenWords(pre)
		_, errA := p.a.Step(false)
		_, errB := p.b.Step(false)
		if errA != nil || errB != nil {
			// A VM's state after a failed step is undefined: nothing more is compared.
			res.End = pre.Step
			if d := p.faultDiff(errA, errB, pre); d != nil {
				res.Divergence = d
				return nil, nil
			}
			res.Fault = errA.Error()
			return nil, nil
		}
		res.Steps++
		p.a.View(va)
		p.b.View(&vb)
		if va.Step == pre.Step && !va.Exited {
			return nil, fmt.Errorf("lockstep: %s did not advance at step %d", p.nameA, pre.Step)
		}
		diff := *va != vb
		for i := 0; i < nwatch && !diff; i++ {
			diff = p.a.ReadWord(watch[i]) != p.b.ReadWord(watch[i])
		}
		if diff {
			res.Divergence, res.End = p.stepDiff(pre, va, &vb, watch[:nwatch]), va.Step
			res.FinalHash = fpvm.StateHash(res.Divergence.StateA)
			return nil, nil
		}
		last := va.Step >= stop || va.Exited
		if !last && (va.Step-res.From)%cfg.CheckpointEvery != 0 {
			continue
		}
		d, sa := p.compareStates()
		if d != nil {
			res.End = va.Step
			if lastGood != pre.Step {
				// Only what View does not show differs (memory outside the watched words,
				// another thread): narrow down from the last agreeing checkpoint.
				return &[2]uint64{lastGood, va.Step}, nil
			}
			d.Step, d.Found = pre.Step, "checkpoint"
			res.Divergence, res.FinalHash = d, fpvm.StateHash(d.StateA)
			return nil, nil
		}
		lastGood = va.Step
		res.Checkpoints++
		res.Exited, res.ExitCode, res.FinalHash = va.Exited, va.ExitCode, fpvm.StateHash(sa)
		if cfg.Progress != nil {
			cfg.Progress(va.Step)
		}
	}
	res.End = va.Step
	if res.Steps == 0 { // nothing to run: the caller compared these states already
		res.Exited, res.ExitCode, res.FinalHash = va.Exited, va.ExitCode, fpvm.StateHash(p.a.EncodeState())
	}
	return nil, nil
}

// faultDiff compares the outcomes of a step on which at least one VM failed; nil when both
// failed alike (same fault kind).
func (p *pair) faultDiff(errA, errB error, pre *View) *LockstepDivergence {
	ka, kb := faultName(errA), faultName(errB)
	if errA != nil && errB != nil && ka == kb {
		return nil
	}
	d := &LockstepDivergence{Step: pre.Step, Found: "step"}
	d.Fields = []LockstepField{{Field: "fault", A: ka, B: kb}}
	if errA != nil {
		d.Fields[0].A = ka + " (" + errA.Error() + ")"
	}
	if errB != nil {
		d.Fields[0].B = kb + " (" + errB.Error() + ")"
	}
	// After a failed step a VM's state is undefined; both states are still recorded.
	d.StateA, d.StateB = p.a.EncodeState(), p.b.EncodeState()
	d.ThreadA, d.ThreadB = p.a.EncodeSteppedThread(), p.b.EncodeSteppedThread()
	return d
}

func faultName(err error) string {
	if err == nil {
		return "no fault"
	}
	var f *fpvm.Fault
	if errors.As(err, &f) {
		return string(f.Kind)
	}
	return "error"
}

// stepDiff describes a step after which the views or a watched word differ.
func (p *pair) stepDiff(pre, va, vb *View, watch []uint64) *LockstepDivergence {
	d := &LockstepDivergence{Step: pre.Step, Found: "step"}
	d.Fields = diffViews(va, vb)
	for _, addr := range watch {
		if a, b := p.a.ReadWord(addr), p.b.ReadWord(addr); a != b {
			d.Fields = append(d.Fields, LockstepField{Field: fmt.Sprintf("mem[0x%x]", addr), A: hex64(a), B: hex64(b)})
		}
	}
	d.StateA, d.StateB = p.a.EncodeState(), p.b.EncodeState()
	d.ThreadA, d.ThreadB = p.a.EncodeSteppedThread(), p.b.EncodeSteppedThread()
	return d
}

// storeOpcodes are the MIPS64 store opcodes (sb sh swl sw sdl sdr swr sc scd sd): with the
// buffer-writing syscalls, the steps after which lockstep compares a memory word besides View.
var storeOpcodes = [64]bool{0x28: true, 0x29: true, 0x2a: true, 0x2b: true, 0x2c: true, 0x2d: true,
	0x2e: true, 0x38: true, 0x3c: true, 0x3f: true}

// Registers of the syscall calling convention: number in $v0, buffer argument in $a1.
const (
	lsRegV0 = 2
	lsRegA1 = 5
)

// writtenWords returns the aligned addresses of the memory words the step from pre may
// write (at most two). Both VMs agree on pre, so one computation serves both. A step that
// only switches threads writes nothing; comparing the unchanged word is harmless.
func writtenWords(pre *View) (w [2]uint64, n int) {
	if !pre.HasThread || pre.Exited || pre.ThreadExited {
		return w, 0
	}
	insn := pre.Insn
	op := mips64.Opcode(insn)
	if storeOpcodes[op] {
		w[0] = (pre.Regs[mips64.RS(insn)] + uint64(mips64.SImm(insn))) &^ 7
		return w, 1
	}
	if op == 0 && mips64.Funct(insn) == 0x0c { // syscall
		buf := pre.Regs[lsRegA1]
		switch name, _ := mips64.Syscall(pre.Regs[lsRegV0]); name {
		case "read":
			w[0] = buf &^ 7
			return w, 1
		case "clock_gettime": // a timespec: two words
			w[0], w[1] = buf&^7, (buf+8)&^7
			return w, 2
		}
	}
	return w, 0
}

// diffViews lists the View fields on which a and b differ.
func diffViews(a, b *View) []LockstepField {
	var out []LockstepField
	add := func(name string, x, y uint64) {
		if x != y {
			out = append(out, LockstepField{Field: name, A: hex64(x), B: hex64(y)})
		}
	}
	add("step", a.Step, b.Step)
	add("stepsSinceLastContextSwitch", a.StepsSinceLastContextSwitch, b.StepsSinceLastContextSwitch)
	add("exited", b2u(a.Exited), b2u(b.Exited))
	add("exitCode", uint64(a.ExitCode), uint64(b.ExitCode))
	add("heap", a.Heap, b.Heap)
	add("llReservationStatus", uint64(a.LLReservationStatus), uint64(b.LLReservationStatus))
	add("llAddress", a.LLAddress, b.LLAddress)
	add("llOwnerThread", a.LLOwnerThread, b.LLOwnerThread)
	if a.PreimageKey != b.PreimageKey {
		out = append(out, LockstepField{Field: "preimageKey", A: fmt.Sprintf("0x%x", a.PreimageKey), B: fmt.Sprintf("0x%x", b.PreimageKey)})
	}
	add("preimageOffset", a.PreimageOffset, b.PreimageOffset)
	add("threads", uint64(a.Threads), uint64(b.Threads))
	add("hasThread", b2u(a.HasThread), b2u(b.HasThread))
	add("threadID", a.ThreadID, b.ThreadID)
	add("threadExited", b2u(a.ThreadExited), b2u(b.ThreadExited))
	add("pc", a.PC, b.PC)
	add("nextPC", a.NextPC, b.NextPC)
	add("lo", a.LO, b.LO)
	add("hi", a.HI, b.HI)
	for i := range a.Regs {
		add(fmt.Sprintf("regs[%d]", i), a.Regs[i], b.Regs[i])
	}
	add("insn", uint64(a.Insn), uint64(b.Insn))
	return out
}

func hex64(x uint64) string { return fmt.Sprintf("0x%x", x) }

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
