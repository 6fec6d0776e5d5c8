//go:debug decoratemappings=0

// mt exercises the Go runtime's multithreading inside the VM: several OS threads (the VM
// reports GOMAXPROCS 1 through sched_getaffinity, so it is raised explicitly), goroutines
// handing work over channels, a mutex-guarded map, atomics, a WaitGroup, forced garbage
// collections and steady allocation. Its output depends only on the work, never on the
// interleaving, so qemu-mips64 and the VM must print the same lines.
package main

import (
	"fmt"
	"hash/fnv"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

const (
	procs   = 4
	workers = 6
	jobs    = 120
	chunk   = 64 // numbers per job
)

// job asks for the Collatz trajectories of the numbers [first, first+chunk).
type job struct{ first uint64 }

type result struct {
	first    uint64
	longest  uint64 // the number with the longest trajectory in the chunk
	maxSteps int
	digest   uint64 // FNV-1a of the sorted trajectory lengths
}

// totals is shared by all workers behind a mutex.
type totals struct {
	mu        sync.Mutex
	byLength  map[int]int // trajectory length -> how many numbers have it
	allocated int
}

func (t *totals) add(lengths []int, bytes int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, n := range lengths {
		t.byLength[n]++
	}
	t.allocated += bytes
}

func collatz(n uint64) []uint64 {
	path := []uint64{n}
	for n != 1 {
		if n%2 == 0 {
			n /= 2
		} else {
			n = 3*n + 1
		}
		path = append(path, n)
	}
	return path
}

func work(j job, shared *totals, stepsDone *atomic.Uint64) result {
	r := result{first: j.first}
	lengths := make([]int, 0, chunk)
	bytes := 0
	for n := j.first; n < j.first+chunk; n++ {
		path := collatz(n) // garbage on purpose: the collector has work to do
		bytes += 8 * cap(path)
		if len(path) > r.maxSteps {
			r.maxSteps, r.longest = len(path), n
		}
		lengths = append(lengths, len(path))
		stepsDone.Add(uint64(len(path)))
	}
	sort.Ints(lengths)
	h := fnv.New64a()
	for _, n := range lengths {
		fmt.Fprintf(h, "%d,", n)
	}
	r.digest = h.Sum64()
	shared.add(lengths, bytes)
	return r
}

func main() {
	runtime.GOMAXPROCS(procs)

	shared := &totals{byLength: make(map[int]int)}
	var stepsDone atomic.Uint64
	var finished atomic.Int32
	todo := make(chan job)
	done := make(chan result, workers)

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range todo {
				done <- work(j, shared, &stepsDone)
				if finished.Add(1)%(jobs/4) == 0 {
					runtime.GC()
				}
			}
		}()
	}
	go func() {
		for i := uint64(0); i < jobs; i++ {
			todo <- job{first: 1 + i*chunk}
		}
		close(todo)
	}()
	go func() {
		wg.Wait()
		close(done)
	}()

	results := make([]result, 0, jobs)
	for r := range done {
		results = append(results, r)
	}
	runtime.GC()

	sort.Slice(results, func(i, j int) bool { return results[i].first < results[j].first })
	best := results[0]
	var combined uint64
	for _, r := range results {
		if r.maxSteps > best.maxSteps {
			best = r
		}
		combined = combined*1_000_003 ^ r.digest
	}
	lengths := make([]int, 0, len(shared.byLength))
	for n := range shared.byLength {
		lengths = append(lengths, n)
	}
	sort.Ints(lengths)
	common := lengths[0]
	for _, n := range lengths {
		if shared.byLength[n] > shared.byLength[common] {
			common = n
		}
	}

	fmt.Printf("mt: %d jobs on %d workers, %d numbers\n", len(results), workers, jobs*chunk)
	fmt.Printf("longest trajectory: from %d (%d values)\n", best.longest, best.maxSteps)
	fmt.Printf("most common length: %d (%d numbers)\n", common, shared.byLength[common])
	fmt.Printf("distinct lengths: %d\n", len(lengths))
	fmt.Printf("collatz steps: %d\n", stepsDone.Load())
	fmt.Printf("bytes allocated for paths: %d\n", shared.allocated)
	fmt.Printf("digest: %016x\n", combined)
}
