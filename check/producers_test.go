package check

import (
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
			if !one.Diverged() {
				// A diverging run's gas includes the steps that workers checked beyond the
				// divergence before they heard of it, whatever the producers: timing.
				require.Equal(t, one.GasHistogram, three.GasHistogram)
			}
		})
	}
}
