package vm

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// benchLoop is a ten-instruction loop of ALU, load, store and branch instructions that never
// exits ($7 = 2^64-1); data at $4 = 0x20000.
var benchLoop = []uint32{
	0x24420001, // loop: addiu $2,$2,1
	0x8C830000, //       lw    $3,0($4)
	0x00621821, //       addu  $3,$3,$2
	0xAC830000, //       sw    $3,0($4)
	0xDC850008, //       ld    $5,8($4)
	0x00A32826, //       xor   $5,$5,$3
	0xFC850008, //       sd    $5,8($4)
	0x0047302B, //       sltu  $6,$2,$7
	0x14C0FFF7, //       bne   $6,$0,loop
	0x000240F8, //       dsll  $8,$2,3 (delay slot)
}

func newBenchVM(tb testing.TB) *VM {
	mem := memory.New()
	for k := 0; k < len(benchLoop); k += 2 {
		mem.SetWord(0x10000+uint64(4*k), uint64(benchLoop[k])<<32|uint64(benchLoop[k+1]))
	}
	th := &Thread{PC: 0x10000, NextPC: 0x10004}
	th.Registers[4] = 0x20000
	th.Registers[7] = ^uint64(0)
	return New(&State{Memory: mem, LeftThreadStack: []*Thread{th}, NextThreadID: 1}, nil, nil, nil)
}

func TestBenchLoopRuns(t *testing.T) {
	v := newBenchVM(t)
	_, err := v.Run(1000)
	require.NoError(t, err)
	th := v.state.ActiveThread()
	require.Equal(t, uint64(100), th.Registers[2], "100 iterations of 10 steps")
	require.Equal(t, uint64(0x10000), th.PC)
	require.Equal(t, uint64(100*8), th.Registers[8])
	require.Equal(t, uint64(5050), v.state.Memory.GetWord(0x20000)>>32, "running sum stored by sw")
}

// BenchmarkStep is the per-step cost of Step without proofs.
func BenchmarkStep(b *testing.B) {
	v := newBenchVM(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := v.Step(false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkRun is the same loop through Run, the fast-forward path.
func BenchmarkRun(b *testing.B) {
	v := newBenchVM(b)
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := v.Run(uint64(b.N)); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkStepProof is the per-step cost with witness generation.
func BenchmarkStepProof(b *testing.B) {
	v := newBenchVM(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := v.Step(true); err != nil {
			b.Fatal(err)
		}
	}
}
