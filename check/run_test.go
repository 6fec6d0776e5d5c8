package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/evmharness"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

func guestELF(t *testing.T, name string) []byte {
	t.Helper()
	elf, err := os.ReadFile(guests.MustBuild(t, name))
	require.NoError(t, err)
	return elf
}

// patchedRun runs hello against our step contract patched to lie at one step.
func patchedRun(t *testing.T, atStep uint64, flipByte int, revert bool, maxSteps uint64, workers int) (*RunResult, string) {
	t.Helper()
	contract, err := evmharness.LoadContractFile(writeHexContract(t, patchedMIPS(t, atStep, flipByte, revert)))
	require.NoError(t, err)
	oracle, err := evmharness.BuiltinArtifact("PreimageOracle")
	require.NoError(t, err)
	dir := t.TempDir()
	res, err := Run(RunConfig{
		ELF: guestELF(t, "hello"), Program: "hello", Contract: contract, Oracle: oracle,
		MaxSteps: maxSteps, BundleDir: dir, Workers: workers,
	})
	require.NoError(t, err)
	return res, dir
}

func TestRun_ContractLyingAtOneStep(t *testing.T) {
	cases := []struct {
		name      string
		flipByte  int
		revert    bool
		wantField string
		wantMsg   string
	}{
		{name: "flipped heap byte", flipByte: 79, wantField: "heap", wantMsg: "post-state differs"},
		{name: "flipped step byte", flipByte: 106, wantField: "step", wantMsg: "post-state differs"},
		{name: "flipped right stack root byte", flipByte: 150, wantField: "rightThreadStack", wantMsg: "post-state differs"},
		{name: "revert", revert: true, wantMsg: `EVM step reverted: Error("patched revert")`},
	}
	const postStep = 300 // the lie is told in the post-state of the step with pre-step 299
	for i, c := range cases {
		workers := 1 + i%3 // the first divergence by step is reported whatever the worker count
		t.Run(c.name, func(t *testing.T) {
			res, _ := patchedRun(t, postStep, c.flipByte, c.revert, 1000, workers)
			require.True(t, res.Diverged())
			b := res.Divergence
			require.Equal(t, uint64(postStep-1), b.Step)
			require.Equal(t, uint64(postStep), res.StepsChecked, "steps after the divergence are not counted")
			require.Equal(t, uint64(postStep), res.StepsRun)
			var sum uint64
			for _, c := range res.Classes {
				sum += c.Run
			}
			require.Equal(t, res.StepsRun, sum)
			require.Contains(t, b.Mismatches[0], c.wantMsg)
			if c.wantField != "" {
				require.Len(t, b.StateDiff, 1, "%v", b.StateDiff)
				require.Equal(t, c.wantField, b.StateDiff[0].Field)
			}
			require.NotEmpty(t, res.BundlePath)
			require.FileExists(t, res.BundlePath)
		})
	}
}

func TestRun_GoPostStateWithFlippedByte(t *testing.T) {
	res, err := Run(RunConfig{
		ELF: guestELF(t, "hello"), Program: "hello", MaxSteps: 500,
		GoPostHook: func(step uint64, post []byte) {
			if step == 123 {
				post[72] ^= 0x40 // first byte of heap
			}
		},
	})
	require.NoError(t, err)
	require.True(t, res.Diverged())
	require.Equal(t, uint64(123), res.Divergence.Step)
	require.Len(t, res.Divergence.StateDiff, 1)
	d := res.Divergence.StateDiff[0]
	require.Equal(t, "heap", d.Field)
	require.NotEqual(t, d.Go, d.EVM)
}

func TestRepro_ReplaysARecordedBundle(t *testing.T) {
	res, dir := patchedRun(t, 200, 79, false, 400, 2)
	require.True(t, res.Diverged())
	b, err := ReadBundle(res.BundlePath)
	require.NoError(t, err)
	require.Equal(t, filepath.Dir(res.BundlePath), dir)

	rep, err := Repro(b, nil)
	require.NoError(t, err)
	require.Equal(t, b.Mismatches, rep.Mismatches)
	require.Equal(t, b.StateDiff, rep.StateDiff)
	require.Empty(t, rep.Notes, "the stateless Go replay and the EVM replay must match the recording")

	// Against our unpatched contract the same witness agrees: the lie was the contract's.
	mips, err := evmharness.BuiltinArtifact("MIPS64")
	require.NoError(t, err)
	rep, err = Repro(b, mips)
	require.NoError(t, err)
	require.Empty(t, rep.Mismatches)
	require.Contains(t, rep.Notes, "the replayed step agrees on both sides: the divergence did not reproduce")
}

func TestRun_SampleModeChecksRareClassesAndTheLastStep(t *testing.T) {
	res, err := Run(RunConfig{
		ELF: guestELF(t, "hello"), Program: "hello", Mode: CheckSample, SampleK: 2, SampleEvery: 5000,
	})
	require.NoError(t, err)
	require.False(t, res.Diverged())
	require.True(t, res.Exited)
	require.Less(t, res.StepsChecked, res.StepsRun/4)
	for name, c := range res.Classes {
		require.GreaterOrEqual(t, c.Checked, min(c.Run, 2), "class %s", name)
	}
	require.Equal(t, uint64(1), res.Classes["syscall/exit_group"].Checked, "the exit step is checked")
}

// Sampling checks every pre-image read, however often its class has been checked already
// (with K = 1 and no periodic sampling, the class rule alone would check one read).
func TestRun_SampleModeChecksEveryPreimageRead(t *testing.T) {
	root, err := guests.RepoRoot()
	require.NoError(t, err)
	pre, err := fpvm.ReadPreimageFile(filepath.Join(root, "testdata", "programs", "preimage", "preimages.json"))
	require.NoError(t, err)
	res, err := Run(RunConfig{ELF: guestELF(t, "preimage"), Program: "preimage", Preimages: pre,
		Mode: CheckSample, SampleK: 1, SampleEvery: 1 << 40})
	require.NoError(t, err)
	require.False(t, res.Diverged())
	require.True(t, res.Exited)
	var reads uint64
	for name, c := range res.Classes {
		if strings.HasPrefix(name, "syscall/read/fd5") {
			require.Equal(t, c.Run, c.Checked, "class %s", name)
			reads += c.Run
		}
	}
	require.Greater(t, reads, uint64(10), "the guest reads its pre-images in many parts")
	var checked uint64
	for _, kt := range []string{"type1", "type2", "type4"} {
		require.NotZero(t, res.PreimageReads[kt], "checked reads of %s", kt)
		checked += res.PreimageReads[kt]
	}
	require.Equal(t, reads, checked)
}

func TestRun_RangeAndWindow(t *testing.T) {
	elf := guestELF(t, "hello")
	res, err := Run(RunConfig{ELF: elf, Range: StepRange{Start: 1000, End: 1500, Set: true}})
	require.NoError(t, err)
	require.Equal(t, uint64(1000), res.FirstStep)
	require.Equal(t, uint64(1500), res.StepsRun)
	require.Equal(t, uint64(500), res.StepsChecked)

	res, err = Run(RunConfig{ELF: elf, Mode: CheckSample, SampleK: 1, SampleEvery: 1 << 40,
		Window: StepRange{Start: 0, End: 700, Set: true}, MaxSteps: 3000})
	require.NoError(t, err)
	require.GreaterOrEqual(t, res.StepsChecked, uint64(700))
	require.Less(t, res.StepsChecked, uint64(3000))
}

// The producer can rebuild the witness of any step by replaying the program from its start
// (used when the step that ends a sampled run was not checked).
func TestProducerReplayTo(t *testing.T) {
	elf := guestELF(t, "hello")
	const target = 777
	st, err := fpvm.Load(elf)
	require.NoError(t, err)
	v := fpvm.New(st, nil, nil, nil)
	_, err = v.Run(target)
	require.NoError(t, err)
	w, err := v.Step(true)
	require.NoError(t, err)
	post := st.EncodeWitness()

	other, err := OurVM(elf, nil, nil, nil) // the producer's own VM, somewhere else in the run
	require.NoError(t, err)
	p := &producer{planner: planner{cfg: withDefaults(RunConfig{ELF: elf})}, v: other, store: evmharness.PreimageStore{}}
	in, err := p.replayTo(target)
	require.NoError(t, err)
	require.Equal(t, w.State, in.State)
	require.Equal(t, w.Proof, in.Proof)
	require.Equal(t, post[:], in.GoPost)
	var view View
	other.View(&view)
	require.Equal(t, uint64(0), view.Step, "the producer's own VM is left where it was")
}

func TestGasHistogram(t *testing.T) {
	h := gasHistogram{}
	for v := uint64(1); v <= 200; v++ {
		h[v*10]++
	}
	// 100 steps of 10 gas, then one step each of 20, 30, …, 2000: 299 steps. The median is
	// the value of rank 149 (0-based) = 20 + 49·10; the p99 that of rank 295 = 20 + 195·10.
	h[10] += 99
	require.Equal(t, GasStats{Count: 299, Min: 10, Median: 510, P99: 1970, Max: 2000}, h.stats())
	require.Equal(t, GasStats{}, gasHistogram{}.stats())
}

// Counts after a divergence do not depend on how far the producer ran ahead of the workers.
func TestRun_SampledDivergenceCountsIndependentOfWorkers(t *testing.T) {
	contract, err := evmharness.LoadContractFile(writeHexContract(t, patchedMIPS(t, 5001, 79, false)))
	require.NoError(t, err)
	oracle, err := evmharness.BuiltinArtifact("PreimageOracle")
	require.NoError(t, err)
	elf := guestELF(t, "hello")
	var results []*RunResult
	for _, workers := range []int{1, 3} {
		res, err := Run(RunConfig{ELF: elf, Contract: contract, Oracle: oracle, Mode: CheckSample,
			SampleK: 1, SampleEvery: 1000, Workers: workers})
		require.NoError(t, err)
		require.True(t, res.Diverged())
		require.Equal(t, uint64(5000), res.Divergence.Step)
		require.Equal(t, uint64(5001), res.StepsRun)
		require.False(t, res.Exited)
		results = append(results, res)
	}
	require.Equal(t, results[0].StepsChecked, results[1].StepsChecked)
	require.Equal(t, results[0].Classes, results[1].Classes)
}
