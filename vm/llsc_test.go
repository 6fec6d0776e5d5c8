package vm

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// LL/LLD/SC/SCD, docs/spec.md §6 "LL/SC reservation" and §12.15 "LL/SC". The active thread has
// id 7 unless a case says otherwise; $4 = 0x10000 holds memWord (81 72 A3 34 | 45 56 17 F8).
//
// Encodings: ll $5,k($4) = 0xC085000k, lld = 0xD085000k, sc = 0xE085000k, scd = 0xF085000k.

var llscCases = []isaCase{
	{name: "ll $5,0($4) / sign-extended word, reservation taken", insn: 0xC0850000, tid: 7,
		regs: regs{4: memBase}, mem: words{memBase: memWord},
		want: regs{5: 0xFFFFFFFF_8172A334}, wantLL: &llRes{1, memBase, 7}, slot1: u64(memBase)},
	{name: "ll $5,4($4) / second half of the word", insn: 0xC0850004, tid: 7,
		regs: regs{4: memBase}, mem: words{memBase: memWord},
		want: regs{5: 0x455617F8}, wantLL: &llRes{1, memBase + 4, 7}, slot1: u64(memBase)},
	{name: "ll $5,6($4) / unaligned: word at addr&^3, address kept exactly", insn: 0xC0850006, tid: 7,
		regs: regs{4: memBase}, mem: words{memBase: memWord},
		want: regs{5: 0x455617F8}, wantLL: &llRes{1, memBase + 6, 7}, slot1: u64(memBase)},
	{name: "ll $5,0($4) / replaces another thread's 64-bit reservation", insn: 0xC0850000, tid: 7,
		regs: regs{4: memBase}, mem: words{memBase: memWord}, ll: llRes{2, 0x20000, 3},
		want: regs{5: 0xFFFFFFFF_8172A334}, wantLL: &llRes{1, memBase, 7}, slot1: u64(memBase)},
	{name: "ll $0,0($4) / R0 not written, reservation still taken", insn: 0xC0800000, tid: 7,
		regs: regs{4: memBase}, mem: words{memBase: memWord},
		wantLL: &llRes{1, memBase, 7}, slot1: u64(memBase)},
	{name: "ll $5,0($4) / in a delay slot", insn: 0xC0850000, tid: 7,
		pc: 0x4000, nextPC: 0x7000, regs: regs{4: memBase}, mem: words{memBase: memWord},
		want: regs{5: 0xFFFFFFFF_8172A334}, wantLL: &llRes{1, memBase, 7}, slot1: u64(memBase),
		wantPC: 0x7000, wantNextPC: 0x7004},
	{name: "lld $5,0($4) / 64-bit load, status 2", insn: 0xD0850000, tid: 7,
		regs: regs{4: memBase}, mem: words{memBase: memWord},
		want: regs{5: memWord}, wantLL: &llRes{2, memBase, 7}, slot1: u64(memBase)},
	{name: "lld $5,3($4) / unaligned: word aligned down, address kept", insn: 0xD0850003, tid: 7,
		regs: regs{4: memBase}, mem: words{memBase: memWord},
		want: regs{5: memWord}, wantLL: &llRes{2, memBase + 3, 7}, slot1: u64(memBase)},

	{name: "sc $5,0($4) / success stores the low word, rt=1, reservation cleared", insn: 0xE0850000, tid: 7,
		regs: regs{4: memBase, 5: 0xAAAAAAAA_12345678}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 7},
		want: regs{5: 1}, wantMem: words{memBase: 0x12345678_455617F8}, wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "sc $5,4($4) / success on the second half", insn: 0xE0850004, tid: 7,
		regs: regs{4: memBase, 5: 0xAAAAAAAA_12345678}, mem: words{memBase: memWord}, ll: llRes{1, memBase + 4, 7},
		want: regs{5: 1}, wantMem: words{memBase: 0x8172A334_12345678}, wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "sc $5,6($4) / unaligned address equal to the LL's: stores at addr&^3", insn: 0xE0850006, tid: 7,
		regs: regs{4: memBase, 5: 0xAAAAAAAA_12345678}, mem: words{memBase: memWord}, ll: llRes{1, memBase + 6, 7},
		want: regs{5: 1}, wantMem: words{memBase: 0x8172A334_12345678}, wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "sc $5,0($4) / thread 0 with a reservation of thread 0", insn: 0xE0850000, tid: 0,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 0},
		want: regs{5: 1}, wantMem: words{memBase: 0x12345678_455617F8}, wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "sc $0,0($4) / success stores R0 as stored, R0 not written", insn: 0xE0800000, tid: 7,
		regs: regs{0: 0x55555555_AAAAAAAA, 4: memBase}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 7},
		wantMem: words{memBase: 0xAAAAAAAA_455617F8}, wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "sc $5,0($4) / in a delay slot", insn: 0xE0850000, tid: 7,
		pc: 0x4000, nextPC: 0x7000, regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: memWord},
		ll: llRes{1, memBase, 7}, want: regs{5: 1}, wantMem: words{memBase: 0x12345678_455617F8},
		wantLL: &llRes{}, slot1: u64(memBase), wantPC: 0x7000, wantNextPC: 0x7004},

	// Failures: rt = 0, no memory access (no proof slot 1), reservation untouched.
	{name: "sc $5,1($4) / address differs only in the low bits", insn: 0xE0850001, tid: 7,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 7},
		want: regs{5: 0}},
	{name: "sc $5,0($4) / reservation held by another thread", insn: 0xE0850000, tid: 7,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 3},
		want: regs{5: 0}},
	{name: "sc $5,0($4) / after LLD (status 2)", insn: 0xE0850000, tid: 7,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: memWord}, ll: llRes{2, memBase, 7},
		want: regs{5: 0}},
	{name: "sc $5,0($4) / no reservation, thread 0 at address 0", insn: 0xE0850000, tid: 0,
		regs: regs{4: 0, 5: 0x12345678}, want: regs{5: 0}},
	{name: "sc $5,8($4) / reservation on the previous word", insn: 0xE0850008, tid: 7,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 7},
		want: regs{5: 0}},
	{name: "sc $0,0($4) / failure with rt=0 writes nothing", insn: 0xE0800000, tid: 7,
		regs: regs{4: memBase}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 3}},

	{name: "scd $5,0($4) / success stores 64 bits", insn: 0xF0850000, tid: 7,
		regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord}, ll: llRes{2, memBase, 7},
		want: regs{5: 1}, wantMem: words{memBase: storeRt}, wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "scd $5,5($4) / unaligned address equal to the LLD's", insn: 0xF0850005, tid: 7,
		regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord}, ll: llRes{2, memBase + 5, 7},
		want: regs{5: 1}, wantMem: words{memBase: storeRt}, wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "scd $5,0($4) / after LL (status 1)", insn: 0xF0850000, tid: 7,
		regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 7},
		want: regs{5: 0}},
	{name: "scd $5,4($4) / address differs in the low bits", insn: 0xF0850004, tid: 7,
		regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord}, ll: llRes{2, memBase, 7},
		want: regs{5: 0}},
	{name: "scd $5,0($4) / another thread's reservation", insn: 0xF0850000, tid: 7,
		regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord}, ll: llRes{2, memBase, 8},
		want: regs{5: 0}},

	// Clearing by ordinary stores of any thread (more in insn_mem_test.go).
	{name: "sw $5,4($4) / owner's store to the other half clears", insn: 0xAC850004, tid: 7,
		regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 7},
		wantMem: words{memBase: 0x8172A334_D1D2D3D4}, wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "sb $5,0($4) / another thread's store to the other half clears", insn: 0xA0850000, tid: 9,
		regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord}, ll: llRes{1, memBase + 7, 7},
		wantMem: words{memBase: 0xD472A334_455617F8}, wantLL: &llRes{}, slot1: u64(memBase)},
}

func TestLLSC(t *testing.T) { runISACases(t, llscCases) }

// TestLLSCSequence runs LL; ADDIU; SC; SC; LL; SC over one word: the first SC succeeds and
// clears the reservation, so the second fails; a fresh LL lets the last one succeed.
func TestLLSCSequence(t *testing.T) {
	mem := memory.New()
	mem.SetWord(0x4000, 0xC0850000_24A50001) // ll $5,0($4) ; addiu $5,$5,1
	mem.SetWord(0x4008, 0xE0850000_E0850000) // sc $5,0($4) ; sc $5,0($4)
	mem.SetWord(0x4010, 0xC0860000_E0860000) // ll $6,0($4) ; sc $6,0($4)
	mem.SetWord(memBase, 0x00000041_00000000)
	th := &Thread{ThreadID: 2, PC: 0x4000, NextPC: 0x4004}
	th.Registers[4] = memBase
	s := &State{Memory: mem, LeftThreadStack: []*Thread{th}, NextThreadID: 3}
	v := New(s, nil, nil, nil)
	step := func(n int) {
		for k := range n {
			_, err := v.Step(k%2 == 0)
			require.NoError(t, err)
		}
	}
	step(3)
	require.Equal(t, uint64(1), th.Registers[5], "first sc succeeds")
	require.Equal(t, uint64(0x00000042_00000000), mem.GetWord(memBase))
	require.Equal(t, llRes{}, llRes{s.LLReservationStatus, s.LLAddress, s.LLOwnerThread})
	step(1)
	require.Equal(t, uint64(0), th.Registers[5], "second sc fails")
	step(1)
	require.Equal(t, uint64(0x42), th.Registers[6])
	require.Equal(t, llRes{1, memBase, 2}, llRes{s.LLReservationStatus, s.LLAddress, s.LLOwnerThread})
	step(1)
	require.Equal(t, uint64(1), th.Registers[6], "sc after a fresh ll succeeds")
	require.Equal(t, uint64(0x00000042_00000000), mem.GetWord(memBase))
	require.Equal(t, uint64(0x4018), th.PC)
}

// TestReservationSurvivesPreemption: a forced preemption moves the thread but leaves the
// reservation alone (docs/spec.md §4 "One step: the scheduler", last line).
func TestReservationSurvivesPreemption(t *testing.T) {
	mem := memory.New()
	a := &Thread{ThreadID: 1, PC: 0x4000, NextPC: 0x4004}
	b := &Thread{ThreadID: 2, PC: 0x4000, NextPC: 0x4004}
	s := &State{Memory: mem, LeftThreadStack: []*Thread{a, b}, NextThreadID: 3,
		StepsSinceLastContextSwitch: SchedQuantum,
		LLReservationStatus:         1, LLAddress: memBase + 4, LLOwnerThread: 2}
	_, err := New(s, nil, nil, nil).Step(false)
	require.NoError(t, err)
	require.Equal(t, []*Thread{a}, s.LeftThreadStack)
	require.Equal(t, []*Thread{b}, s.RightThreadStack)
	require.Equal(t, llRes{1, memBase + 4, 2}, llRes{s.LLReservationStatus, s.LLAddress, s.LLOwnerThread})
}
