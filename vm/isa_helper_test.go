package vm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// The instruction tests build a one-thread VM, place a single instruction at pc, run one step
// with and without proofs and compare everything observable with hand-derived literals.

// regs maps register numbers to values; words maps 8-aligned addresses to memory words.
type (
	regs  map[int]uint64
	words map[uint64]uint64
)

// llRes is an LL reservation (status, address, owner thread).
type llRes struct {
	status uint8
	addr   uint64
	owner  uint64
}

const (
	defaultPC     = 0x4000
	defaultNextPC = 0x4004
	// After any non-branch instruction at the default pc.
	defaultWantPC     = 0x4004
	defaultWantNextPC = 0x4008
)

// regFill is the pre-value of every register a case does not set (R0 stays 0), so that a
// stray write of any value, zero included, is seen.
func regFill(r int) uint64 { return 0x0BAD_0000_0000_0000 | uint64(r)<<8 | uint64(r) }

type isaCase struct {
	name string // assembly text first, then " / " and a note
	insn uint32

	// Pre-state. pc/nextPC default to 0x4000/0x4004.
	pc, nextPC uint64
	regs       regs
	hi, lo     uint64
	mem        words // besides the instruction word, which the helper merges in at pc
	tid        uint64
	ll         llRes

	// Expectations. want lists the registers that change; wantPC/wantNextPC must be given
	// whenever pc or nextPC is; wantHI/wantLO/wantLL nil mean unchanged; wantMem lists the
	// words that change (the whole word, instruction half included when it shares one).
	want               regs
	wantPC, wantNextPC uint64
	wantHI, wantLO     *uint64
	wantMem            words
	wantLL             *llRes
	fault              FaultKind // non-empty: the step must fail with this kind
	slot1              *uint64   // 8-aligned address of the data word in proof slot 1; nil: none
}

func u64(x uint64) *uint64 { return &x }

// preMemory is the pre-state memory content of c, instruction included.
func (c *isaCase) preMemory(t *testing.T) words {
	m := words{}
	for a, w := range c.mem {
		require.Zero(t, a&7, "%s: memory address 0x%x not 8-aligned", c.name, a)
		m[a] = w
	}
	pc := c.pcOrDefault()
	w := m[pc&^7]
	if pc&4 == 0 {
		w = w&0xFFFF_FFFF | uint64(c.insn)<<32
	} else {
		w = w&^0xFFFF_FFFF | uint64(c.insn)
	}
	m[pc&^7] = w
	return m
}

func (c *isaCase) pcOrDefault() uint64 {
	if c.pc == 0 && c.nextPC == 0 {
		return defaultPC
	}
	return c.pc
}

func (c *isaCase) newVM(t *testing.T) *VM {
	mem := memory.New()
	for a, w := range c.preMemory(t) {
		mem.SetWord(a, w)
	}
	th := &Thread{ThreadID: c.tid, PC: defaultPC, NextPC: defaultNextPC, HI: c.hi, LO: c.lo}
	if c.pc != 0 || c.nextPC != 0 {
		th.PC, th.NextPC = c.pc, c.nextPC
	}
	for r := 1; r < 32; r++ {
		th.Registers[r] = regFill(r)
	}
	for r, val := range c.regs {
		th.Registers[r] = val
	}
	st := &State{
		Memory:                      mem,
		PreimageKey:                 [32]byte{0x02, 0x44},
		PreimageOffset:              0x1234,
		Heap:                        0x1000_0000_0000,
		LLReservationStatus:         c.ll.status,
		LLAddress:                   c.ll.addr,
		LLOwnerThread:               c.ll.owner,
		Step:                        0x77,
		StepsSinceLastContextSwitch: 0x10,
		LeftThreadStack:             []*Thread{th},
		NextThreadID:                c.tid + 1,
	}
	return New(st, nil, nil, nil)
}

// runISACases runs every case with and without proofs.
func runISACases(t *testing.T, cases []isaCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			runISACase(t, c, false)
			runISACase(t, c, true)
		})
	}
}

func runISACase(t *testing.T, c isaCase, proof bool) {
	t.Helper()
	v := c.newVM(t)
	pre := v.state.ActiveThread()
	preRegs := pre.Registers
	wit, err := v.Step(proof)
	if c.fault != "" {
		require.Error(t, err, "proof=%v", proof)
		var f *Fault
		require.True(t, errors.As(err, &f), "proof=%v: %v is not a *Fault", proof, err)
		require.Equal(t, c.fault, f.Kind, "proof=%v: %v", proof, err)
		require.Equal(t, c.insn, f.Insn)
		checkSlot1Use(t, v, c)
		return
	}
	require.NoError(t, err, "proof=%v", proof)

	s := v.state
	require.Len(t, s.LeftThreadStack, 1)
	require.Empty(t, s.RightThreadStack)
	require.False(t, s.TraverseRight)
	th := s.LeftThreadStack[0]
	require.Same(t, pre, th)

	wantPC, wantNext := uint64(defaultWantPC), uint64(defaultWantNextPC)
	if c.pc != 0 || c.nextPC != 0 || c.wantPC != 0 || c.wantNextPC != 0 {
		require.True(t, c.wantPC != 0 && c.wantNextPC != 0, "%s: case must give wantPC and wantNextPC", c.name)
		wantPC, wantNext = c.wantPC, c.wantNextPC
	}
	require.Equal(t, hex(wantPC), hex(th.PC), "pc (proof=%v)", proof)
	require.Equal(t, hex(wantNext), hex(th.NextPC), "nextPC (proof=%v)", proof)

	wantRegs := preRegs
	for r, val := range c.want {
		wantRegs[r] = val
	}
	for r := range wantRegs {
		require.Equal(t, hex(wantRegs[r]), hex(th.Registers[r]), "R%d (proof=%v)", r, proof)
	}
	wantHI, wantLO := c.hi, c.lo
	if c.wantHI != nil {
		wantHI = *c.wantHI
	}
	if c.wantLO != nil {
		wantLO = *c.wantLO
	}
	require.Equal(t, hex(wantHI), hex(th.HI), "HI")
	require.Equal(t, hex(wantLO), hex(th.LO), "LO")
	require.Equal(t, c.tid, th.ThreadID)
	require.False(t, th.Exited)
	require.Zero(t, th.ExitCode)

	wantLL := c.ll
	if c.wantLL != nil {
		wantLL = *c.wantLL
	}
	require.Equal(t, wantLL, llRes{s.LLReservationStatus, s.LLAddress, s.LLOwnerThread}, "LL reservation")
	require.Equal(t, uint64(0x78), s.Step)
	require.Equal(t, uint64(0x11), s.StepsSinceLastContextSwitch)
	require.Equal(t, [32]byte{0x02, 0x44}, s.PreimageKey)
	require.Equal(t, uint64(0x1234), s.PreimageOffset)
	require.Equal(t, uint64(0x1000_0000_0000), s.Heap)
	require.Equal(t, c.tid+1, s.NextThreadID)
	require.False(t, s.Exited)
	require.Zero(t, s.ExitCode)

	checkMemory(t, v, c)
	checkSlot1Use(t, v, c)
	if proof {
		checkProof(t, c, wit)
	}
}

// checkMemory compares every word the case mentions and then the whole memory via its root.
func checkMemory(t *testing.T, v *VM, c isaCase) {
	t.Helper()
	want := c.preMemory(t)
	for a, w := range c.wantMem {
		want[a] = w
	}
	addrs := make([]uint64, 0, len(want))
	for a := range want {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i] < addrs[j] })
	exp := memory.New()
	for _, a := range addrs {
		require.Equal(t, hex(want[a]), hex(v.state.Memory.GetWord(a)), "memory word 0x%x", a)
		exp.SetWord(a, want[a])
	}
	require.Equal(t, exp.Root(), v.state.Memory.Root(), "memory root: a word outside the expected ones changed")
}

func checkSlot1Use(t *testing.T, v *VM, c isaCase) {
	t.Helper()
	if !v.proofing {
		return
	}
	if c.slot1 == nil {
		require.False(t, v.slot1Used, "proof slot 1 used (0x%x) but the case expects no data access", v.slot1Addr)
		return
	}
	require.True(t, v.slot1Used, "proof slot 1 unused, want 0x%x", *c.slot1)
	require.Equal(t, hex(*c.slot1), hex(v.slot1Addr), "proof slot 1 address")
}

// checkProof checks the leaves of proof slots 0 and 1 against the pre-state memory and that
// slot 2 is empty.
func checkProof(t *testing.T, c isaCase, wit *Witness) {
	t.Helper()
	require.NotNil(t, wit)
	require.Len(t, wit.Proof, ProofSize)
	pre := c.preMemory(t)
	leaf := func(addr uint64) []byte {
		var b [32]byte
		base := addr &^ 31
		for k := uint64(0); k < 4; k++ {
			binary.BigEndian.PutUint64(b[8*k:], pre[base+8*k])
		}
		return b[:]
	}
	slot := func(n int) []byte {
		off := threadProofLen + n*memory.ProofSize
		return wit.Proof[off : off+memory.ProofSize]
	}
	require.Equal(t, leaf(c.pcOrDefault()), slot(0)[:32], "slot 0 leaf")
	if c.slot1 != nil {
		require.Equal(t, leaf(*c.slot1), slot(1)[:32], "slot 1 leaf (pre-state)")
	} else {
		require.Equal(t, make([]byte, memory.ProofSize), slot(1), "slot 1 must be empty")
	}
	require.Equal(t, make([]byte, memory.ProofSize), slot(2), "slot 2 must be empty")
}

// hex makes require's diffs readable.
func hex(x uint64) string { return fmt.Sprintf("0x%016x", x) }
