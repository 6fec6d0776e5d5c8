package cannon

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/check"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// Benchmarks for BENCHMARKS.md ("The production VM"): one op is one whole run of the mt
// guest (about 81M steps), or of the op-program run when OP_PROGRAM_ELF and OP_PROGRAM_PRE
// name it; ns/step and steps/s are reported per VM step. Run with -benchtime 1x.

func benchProgram(b *testing.B) ([]byte, *fpvm.PreimageMap) {
	if path := os.Getenv("OP_PROGRAM_ELF"); path != "" {
		elf, err := os.ReadFile(path)
		require.NoError(b, err)
		pre, err := fpvm.ReadPreimageFile(os.Getenv("OP_PROGRAM_PRE"))
		require.NoError(b, err)
		return elf, pre
	}
	return guestELF(b, "mt"), nil
}

func reportSteps(b *testing.B, steps uint64) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps), "ns/step")
	b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
}

// runAlone runs one VM to the end without witnesses.
func runAlone(b *testing.B, open check.Open) {
	elf, pre := benchProgram(b)
	var steps uint64
	for b.Loop() {
		b.StopTimer()
		v, err := open(elf, pre, nil, nil)
		require.NoError(b, err)
		b.StartTimer()
		n, err := v.Run(^uint64(0))
		require.NoError(b, err)
		steps += n
	}
	reportSteps(b, steps)
}

func BenchmarkRunProduction(b *testing.B) { runAlone(b, Open) }
func BenchmarkRunOurs(b *testing.B)       { runAlone(b, check.OurVM) }

// BenchmarkLockstep is both VMs in lockstep with the default checkpoint period, loading
// included (as a user runs it).
func BenchmarkLockstep(b *testing.B) {
	elf, pre := benchProgram(b)
	var steps uint64
	for b.Loop() {
		res, err := check.Lockstep(check.LockstepConfig{ELF: elf, Preimages: pre, A: check.OurVM, B: Open})
		require.NoError(b, err)
		require.Nil(b, res.Divergence)
		steps += res.Steps
	}
	reportSteps(b, steps)
}

// Witness generation: 20,000 consecutive steps of mt from step 5M (four threads running),
// each with its witness, through the check.VM adapters.
func benchWitness(b *testing.B, open check.Open) {
	elf := guestELF(b, "mt")
	const from, n = 5_000_000, 20_000
	var steps uint64
	for b.Loop() {
		b.StopTimer()
		v, err := open(elf, nil, nil, nil)
		require.NoError(b, err)
		_, err = v.Run(from)
		require.NoError(b, err)
		b.StartTimer()
		for range n {
			_, err := v.Step(true)
			require.NoError(b, err)
		}
		steps += n
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps)/1000, "µs/step")
}

func BenchmarkWitnessProduction(b *testing.B) { benchWitness(b, Open) }
func BenchmarkWitnessOurs(b *testing.B)       { benchWitness(b, check.OurVM) }
