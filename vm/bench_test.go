package vm_test

// Whole-program benchmarks on the mt guest; ns/op is nanoseconds per VM step. `make bench`
// runs the CLI driver (fpvmdiff vm bench) instead, which also measures peak memory.

import (
	"os"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// mtMachine loads a fresh mt guest.
func mtMachine(b *testing.B, elf []byte) *vm.VM {
	b.Helper()
	state, err := vm.Load(elf)
	if err != nil {
		b.Fatal(err)
	}
	return vm.New(state, nil, nil, nil)
}

func readMT(b *testing.B) []byte {
	b.Helper()
	elf, err := os.ReadFile(guests.MustBuild(b, "mt"))
	if err != nil {
		b.Fatal(err)
	}
	return elf
}

// BenchmarkProgramMTRun measures steps without proofs; the guest is reloaded whenever it
// exits before b.N steps.
func BenchmarkProgramMTRun(b *testing.B) {
	elf := readMT(b)
	m := mtMachine(b, elf)
	b.ResetTimer()
	for left := uint64(b.N); left > 0; {
		res, err := m.Run(left)
		if err != nil {
			b.Fatal(err)
		}
		left -= res.Steps
		if res.Exited {
			b.StopTimer()
			m = mtMachine(b, elf)
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Msteps/s")
}

// BenchmarkProgramMTWitness measures steps that build witnesses, from step 10M of mt
// (past the runtime's start-up, with all threads running).
func BenchmarkProgramMTWitness(b *testing.B) {
	const from = 10_000_000
	elf := readMT(b)
	m := mtMachine(b, elf)
	if _, err := m.Run(from); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m.State().Exited {
			b.StopTimer()
			m = mtMachine(b, elf)
			if _, err := m.Run(from); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if _, err := m.Step(true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(b.N), "us/step")
}
