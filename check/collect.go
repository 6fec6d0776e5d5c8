package check

import (
	"container/heap"
	"math"
	"sync"
)

// Exact gas and tamper totals of a run that diverges.
//
// Workers finish batches out of order, and a worker that finds a divergence at step D cannot
// un-check the steps above D that other workers checked before they heard of it. The run's
// counts are recounted up to D (recount), but gas and forgeries come from the EVM and cannot
// be recomputed. So the collector does not count a result the moment it arrives: it holds it
// until no result still to come can have a lower step (the frontier has passed it), and only
// then knows whether a divergence below it exists. Results above the first divergence are
// never counted, so a diverging run reports the gas of exactly the steps below D, whatever
// the workers' timing and the number of producers.

// frontier is the lowest step that a result still to come may have: the first step of every
// batch that was sent and not yet collected, and for every producer still running, a step at
// or below anything it will send later.
type frontier struct {
	mu          sync.Mutex
	outstanding map[uint64]struct{} // first steps of the batches in flight (each step is checked once)
	positions   []uint64            // per producer; math.MaxUint64 once it has stopped
}

// newFrontier starts n producers at step first.
func newFrontier(n int, first uint64) *frontier {
	f := &frontier{outstanding: map[uint64]struct{}{}, positions: make([]uint64, n)}
	for i := range f.positions {
		f.positions[i] = first
	}
	return f
}

// sent records a batch of producer id that holds steps first..last, before it is handed to
// the workers (so that no moment exists when neither the batch nor the producer covers it).
// A producer's steps only increase, so nothing it sends later is below last+1.
func (f *frontier) sent(id int, first, last uint64) {
	f.mu.Lock()
	f.outstanding[first] = struct{}{}
	f.positions[id] = last + 1
	f.mu.Unlock()
}

// stopped records that producer id sends nothing more.
func (f *frontier) stopped(id int) {
	f.mu.Lock()
	f.positions[id] = math.MaxUint64
	f.mu.Unlock()
}

// collected records that the batch starting at first came back, and returns the new
// frontier: every result still to come has a step at or above it.
func (f *frontier) collected(first uint64) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.outstanding, first)
	low := uint64(math.MaxUint64)
	for s := range f.outstanding {
		low = min(low, s)
	}
	for _, p := range f.positions {
		low = min(low, p)
	}
	return low
}

// collector counts the workers' results in step order up to the first divergence.
type collector struct {
	frontier *frontier
	pending  resultHeap // collected, not yet counted
	div      *Bundle    // the lowest diverging step so far
	gas      gasHistogram
	tamper   *TamperStats // nil without tamper mode
}

// collect takes one batch of results, in the order of its jobs.
func (c *collector) collect(batch []result) {
	if len(batch) == 0 {
		return
	}
	for _, r := range batch {
		if r.skipped { // above a known divergence: never counted
			continue
		}
		if r.bundle != nil && (c.div == nil || r.bundle.Step < c.div.Step) {
			c.div = r.bundle
		}
		heap.Push(&c.pending, r)
	}
	c.count(c.frontier.collected(batch[0].step))
}

// finish counts what is still held once every batch has come back.
func (c *collector) finish() { c.count(math.MaxUint64) }

// count counts the held results below limit that are not above the first divergence.
func (c *collector) count(limit uint64) {
	if c.div != nil {
		limit = min(limit, c.div.Step+1) // the diverging step itself adds no gas and no forgeries
	}
	for c.pending.Len() > 0 && c.pending[0].step < limit {
		r := heap.Pop(&c.pending).(result)
		if r.bundle == nil {
			c.gas[r.gas]++
		}
		if r.tamper != nil && c.tamper != nil {
			c.tamper.Add(r.tamper)
		}
	}
	// What stays held past the divergence is never counted; it is bounded by the batches in
	// flight when the workers heard of the divergence.
}

// resultHeap orders held results by step.
type resultHeap []result

func (h resultHeap) Len() int           { return len(h) }
func (h resultHeap) Less(i, j int) bool { return h[i].step < h[j].step }
func (h resultHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *resultHeap) Push(x any)        { *h = append(*h, x.(result)) }
func (h *resultHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	*h = old[:len(old)-1]
	return r
}
