package check

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// ruleWitness builds a witness by hand: a running VM whose left stack is active (its root is
// not checked by the rule), a thread at pc 0x1000 executing insn, with registers regs.
func ruleWitness(insn uint32, regs map[int]uint64, edit func(state, proof []byte)) (state, proof []byte) {
	state = make([]byte, StateSize)
	proof = make([]byte, fullProofSize)
	state[116] = 1 // a left stack root that is not the empty root
	th := proof[:ThreadSize]
	binary.BigEndian.PutUint64(th[0:], 1) // thread id
	binary.BigEndian.PutUint64(th[10:], 0x1000)
	binary.BigEndian.PutUint64(th[18:], 0x1004)
	for r, v := range regs {
		binary.BigEndian.PutUint64(th[42+8*r:], v)
	}
	// pc 0x1000 is the upper half of the first word of its leaf.
	binary.BigEndian.PutUint32(proof[proofSlots:], insn)
	if edit != nil {
		edit(state, proof)
	}
	return state, proof
}

// TestStepUseRule: the rule's verdicts, derived by hand from docs/spec.md §5.1 "Decoding and
// common rules", §4 "One step: the scheduler", §7 "Syscalls" and §6 "LL/SC reservation".
func TestStepUseRule(t *testing.T) {
	const (
		lw     = 0x8C820000 // lw v0, 0(a0)
		sw     = 0xAC820000 // sw v0, 0(a0)
		ldl    = 0x68820000 // ldl v0, 0(a0)
		pref   = 0xCC800000 // pref (invalid, op 0x33): reads the word first
		addiu  = 0x24420001 // addiu v0, v0, 1
		ll     = 0xC0820000 // ll v0, 0(a0)
		lld    = 0xD0820000 // lld v0, 0(a0)
		sc     = 0xE0820000 // sc v0, 0(a0)
		scd    = 0xF0820000 // scd v0, 0(a0)
		beq    = 0x10000001
		jal    = 0x0C000400
		syscal = 0x0000000C
	)
	reservation := func(status byte, addr, owner uint64) func(state, proof []byte) {
		return func(state, _ []byte) {
			state[80] = status
			binary.BigEndian.PutUint64(state[81:], addr)
			binary.BigEndian.PutUint64(state[89:], owner)
		}
	}
	tests := []struct {
		name   string
		insn   uint32
		regs   map[int]uint64
		edit   func(state, proof []byte)
		kind   string
		thread bool
		slots  [3]bool
	}{
		{"alu", addiu, nil, nil, "alu", true, [3]bool{true, false, false}},
		{"branch", beq, nil, nil, "branch", true, [3]bool{true, false, false}},
		{"jump", jal, nil, nil, "jump", true, [3]bool{true, false, false}},
		{"load", lw, map[int]uint64{4: 0x2000}, nil, "load", true, [3]bool{true, true, false}},
		{"ldl", ldl, nil, nil, "load", true, [3]bool{true, true, false}},
		{"store", sw, nil, nil, "store", true, [3]bool{true, true, false}},
		{"invalid op >= 0x20 reads first", pref, nil, nil, "invalid-mem-op", true, [3]bool{true, true, false}},
		{"ll", ll, nil, nil, "ll", true, [3]bool{true, true, false}},
		{"lld", lld, nil, nil, "lld", true, [3]bool{true, true, false}},
		{"sc succeeds", sc, map[int]uint64{4: 0x2000}, reservation(1, 0x2000, 1), "sc", true, [3]bool{true, true, false}},
		{"scd succeeds", scd, map[int]uint64{4: 0x2000}, reservation(2, 0x2000, 1), "scd", true, [3]bool{true, true, false}},
		{"sc other owner", sc, map[int]uint64{4: 0x2000}, reservation(1, 0x2000, 2), "sc-fail", true, [3]bool{true, false, false}},
		{"sc other address", sc, map[int]uint64{4: 0x2004}, reservation(1, 0x2000, 1), "sc-fail", true, [3]bool{true, false, false}},
		{"sc after lld", sc, map[int]uint64{4: 0x2000}, reservation(2, 0x2000, 1), "sc-fail", true, [3]bool{true, false, false}},
		{"futex wait", syscal, map[int]uint64{2: 5194, 5: 128}, nil, "futex-wait", true, [3]bool{true, true, false}},
		{"futex wake", syscal, map[int]uint64{2: 5194, 5: 129}, nil, "futex", true, [3]bool{true, false, false}},
		{"pre-image key write", syscal, map[int]uint64{2: 5001, 4: 6}, nil, "preimage-key-write", true, [3]bool{true, true, false}},
		{"stdout write", syscal, map[int]uint64{2: 5001, 4: 1}, nil, "write", true, [3]bool{true, false, false}},
		{"pre-image read", syscal, map[int]uint64{2: 5000, 4: 5}, nil, "preimage-read", true, [3]bool{true, true, false}},
		{"stdin read", syscal, map[int]uint64{2: 5000, 4: 0}, nil, "read", true, [3]bool{true, false, false}},
		{"clock_gettime monotonic", syscal, map[int]uint64{2: 5222, 4: 1}, nil, "clock_gettime", true, [3]bool{true, true, true}},
		{"clock_gettime realtime", syscal, map[int]uint64{2: 5222, 4: 0}, nil, "clock_gettime", true, [3]bool{true, true, true}},
		{"clock_gettime EINVAL", syscal, map[int]uint64{2: 5222, 4: 2}, nil, "clock_gettime-einval", true, [3]bool{true, false, false}},
		{"getrandom", syscal, map[int]uint64{2: 5313}, nil, "getrandom", true, [3]bool{true, true, false}},
		{"mmap", syscal, map[int]uint64{2: 5009}, nil, "syscall", true, [3]bool{true, false, false}},
		{"misaligned pc", addiu, nil, func(_, p []byte) { binary.BigEndian.PutUint64(p[10:], 0x1002) }, "invalid-pc", true, [3]bool{}},
		{"thread exited: pop", addiu, nil, func(_, p []byte) { p[9] = 1 }, "pop", true, [3]bool{}},
		{"quantum used up", addiu, nil, func(s, _ []byte) { binary.BigEndian.PutUint64(s[107:], 100_000) }, "preempt", true, [3]bool{}},
		{"one step before the quantum", addiu, nil, func(s, _ []byte) { binary.BigEndian.PutUint64(s[107:], 99_999) }, "alu", true, [3]bool{true, false, false}},
		{"VM exited", lw, nil, func(s, _ []byte) { s[98] = 1 }, "exited", false, [3]bool{}},
		{"exited byte 2", lw, nil, func(s, _ []byte) { s[98] = 2 }, "invalid-exited", false, [3]bool{}},
		{"active stack empty", lw, nil, func(s, _ []byte) { copy(s[116:148], emptyThreadRoot[:]) }, "empty-stack", false, [3]bool{}},
		{"right stack active", lw, nil, func(s, _ []byte) { s[115] = 1; copy(s[148:180], emptyThreadRoot[:]) }, "empty-stack", false, [3]bool{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			state, proof := ruleWitness(tc.insn, tc.regs, tc.edit)
			u := StepUseOf(state, proof)
			require.Equal(t, StepUse{Kind: tc.kind, Thread: tc.thread, Slots: tc.slots}, u)
		})
	}
}

// TestPick: the first and the last word are always chosen, and the choice is reproducible.
func TestPick(t *testing.T) {
	rng := func() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
	got := pick(60, 5, rng())
	require.Len(t, got, 5)
	require.Equal(t, 0, got[0])
	require.Equal(t, 59, got[4])
	require.Equal(t, got, pick(60, 5, rng()))
	require.Len(t, pick(60, 0, rng()), 60)
	require.Len(t, pickAny(10, 3, rng()), 3)
	require.Len(t, pickAny(2, 3, rng()), 2)
}
