package check

import (
	"sync"
	"sync/atomic"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

// Several witness producers for --check all. One producer builds a witness in ~7-15 µs
// while an EVM worker checks one in ~100-200 µs, so past about ten workers the single
// producer is the ceiling. With several, the range is cut into chunks that producers take in
// order; each producer has its own VM and fast-forwards it without proofs over the chunks
// the others took (tens of millions of steps per second, against tens of thousands checked).
// The first divergence by step number and the counts do not depend on the number of
// producers: every step of the range is checked exactly once, and a run that diverges is
// recounted from the start (recount).
//
// Sampling stays with one producer: whether a step is sampled depends on every step before
// it (a class is checked until it has been checked K times).

// chunks hands out consecutive parts of [first, end) (end 0: until the guest stops).
type chunks struct {
	first, end, size uint64
	next             atomic.Uint64 // index of the next chunk
	stop             atomic.Uint64 // no chunk starts at or after this step (the guest stopped)
	halt             *atomic.Bool  // the run was asked to stop: no chunk is handed out
}

func newChunks(first, end, size uint64) *chunks {
	c := &chunks{first: first, end: end, size: size}
	c.stop.Store(noDivergence)
	return c
}

// take returns the next chunk, or false when the range is handed out or the run was asked
// to stop. The stop is tested before a chunk index is drawn, so that every index drawn is
// produced in full and the steps produced stay one contiguous prefix (resume.go).
func (c *chunks) take() (start, end uint64, ok bool) {
	if c.halt != nil && c.halt.Load() {
		return 0, 0, false
	}
	start = c.first + c.next.Add(1)*c.size - c.size
	end = start + c.size
	if c.end != 0 {
		if start >= c.end {
			return 0, 0, false
		}
		end = min(end, c.end)
	}
	return start, end, start < c.stop.Load()
}

// stopAt records that the guest cannot run past step s (it exited there, or step s-1 failed).
func (c *chunks) stopAt(s uint64) {
	for cur := c.stop.Load(); s < cur && !c.stop.CompareAndSwap(cur, s); cur = c.stop.Load() {
	}
}

// chunkSize is the number of steps a producer takes at once: small enough that the last
// chunks of a range keep every producer busy, large enough that fast-forwarding over the
// chunks of the other producers costs a small fraction of producing one.
var chunkSize uint64 = 1 << 16 // a variable so tests can cut short runs into many chunks

// parallelProducers runs n producers over [first, end) and returns the VM that stepped
// furthest (the one whose state ends the run). v is at step first and becomes producer 0's
// VM; the others open their own. Counts go into res; ran and checked are the live totals
// for progress.
func parallelProducers(cfg RunConfig, res *RunResult, v VM, n int, first, end uint64,
	store evmharness.PreimageStore, jobs chan<- []job, front *frontier, firstDiv *atomic.Uint64, ran, checked *atomic.Uint64) (VM, error) {
	ch := newChunks(first, end, chunkSize)
	ch.halt = cfg.halt
	type outcome struct {
		res  *RunResult
		v    VM
		step uint64
		err  error
	}
	outs := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer front.stopped(i) // also when its VM fails to open
			o := &outs[i]
			o.res = &RunResult{Classes: map[string]*ClassStats{}, PreimageReads: map[string]uint64{}}
			o.v = v
			if i > 0 {
				if o.v, o.err = cfg.Open(cfg.ELF, cfg.Preimages, nil, nil); o.err != nil {
					return
				}
			}
			p := &producer{planner: planner{cfg: cfg, res: o.res}, v: o.v, store: store, jobs: jobs, id: i, frontier: front}
			o.step = p.produceChunks(ch, firstDiv, ran, checked)
			p.flush()
		}(i)
	}
	wg.Wait()
	last := outs[0]
	for _, o := range outs {
		if o.err != nil {
			return nil, o.err
		}
		addCounts(res, o.res)
		if o.step > last.step {
			last = o
		}
	}
	return last.v, nil
}

// produceChunks takes chunks until none is left and checks every step of them. It returns
// the step counter its VM stopped at.
func (p *producer) produceChunks(ch *chunks, firstDiv, ran, checked *atomic.Uint64) uint64 {
	s := &p.view
	for {
		// A divergence found in a later chunk does not end this one: its steps below the
		// divergence must still be checked, or a lower divergence there would be missed and
		// the counts (recounted up to the divergence) would claim steps nobody checked.
		start, end, ok := ch.take()
		if !ok || start >= firstDiv.Load() {
			p.v.View(s)
			return s.Step
		}
		p.v.View(s)
		if start > s.Step {
			n, err := p.v.Run(start - s.Step)
			if err != nil { // the step after the n completed failed: another chunk checks it
				ch.stopAt(s.Step + n + 1)
				p.v.View(s)
				return s.Step
			}
			p.v.View(s)
		}
		for !s.Exited && s.Step < end && s.Step < firstDiv.Load() {
			class, _ := p.plan(s)
			in := p.checkedStep()
			p.dispatch(in, class)
			ran.Add(1)
			checked.Add(1)
			if in.GoErr != nil {
				ch.stopAt(s.Step + 1)
				return s.Step + 1
			}
			p.v.View(s)
		}
		if s.Exited {
			ch.stopAt(s.Step)
			return s.Step
		}
	}
}

// addCounts adds the counts of one producer to res.
func addCounts(res, part *RunResult) {
	res.StepsRun += part.StepsRun
	addClassCounts(res, part)
	if part.GoFault != "" {
		res.GoFault = part.GoFault
	}
}

// addClassCounts adds part's checked steps, per-class counts and pre-image reads to res (a
// producer's share of a run, or a shard of a merge).
func addClassCounts(res, part *RunResult) {
	res.StepsChecked += part.StepsChecked
	for name, c := range part.Classes {
		cs := res.Classes[name]
		if cs == nil {
			cs = &ClassStats{}
			res.Classes[name] = cs
		}
		cs.Run += c.Run
		cs.Checked += c.Checked
	}
	for k, n := range part.PreimageReads {
		res.PreimageReads[k] += n
	}
}
