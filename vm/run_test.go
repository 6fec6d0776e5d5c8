package vm

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// runLoopState is a single thread spinning on:
//
//	0x1000: daddiu $8, $8, 1     0x65080001
//	0x1004: beq $0, $0, 0x1000   0x1000FFFE
//	0x1008: nop (delay slot)     0x00000000
func runLoopState() *State {
	s := scState()
	s.Memory.SetWord(0x1000, 0x65080001_1000FFFE)
	s.Memory.SetWord(0x1008, 0)
	s.ActiveThread().Registers[8] = 0
	return s
}

func TestRun_MaxSteps(t *testing.T) {
	s := runLoopState()
	res, err := New(s, nil, nil, nil).Run(3000)
	require.NoError(t, err)
	require.Equal(t, RunResult{Steps: 3000}, res)
	require.Equal(t, uint64(scPreStep+3000), s.Step)
	require.Equal(t, uint64(1000), s.ActiveThread().Registers[8])

	res, err = New(s, nil, nil, nil).Run(0)
	require.NoError(t, err)
	require.Equal(t, RunResult{}, res)
	require.Equal(t, uint64(scPreStep+3000), s.Step)
}

func TestRun_MatchesStep(t *testing.T) {
	// 250_000 steps cross two forced preemptions of the single thread.
	const n = 250_000
	a, b := runLoopState(), runLoopState()
	_, err := New(a, nil, nil, nil).Run(n)
	require.NoError(t, err)
	vb := New(b, nil, nil, nil)
	for i := 0; i < n; i++ {
		_, err := vb.Step(false)
		require.NoError(t, err)
	}
	scRequireSameState(t, b, a)
	// The counter starts at 7: preemptions at steps 99_994 and 199_995 flip twice, and the
	// 50_005 steps after the second leave the counter there.
	require.False(t, a.TraverseRight)
	require.Equal(t, uint64(50_005), a.StepsSinceLastContextSwitch)
}

func TestRun_StopsOnExit(t *testing.T) {
	s := scState()
	scSetCall(s, 5205, 0x103, 0, 0)
	v := New(s, nil, nil, nil)
	res, err := v.Run(math.MaxUint64)
	require.NoError(t, err)
	require.Equal(t, RunResult{Steps: 1, Exited: true, ExitCode: 3}, res)

	res, err = v.Run(10)
	require.NoError(t, err)
	require.Equal(t, RunResult{Steps: 0, Exited: true, ExitCode: 3}, res)
	require.Equal(t, uint64(scPreStep+1), s.Step)
}

func TestRun_StopsOnFault(t *testing.T) {
	s := scState()
	scSetCall(s, 5038, 0, 0, 0) // getpid, then syscall 0 (R2 = 0): unsupported
	res, err := New(s, nil, nil, nil).Run(10)
	var f *Fault
	require.ErrorAs(t, err, &f)
	require.Equal(t, FaultUnsupportedSyscall, f.Kind)
	require.Equal(t, uint64(scPreStep+1), f.Step)
	require.Equal(t, uint64(scPC+4), f.PC)
	require.Equal(t, RunResult{Steps: 1}, res)
}

func TestRun_RecoversPanics(t *testing.T) {
	s := scState()
	s.PreimageKey = scKey
	scSetCall(s, 5000, 5, scData, 8)
	res, err := New(s, panicOracle{}, nil, nil).Run(5)
	var f *Fault
	require.ErrorAs(t, err, &f)
	require.Equal(t, FaultInternal, f.Kind)
	require.Equal(t, uint64(0), res.Steps)
}

func BenchmarkRun_ALULoop(b *testing.B) {
	s := runLoopState()
	v := New(s, nil, nil, nil)
	b.ResetTimer()
	res, err := v.Run(uint64(b.N))
	if err != nil || res.Steps != uint64(b.N) {
		b.Fatal(res, err)
	}
}

// BenchmarkRun_MemLoop mixes loads, stores and a syscall into the loop:
//
//	0x1000: ld $9, 0($10)        0xDD490000
//	0x1004: daddiu $9, $9, 1     0x65290001
//	0x1008: sd $9, 8($10)        0xFD490008
//	0x100C: nop                  0x00000000
//	0x1010: beq $0, $0, 0x1000   0x1000FFFB
//	0x1014: nop                  0x00000000
func BenchmarkRun_MemLoop(b *testing.B) {
	s := scState()
	s.Memory.SetWord(0x1000, 0xDD490000_65290001)
	s.Memory.SetWord(0x1008, 0xFD490008_00000000)
	s.Memory.SetWord(0x1010, 0x1000FFFB_00000000)
	s.ActiveThread().Registers[10] = 0x10_0000
	v := New(s, nil, nil, nil)
	b.ResetTimer()
	res, err := v.Run(uint64(b.N))
	if err != nil || res.Steps != uint64(b.N) {
		b.Fatal(res, err)
	}
}

func BenchmarkStep_Proof(b *testing.B) {
	s := runLoopState()
	v := New(s, nil, nil, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := v.Step(true); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSyscallLoop spins on "li $v0, num; syscall; b loop; nop" with a0/a1/a2 fixed.
func benchSyscallLoop(b *testing.B, num uint16, a0, a1, a2 uint64) {
	s := scState()
	s.Memory.SetWord(0x1000, (0x64020000|uint64(num))<<32|0x0000000C) // daddiu $2, $0, num; syscall
	s.Memory.SetWord(0x1008, 0x1000FFFD_00000000)                     // beq $0, $0, 0x1000; nop
	th := s.ActiveThread()
	th.Registers[0] = 0 // read as stored: the VM never forces R0 to zero
	th.Registers[4], th.Registers[5], th.Registers[6] = a0, a1, a2
	v := New(s, nil, nil, nil)
	b.ReportAllocs()
	b.ResetTimer()
	res, err := v.Run(uint64(b.N))
	if err != nil || res.Steps != uint64(b.N) {
		b.Fatal(res, err)
	}
}

func BenchmarkRun_ClockGettime(b *testing.B) { benchSyscallLoop(b, 5222, 1, 0x10_0000, 0) }
func BenchmarkRun_Getrandom(b *testing.B)    { benchSyscallLoop(b, 5313, 0x10_0003, 8, 0) }
func BenchmarkRun_SchedYield(b *testing.B)   { benchSyscallLoop(b, 5023, 0, 0, 0) }
func BenchmarkRun_FutexWake(b *testing.B)    { benchSyscallLoop(b, 5194, 0x10_0000, 129, 0) }
func BenchmarkRun_WriteStdout(b *testing.B)  { benchSyscallLoop(b, 5001, 1, 0x10_0000, 16) }
