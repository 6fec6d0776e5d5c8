package check

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Batches come back in any order; the collector must count the gas and forgeries of exactly
// the steps below the first divergence, however late the divergence arrives. Steps and gas
// values are made up; the expectations follow from the rule alone.
func TestCollector_CountsOnlyBelowTheFirstDivergence(t *testing.T) {
	ok := func(step, gas uint64) result {
		return result{step: step, gas: gas, tamper: &TamperReport{Step: step, Kind: "load", Tried: 1}}
	}
	diverged := func(step uint64) result { return result{step: step, bundle: &Bundle{Step: step}} }

	type batch struct {
		producer int
		results  []result
	}
	cases := []struct {
		name      string
		producers int
		sent      []batch // in the order the producers sent them
		order     []int   // the order in which they come back (indices into sent)
		wantGas   map[uint64]uint64
		wantSteps uint64 // tamper steps counted
		wantDiv   uint64 // 0: none
	}{
		{
			name: "no divergence: everything counts", producers: 1,
			sent:    []batch{{0, []result{ok(0, 5), ok(1, 6)}}, {0, []result{ok(2, 5)}}},
			order:   []int{1, 0},
			wantGas: map[uint64]uint64{5: 2, 6: 1}, wantSteps: 3,
		},
		{
			name: "a later batch returns first, then the divergence below it", producers: 1,
			sent: []batch{
				{0, []result{ok(0, 5), diverged(1), {step: 2, skipped: true}}},
				{0, []result{ok(3, 7), ok(4, 7), ok(5, 7)}},
			},
			order:   []int{1, 0},
			wantGas: map[uint64]uint64{5: 1}, wantSteps: 1, wantDiv: 1,
		},
		{
			name: "another producer's chunk above returns before a divergence in the chunk below", producers: 2,
			sent: []batch{
				{1, []result{ok(100, 9), ok(101, 9)}},
				{0, []result{ok(10, 5), ok(11, 6), diverged(12)}},
			},
			order:   []int{0, 1},
			wantGas: map[uint64]uint64{5: 1, 6: 1}, wantSteps: 2, wantDiv: 12,
		},
		{
			name: "a lower divergence replaces a higher one", producers: 2,
			sent: []batch{
				{1, []result{ok(100, 9), diverged(101)}},
				{0, []result{ok(10, 5), diverged(11)}},
			},
			order:   []int{0, 1},
			wantGas: map[uint64]uint64{5: 1}, wantSteps: 1, wantDiv: 11,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFrontier(c.producers, 0)
			col := &collector{frontier: f, gas: gasHistogram{}, tamper: &TamperStats{}}
			for _, b := range c.sent {
				f.sent(b.producer, b.results[0].step, b.results[len(b.results)-1].step)
			}
			for id := range c.producers {
				f.stopped(id)
			}
			for _, i := range c.order {
				col.collect(c.sent[i].results)
			}
			col.finish()
			require.Equal(t, gasHistogram(c.wantGas), col.gas)
			require.Equal(t, c.wantSteps, col.tamper.Steps)
			if c.wantDiv == 0 {
				require.Nil(t, col.div)
			} else {
				require.Equal(t, c.wantDiv, col.div.Step)
			}
		})
	}
}

// Results are counted as soon as no earlier result can still come, so the collector holds
// only what is above the lowest batch in flight, not the whole run.
func TestCollector_CountsAsTheFrontierPasses(t *testing.T) {
	f := newFrontier(1, 0)
	col := &collector{frontier: f, gas: gasHistogram{}}
	f.sent(0, 0, 1)
	f.sent(0, 2, 3)
	col.collect([]result{{step: 2, gas: 1}, {step: 3, gas: 1}})
	require.Equal(t, 2, col.pending.Len(), "held: batch 0..1 is still out")
	col.collect([]result{{step: 0, gas: 1}, {step: 1, gas: 1}})
	require.Equal(t, 0, col.pending.Len(), "nothing below the producer's next step is missing")
	require.Equal(t, uint64(4), col.gas[1])

	f.sent(0, 4, 4)
	f.stopped(0)
	col.collect([]result{{step: 4, gas: 2}})
	require.Equal(t, 0, col.pending.Len())
	require.Equal(t, uint64(1), col.gas[2])
}

// A producer that has not sent its first batch yet may still send steps below everything
// collected so far (several producers take chunks in order but run at their own pace).
func TestCollector_WaitsForAProducerThatHasNotSentYet(t *testing.T) {
	f := newFrontier(2, 0)
	col := &collector{frontier: f, gas: gasHistogram{}}
	f.sent(1, 100, 101) // producer 1 is in the second chunk; producer 0 is still in the first
	col.collect([]result{{step: 100, gas: 9}, {step: 101, gas: 9}})
	require.Empty(t, col.gas, "producer 0 may still send a lower step")

	f.sent(0, 10, 12)
	f.stopped(0)
	f.stopped(1)
	col.collect([]result{{step: 10, gas: 5}, {step: 11, gas: 5}, {step: 12, bundle: &Bundle{Step: 12}}})
	col.finish()
	require.Equal(t, gasHistogram{5: 2}, col.gas)
}
