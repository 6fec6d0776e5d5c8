package check

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

func TestChunks_TakeInOrderAndStop(t *testing.T) {
	c := newChunks(100, 350, 100)
	for _, want := range [][2]uint64{{100, 200}, {200, 300}, {300, 350}} {
		s, e, ok := c.take()
		require.True(t, ok)
		require.Equal(t, want, [2]uint64{s, e})
	}
	_, _, ok := c.take()
	require.False(t, ok, "past the end")

	open := newChunks(0, 0, 10) // until the guest stops
	_, _, ok = open.take()
	require.True(t, ok)
	open.stopAt(15)
	open.stopAt(40) // a later stop does not move it back
	s, _, ok := open.take()
	require.True(t, ok, "chunk [10,20) holds the last step")
	require.Equal(t, uint64(10), s)
	_, _, ok = open.take()
	require.False(t, ok, "nothing starts after the guest stopped")
}

// Several producers check the same steps as one: same counts, gas, end state, and the same
// first divergence, whatever the number of producers.
func TestRun_ProducersDoNotChangeTheResult(t *testing.T) {
	old := chunkSize
	chunkSize = 1000 // ~19 chunks over the last 19k steps of hello
	t.Cleanup(func() { chunkSize = old })
	elf := guestELF(t, "hello")
	tail := StepRange{Start: 440_000, End: 1 << 40, Set: true} // to the guest's exit

	contract, err := evmharness.LoadContractFile(writeHexContract(t, patchedMIPS(t, 452_345, 79, false)))
	require.NoError(t, err)
	oracle, err := evmharness.BuiltinArtifact("PreimageOracle")
	require.NoError(t, err)

	for _, c := range []struct {
		name     string
		contract *evmharness.Artifact
	}{{"agreeing run to the exit", nil}, {"divergence at step 452344", contract}} {
		t.Run(c.name, func(t *testing.T) {
			var results []*RunResult
			for _, producers := range []int{1, 3} {
				cfg := RunConfig{ELF: elf, Range: tail, Workers: 3, Producers: producers}
				if c.contract != nil {
					cfg.Contract, cfg.Oracle = c.contract, oracle
				}
				res, err := Run(cfg)
				require.NoError(t, err)
				results = append(results, res)
			}
			one, three := results[0], results[1]
			if c.contract == nil {
				require.False(t, one.Diverged())
				require.True(t, one.Exited)
				require.Equal(t, one.StepsRun-one.StepsFastForwarded, one.StepsChecked, "every step checked")
			} else {
				require.True(t, one.Diverged())
				require.Equal(t, uint64(452_344), one.Divergence.Step)
				require.Equal(t, one.Divergence.Step, three.Divergence.Step)
				require.Equal(t, one.Divergence.Mismatches, three.Divergence.Mismatches)
			}
			require.Equal(t, one.Exited, three.Exited)
			require.Equal(t, one.ExitCode, three.ExitCode)
			require.Equal(t, one.FirstStep, three.FirstStep)
			require.Equal(t, one.LastStep, three.LastStep)
			require.Equal(t, one.StepsRun, three.StepsRun)
			require.Equal(t, one.StepsChecked, three.StepsChecked)
			require.Equal(t, one.Classes, three.Classes)
			require.Equal(t, one.PreimageReads, three.PreimageReads)
			// Gas comes from the EVM, not from the recount: a diverging run must still count
			// exactly the checked steps below the divergence (collect.go), not those the
			// workers checked beyond it before they heard of it.

			require.Equal(t, one.GasHistogram, three.GasHistogram)
			below := one.StepsChecked
			if one.Diverged() {
				below-- // the diverging step has no agreed gas
			}
			require.Equal(t, below, one.Gas.Count)
			require.Equal(t, below, three.Gas.Count)
		})
	}
}

// A divergence found by another producer in a later chunk must not end this producer's
// earlier chunk: the steps below the divergence still have to be checked, or a lower
// divergence among them would be missed. Here step 250 is already known to diverge when the
// producer takes chunk [0,100); it must hand out steps 0..249 and nothing else.
func TestProduceChunks_ChecksEveryStepBelowAKnownDivergence(t *testing.T) {
	elf := guestELF(t, "hello")
	v, err := OurVM(elf, nil, nil, nil)
	require.NoError(t, err)
	cfg := withDefaults(RunConfig{ELF: elf, Mode: CheckAll})
	jobs := make(chan []job, 100)
	p := &producer{planner: planner{cfg: cfg, res: &RunResult{Classes: map[string]*ClassStats{}, PreimageReads: map[string]uint64{}}},
		v: v, store: evmharness.PreimageStore{}, jobs: jobs, frontier: newFrontier(1, 0)}
	var firstDiv, ran, checked atomic.Uint64
	firstDiv.Store(250)
	stopped := p.produceChunks(newChunks(0, 0, 100), &firstDiv, &ran, &checked)
	p.flush()
	close(jobs)
	var steps []uint64
	for b := range jobs {
		for _, j := range b {
			steps = append(steps, j.in.PreStep())
		}
	}
	require.Len(t, steps, 250)
	for i, s := range steps {
		require.Equal(t, uint64(i), s)
	}
	require.Equal(t, uint64(250), stopped)
}
