package cannon

import (
	"os"
	"syscall"
	"testing"
	"time"

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

// cpuTime is the process's user+system CPU time: the machine these figures come from is
// shared, so wall-clock time alone would measure the other jobs too.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// meter accumulates the CPU time of the timed parts of a benchmark.
type meter struct {
	cpu   time.Duration
	start time.Duration
}

func (m *meter) begin(b *testing.B) { b.StartTimer(); m.start = cpuTime(b) }
func (m *meter) end(b *testing.B)   { m.cpu += cpuTime(b) - m.start; b.StopTimer() }

func reportSteps(b *testing.B, m *meter, steps uint64) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps), "ns/step")
	b.ReportMetric(float64(m.cpu.Nanoseconds())/float64(steps), "cpu-ns/step")
	b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
}

// runAlone runs one VM to the end without witnesses.
func runAlone(b *testing.B, open check.Open) {
	elf, pre := benchProgram(b)
	var steps uint64
	var m meter
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		v, err := open(elf, pre, nil, nil)
		require.NoError(b, err)
		m.begin(b)
		n, err := v.Run(^uint64(0))
		m.end(b)
		require.NoError(b, err)
		steps += n
	}
	reportSteps(b, &m, steps)
}

func BenchmarkRunProduction(b *testing.B) { runAlone(b, Open) }
func BenchmarkRunOurs(b *testing.B)       { runAlone(b, check.OurVM) }

// BenchmarkLockstep is both VMs in lockstep with the default checkpoint period, loading
// included (as a user runs it).
func BenchmarkLockstep(b *testing.B) {
	elf, pre := benchProgram(b)
	var steps uint64
	var m meter
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		m.begin(b)
		res, err := check.Lockstep(check.LockstepConfig{ELF: elf, Preimages: pre, A: check.OurVM, B: Open})
		m.end(b)
		require.NoError(b, err)
		require.Nil(b, res.Divergence)
		steps += res.Steps
	}
	reportSteps(b, &m, steps)
}

// Witness generation: 20,000 consecutive steps of mt from step 5M (four threads running),
// each with its witness, through the check.VM adapters.
func benchWitness(b *testing.B, open check.Open) {
	elf := guestELF(b, "mt")
	const from, n = 5_000_000, 20_000
	var steps uint64
	var m meter
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		v, err := open(elf, nil, nil, nil)
		require.NoError(b, err)
		_, err = v.Run(from)
		require.NoError(b, err)
		m.begin(b)
		for range n {
			if _, err := v.Step(true); err != nil {
				b.Fatal(err)
			}
		}
		m.end(b)
		steps += n
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps)/1000, "µs/step")
	b.ReportMetric(float64(m.cpu.Nanoseconds())/float64(steps)/1000, "cpu-µs/step")
}

func BenchmarkWitnessProduction(b *testing.B) { benchWitness(b, Open) }
func BenchmarkWitnessOurs(b *testing.B)       { benchWitness(b, check.OurVM) }
