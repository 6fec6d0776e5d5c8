package evmharness

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/stretchr/testify/require"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

func TestDecodeRevert(t *testing.T) {
	custom, err := abi.JSON(strings.NewReader(`[{"type":"error","name":"Bad","inputs":[{"name":"x","type":"uint256"}]}]`))
	require.NoError(t, err)
	badSel := selector("Bad(uint256)")
	imp := selector("InvalidMemoryProof()")
	panic11 := append(selPanic[:], make([]byte, 32)...)
	panic11[35] = 0x11
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "revert without data"},
		{"short", []byte{1, 2}, "shorter than a selector"},
		{"Error(string)", errorString("MIPS64: invalid instruction"), `Error("MIPS64: invalid instruction")`},
		{"Error(string) truncated", errorString("abc")[:40], "malformed"},
		{"Panic", panic11, "Panic(0x11): arithmetic overflow or underflow"},
		{"custom from ABI", append(badSel[:], append(make([]byte, 31), 7)...), "Bad(7)"},
		{"known production error", imp[:], "InvalidMemoryProof()"},
		{"unknown", []byte{0xde, 0xad, 0xbe, 0xef, 1}, "custom error 0xdeadbeef"},
	}
	for _, c := range cases {
		require.Contains(t, DecodeRevert(c.data, &custom), c.want, c.name)
	}
}

func TestSourceMap(t *testing.T) {
	// PUSH1 1 (pc 0), PUSH2 1 2 (pc 2), JUMP (pc 5), REVERT (pc 6)
	code := []byte{0x60, 1, 0x61, 1, 2, 0x56, 0xFD}
	src := map[int]Source{0: {Path: "a.sol", Content: "line one\n  line two\nline three\n"}}
	sm, err := NewSourceMap(code, "0:4:0:-;11:8;;22:5:0:i", src)
	require.NoError(t, err)
	require.Equal(t, "a.sol:1: line one", sm.Lookup(0).String())
	require.Equal(t, "a.sol:2: line two", sm.Lookup(2).String())
	require.Equal(t, "a.sol:2: line two", sm.Lookup(5).String(), "empty entry repeats the previous one")
	require.Equal(t, "a.sol:3: line three", sm.Lookup(6).String())
	require.Equal(t, byte('i'), sm.JumpType(6))
	require.Nil(t, sm.Lookup(1), "inside push data")
	require.Nil(t, sm.Lookup(100))

	_, err = NewSourceMap(code, "0:x:0", src)
	require.ErrorContains(t, err, "source map entry 0")
}

func TestClassify(t *testing.T) {
	state := func(insn uint32, regs map[int]uint64, edit func(*fpvm.State, *fpvm.Thread)) *fpvm.State {
		m := memory.New()
		m.SetWord(0x1000, uint64(insn)<<32)
		th := &fpvm.Thread{PC: 0x1000, NextPC: 0x1004}
		for r, v := range regs {
			th.Registers[r] = v
		}
		s := &fpvm.State{Memory: m, LeftThreadStack: []*fpvm.Thread{th}}
		if edit != nil {
			edit(s, th)
		}
		return s
	}
	cases := []struct {
		s    *fpvm.State
		want string
	}{
		{state(0x24080005, nil, nil), "addiu"},
		{state(0x10850003, map[int]uint64{4: 1, 5: 1}, nil), "beq/taken"},
		{state(0x10850003, map[int]uint64{4: 1, 5: 2}, nil), "beq/not-taken"},
		{state(0x0441FFFF, map[int]uint64{2: 1 << 63}, nil), "bgez/not-taken"},
		{state(0x10850003, nil, func(_ *fpvm.State, th *fpvm.Thread) { th.NextPC = 0x2000 }), "beq/in-delay-slot"},
		{state(0x0000000C, map[int]uint64{2: 5000, 4: 5, 6: 8}, nil), "syscall/read/fd5"},
		{state(0x0000000C, map[int]uint64{2: 5000, 4: 5}, nil), "syscall/read/fd5/count0"},
		{state(0x0000000C, map[int]uint64{2: 5194, 5: 128}, nil), "syscall/futex/wait"},
		{state(0x0000000C, map[int]uint64{2: 5222, 4: 1, 5: 0x18}, nil), "syscall/clock_gettime/clk1/split-leaf"},
		{state(0x0000000C, map[int]uint64{2: 5058}, nil), "syscall/exit/last-thread"},
		{state(0x0000000C, map[int]uint64{2: 9999}, nil), "syscall/9999"},
		{state(0xE0C50004, map[int]uint64{6: 0x100}, func(s *fpvm.State, _ *fpvm.Thread) {
			s.LLReservationStatus, s.LLAddress = 1, 0x104
		}), "sc/success"},
		{state(0xE0C50004, map[int]uint64{6: 0x100}, nil), "sc/fail"},
		{state(0x0000001A, nil, nil), "div/by-zero"},
		{state(0, nil, func(_ *fpvm.State, th *fpvm.Thread) { th.Exited = true }), "sched/pop"},
		{state(0, nil, func(s *fpvm.State, _ *fpvm.Thread) { s.StepsSinceLastContextSwitch = fpvm.SchedQuantum }), "sched/preempt"},
		{state(0, nil, func(s *fpvm.State, _ *fpvm.Thread) { s.Exited = true }), "sched/exited-vm"},
		{state(0, nil, func(_ *fpvm.State, th *fpvm.Thread) { th.PC = 0x1002 }), "exception/misaligned-pc"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, Classify(c.s))
	}
}
