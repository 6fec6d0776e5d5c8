package vm

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Stateless replay must give, from the witness alone, the post-state the full VM computes.
// Each case runs one step on a full state (with proofs), then replays the witness.

type replayCase struct {
	name   string
	insn   uint32
	regs   map[int]uint64
	mem    map[uint64]uint64
	stacks func(s *State, t *Thread) // arranges other threads; nil: single thread
	exited bool
	oracle PreimageOracle
}

const rpPC = 0x1_0000

func replayState(c replayCase) *State {
	m := memory.New()
	word := uint64(c.insn) << 32 // pc is 8-aligned: the instruction is the upper half
	m.SetWord(rpPC, word)
	for a, v := range c.mem {
		m.SetWord(a, v)
	}
	t := &Thread{ThreadID: 7, PC: rpPC, NextPC: rpPC + 4}
	for r, v := range c.regs {
		t.Registers[r] = v
	}
	s := &State{Memory: m, Heap: 0x2000_0000, NextThreadID: 20, Step: 41, LeftThreadStack: []*Thread{t}}
	if c.stacks != nil {
		c.stacks(s, t)
	}
	s.Exited = c.exited
	return s
}

func TestReplayWitness_MatchesFullStep(t *testing.T) {
	other := func(id uint64) *Thread { return &Thread{ThreadID: id, PC: 0x8000, NextPC: 0x8004} }
	cases := []replayCase{
		{name: "addiu", insn: 0x24080005},
		{name: "ld 8($sp) from another leaf", insn: 0xDFA90008, regs: map[int]uint64{29: 0x7000_0000}, mem: map[uint64]uint64{0x7000_0008: 0x1122334455667788}},
		{name: "sd to an unallocated page", insn: 0xFFA80000, regs: map[int]uint64{8: 0xCAFE, 29: 0x9000_0000}},
		{name: "clock_gettime, words in two leaves", insn: 0xC, regs: map[int]uint64{2: 5222, 4: 1, 5: 0x7000_0018}},
		{name: "clock_gettime, words in one leaf", insn: 0xC, regs: map[int]uint64{2: 5222, 4: 1, 5: 0x7000_0000}},
		{name: "sched_yield with both stacks populated", insn: 0xC, regs: map[int]uint64{2: 5023},
			stacks: func(s *State, t *Thread) {
				s.LeftThreadStack = []*Thread{other(1), other(2), t}
				s.RightThreadStack = []*Thread{other(3)}
			}},
		{name: "sched_yield, single thread flips", insn: 0xC, regs: map[int]uint64{2: 5023}},
		{name: "exit with another thread below", insn: 0xC, regs: map[int]uint64{2: 5058, 4: 3},
			stacks: func(s *State, t *Thread) { s.LeftThreadStack = []*Thread{other(1), t} }},
		{name: "exit as the last thread", insn: 0xC, regs: map[int]uint64{2: 5058, 4: 3}},
		{name: "pop an exited thread, stack empties, traversal flips", insn: 0,
			stacks: func(s *State, t *Thread) {
				t.Exited = true
				s.RightThreadStack = []*Thread{other(3)}
			}},
		{name: "clone pushes a thread", insn: 0xC, regs: map[int]uint64{2: 5055, 4: 0x50F00, 5: 0x6000},
			stacks: func(s *State, t *Thread) { s.RightThreadStack = []*Thread{other(3)} }},
		{name: "exited VM", insn: 0, exited: true},
		// No instruction is fetched, so the witness has no slot 0 (found by FuzzWitnessReplay).
		{name: "forced preemption", insn: 0x24080005,
			stacks: func(s *State, t *Thread) { s.StepsSinceLastContextSwitch = SchedQuantum }},
		// The hint bytes are not in the witness (the contract does not read them): found by
		// tamper mode, the replay used to ask for a proof of them.
		{name: "write to the hint fd", insn: 0xC, regs: map[int]uint64{2: 5001, 4: 4, 5: 0x7000_0000, 6: 6},
			mem: map[uint64]uint64{0x7000_0000: 0x0000_0002_AABB_0000}},
		{name: "ld from the instruction's own leaf", insn: 0xDFA90008, regs: map[int]uint64{29: rpPC}, mem: map[uint64]uint64{rpPC + 8: 0x1122334455667788}},
		{name: "preimage read", insn: 0xC, regs: map[int]uint64{2: 5000, 4: 5, 5: 0x7000_0003, 6: 4},
			oracle: func() PreimageOracle {
				m := NewPreimageMap()
				m.Add([32]byte{}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
				return m
			}()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			full := replayState(c)
			if c.name == "preimage read" {
				full.PreimageOffset = 9
			}
			wit, err := New(full, c.oracle, nil, nil).Step(true)
			require.NoError(t, err)
			want := full.EncodeWitness()

			rep, err := ReplayWitness(wit.State, wit.Proof, c.oracle)
			require.NoError(t, err)
			require.Equal(t, want[:], rep.Post)
		})
	}
}

func TestReplayWitness_Failures(t *testing.T) {
	s := replayState(replayCase{insn: 0xFFA80000, regs: map[int]uint64{8: 1, 29: 0x9000_0000}})
	wit, err := New(s, nil, nil, nil).Step(true)
	require.NoError(t, err)

	t.Run("missing data proof slot", func(t *testing.T) {
		_, err := ReplayWitness(wit.State, wit.Proof[:threadProofLen+memory.ProofSize], nil)
		require.ErrorContains(t, err, "needs proof slot 1")
	})
	t.Run("data proof for another root", func(t *testing.T) {
		p := append([]byte(nil), wit.Proof...)
		p[proofSlot1+40] ^= 1
		_, err := ReplayWitness(wit.State, p, nil)
		require.ErrorContains(t, err, "proof slot 1")
	})
	t.Run("tampered thread witness", func(t *testing.T) {
		p := append([]byte(nil), wit.Proof...)
		p[50] ^= 1
		_, err := ReplayWitness(wit.State, p, nil)
		require.ErrorContains(t, err, "invalid thread witness")
	})
	t.Run("exited byte 2", func(t *testing.T) {
		st := append([]byte(nil), wit.State...)
		st[98] = 2
		_, err := ReplayWitness(st, wit.Proof, nil)
		require.ErrorContains(t, err, "exited byte is 2")
	})
	t.Run("short state", func(t *testing.T) {
		_, err := ReplayWitness(wit.State[:100], wit.Proof, nil)
		require.ErrorContains(t, err, "state witness is 100 bytes")
	})
	t.Run("step counter is taken from the witness", func(t *testing.T) {
		rep, err := ReplayWitness(wit.State, wit.Proof, nil)
		require.NoError(t, err)
		require.Equal(t, uint64(42), binary.BigEndian.Uint64(rep.Post[99:]))
	})
}

func TestFailedStepWitness_HasTheProofsOfTheFault(t *testing.T) {
	// 0xBFA00000 is CACHE 0($sp) (opcode 0x2F): invalid, but its data word is read first, so the
	// witness must carry proof slot 1 for R[rs]+imm = 0x7000_0000.
	s := replayState(replayCase{insn: 0xBFA00000, regs: map[int]uint64{29: 0x7000_0000}})
	pre := s.EncodeWitness()
	v := New(s, nil, nil, nil)
	_, err := v.Step(true)
	require.Error(t, err)
	w := v.FailedStepWitness()
	require.Equal(t, pre[:], w.State)
	full := replayState(replayCase{insn: 0xBFA00000, regs: map[int]uint64{29: 0x7000_0000}})
	wantSlot1 := full.Memory.Proof(0x7000_0000)
	require.Equal(t, wantSlot1[:], w.Proof[proofSlot1:proofSlot2])
	wantSlot0 := full.Memory.Proof(rpPC)
	require.Equal(t, wantSlot0[:], w.Proof[proofSlot0:proofSlot1])

	_, err = ReplayWitness(w.State, w.Proof, nil)
	require.ErrorContains(t, err, "invalid instruction")

	// A step without proofs that fails after one with proofs succeeded leaves no witness to
	// give (not the earlier step's pre-state): ADDIU, then CACHE at pc+4.
	v = New(replayState(replayCase{insn: 0x24080005, mem: map[uint64]uint64{rpPC: 0x24080005<<32 | 0xBFA00000}}), nil, nil, nil)
	_, err = v.Step(true)
	require.NoError(t, err)
	_, err = v.Step(false)
	require.Error(t, err)
	require.Nil(t, v.FailedStepWitness())
}

// Proof slot 2 must match the root after clock_gettime's first write, as the contract
// checks it (InvalidSecondMemoryProof), whether or not the replay needs slot 2 to write.
func TestReplayWitness_CorruptSecondClockProof(t *testing.T) {
	for _, c := range []struct {
		name string
		addr uint64
		byte int // offset inside slot 2 to flip
	}{
		{"words in one leaf, a high sibling", 0x7000_0000, 32 * 29},
		{"words in one leaf, the leaf itself", 0x7000_0000, 3},
		// 0x7000_0018 and 0x7000_0020 are sibling leaves: slot 2's lowest sibling is slot 1's
		// leaf after the first write, the one node the first write changed.
		{"words in two leaves, the sibling the first write changed", 0x7000_0018, 32 + 5},
		{"words in two leaves, a high sibling", 0x7000_0018, 32 * 40},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := replayState(replayCase{insn: 0xC, regs: map[int]uint64{2: 5222, 4: 1, 5: c.addr}})
			wit, err := New(s, nil, nil, nil).Step(true)
			require.NoError(t, err)
			_, err = ReplayWitness(wit.State, wit.Proof, nil)
			require.NoError(t, err, "the honest witness replays")

			p := append([]byte(nil), wit.Proof...)
			p[proofSlot2+c.byte] ^= 0x40
			_, err = ReplayWitness(wit.State, p, nil)
			require.ErrorContains(t, err, "proof slot 2")
		})
	}
}

// A data word in the instruction's own 32-byte leaf is readable from slot 0 alone, but the
// contract verifies slot 1 for it all the same (docs/spec.md §10.2 "Proof slots"), so the
// replay must reject a corrupted slot 1 there too (found by tamper mode: it did not).
func TestReplayWitness_CorruptSlot1InTheInstructionLeaf(t *testing.T) {
	for _, c := range []struct {
		name string
		insn uint32
		byte int // offset inside slot 1 to flip
	}{
		{"ld, the leaf", 0xDFA90008, 5},
		{"ld, a high sibling", 0xDFA90008, 32 * 30},
		{"sd, the leaf", 0xFFA80010, 20},
		{"sd, the lowest sibling", 0xFFA80010, 32 + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := replayState(replayCase{insn: c.insn, regs: map[int]uint64{8: 0xCAFE, 29: rpPC}, mem: map[uint64]uint64{rpPC + 8: 0x1122334455667788}})
			wit, err := New(s, nil, nil, nil).Step(true)
			require.NoError(t, err)
			_, err = ReplayWitness(wit.State, wit.Proof, nil)
			require.NoError(t, err, "the honest witness replays")

			p := append([]byte(nil), wit.Proof...)
			p[proofSlot1+c.byte] ^= 0x10
			_, err = ReplayWitness(wit.State, p, nil)
			require.ErrorContains(t, err, "proof slot 1")
		})
	}
}
