package vm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/vm/internal/keccak"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Stateless replay: one step executed from its witness alone, as the on-chain step does.
// The witness holds the 188-byte state, the active thread, the inner root of the active
// stack and up to three memory proofs; everything else (other threads, unproven memory) is
// known only by hash.
//
// The State keeps thread stacks as slices of threads, so a stack known only by its root is
// stood in for by a placeholder thread at its bottom. One step touches only the top of the
// active stack (it runs, is popped or is moved) and may push one thread, so a placeholder is
// never executed; it keeps a stack non-empty exactly when its root says it is, which is what
// the scheduler's emptiness checks and exit's "last thread" test need. The post-state's
// stack roots are then folded from the placeholder's root instead of the empty root.

// Replay is the result of ReplayWitness.
type Replay struct {
	Post   []byte  // 188-byte post-state; nil when the step failed
	Thread *Thread // the thread the step ran, popped or moved, after the step; nil if none
}

// witness proof layout (docs/spec.md §10 "The step() call").
const (
	proofSlot0 = threadProofLen
	proofSlot1 = proofSlot0 + memory.ProofSize
	proofSlot2 = proofSlot1 + memory.ProofSize
)

// DecodeWitnessState decodes a 188-byte state witness into a State whose memory is a
// partial memory with the witness's root and whose stacks are placeholders (see above).
// It rejects what the on-chain step rejects before running: an exited byte above 1.
func DecodeWitnessState(w []byte) (*State, error) {
	if len(w) != StateWitnessSize {
		return nil, fmt.Errorf("state witness is %d bytes, want %d", len(w), StateWitnessSize)
	}
	if w[98] > 1 {
		return nil, fmt.Errorf("state witness exited byte is %d, must be 0 or 1", w[98])
	}
	if w[115] > 1 {
		return nil, fmt.Errorf("state witness traverseRight byte is %d; only 0 and 1 can be represented", w[115])
	}
	s := &State{
		Memory:                      memory.NewPartial([32]byte(w[0:32])),
		PreimageKey:                 [32]byte(w[32:64]),
		PreimageOffset:              binary.BigEndian.Uint64(w[64:]),
		Heap:                        binary.BigEndian.Uint64(w[72:]),
		LLReservationStatus:         w[80],
		LLAddress:                   binary.BigEndian.Uint64(w[81:]),
		LLOwnerThread:               binary.BigEndian.Uint64(w[89:]),
		ExitCode:                    w[97],
		Exited:                      w[98] == 1,
		Step:                        binary.BigEndian.Uint64(w[99:]),
		StepsSinceLastContextSwitch: binary.BigEndian.Uint64(w[107:]),
		TraverseRight:               w[115] == 1,
		NextThreadID:                binary.BigEndian.Uint64(w[180:]),
	}
	return s, nil
}

// DecodeThread decodes a 298-byte thread witness.
func DecodeThread(b []byte) (*Thread, error) {
	if len(b) != ThreadWitnessSize {
		return nil, fmt.Errorf("thread witness is %d bytes, want %d", len(b), ThreadWitnessSize)
	}
	if b[9] > 1 {
		return nil, fmt.Errorf("thread witness exited byte is %d; only 0 and 1 can be represented", b[9])
	}
	t := &Thread{
		ThreadID: binary.BigEndian.Uint64(b[0:]),
		ExitCode: b[8],
		Exited:   b[9] == 1,
		PC:       binary.BigEndian.Uint64(b[10:]),
		NextPC:   binary.BigEndian.Uint64(b[18:]),
		LO:       binary.BigEndian.Uint64(b[26:]),
		HI:       binary.BigEndian.Uint64(b[34:]),
	}
	for i := range t.Registers {
		t.Registers[i] = binary.BigEndian.Uint64(b[42+8*i:])
	}
	return t, nil
}

// replayStacks holds the placeholders of one replay and their roots.
type replayStacks map[*Thread][32]byte

func (r replayStacks) stack(root [32]byte, top *Thread) []*Thread {
	var st []*Thread
	if root != EmptyThreadRoot {
		ph := &Thread{}
		r[ph] = root
		st = append(st, ph)
	}
	if top != nil {
		st = append(st, top)
	}
	return st
}

func (r replayStacks) root(st []*Thread) [32]byte {
	root := EmptyThreadRoot
	for i, t := range st {
		if base, ok := r[t]; ok && i == 0 {
			root = base
			continue
		}
		root = pushRoot(root, ThreadHash(t))
	}
	return root
}

// ReplayWitness executes one step from state (188 bytes) and proof (thread witness, inner
// root, memory proof slots) alone. oracle serves the pre-image the step reads, if any.
// Any failure is returned as an error: a malformed or inconsistent witness (the on-chain
// step reverts on those too), a fault of the step, or a memory access that no proof covers.
func ReplayWitness(state, proof []byte, oracle PreimageOracle) (*Replay, error) {
	s, err := DecodeWitnessState(state)
	if err != nil {
		return nil, err
	}
	left, right := [32]byte(state[116:148]), [32]byte(state[148:180])
	active, inactive := left, right
	if s.TraverseRight {
		active, inactive = right, left
	}
	ph := replayStacks{}
	var top *Thread
	if !s.Exited && active != EmptyThreadRoot {
		if len(proof) < threadProofLen {
			return nil, fmt.Errorf("proof is %d bytes, shorter than the thread witness (%d)", len(proof), threadProofLen)
		}
		if top, err = DecodeThread(proof[:ThreadWitnessSize]); err != nil {
			return nil, err
		}
		inner := [32]byte(proof[ThreadWitnessSize:threadProofLen])
		if got := pushRoot(inner, ThreadHash(top)); got != active {
			return nil, fmt.Errorf("invalid thread witness: keccak256(inner root ‖ thread hash) = 0x%x, active stack root is 0x%x", got, active)
		}
		active = inner
	}
	activeStack := ph.stack(active, top)
	inactiveStack := ph.stack(inactive, nil)
	if s.TraverseRight {
		s.RightThreadStack, s.LeftThreadStack = activeStack, inactiveStack
	} else {
		s.LeftThreadStack, s.RightThreadStack = activeStack, inactiveStack
	}
	if !s.Exited && top == nil {
		return nil, errors.New("active thread stack is empty")
	}
	return replayWithProofs(s, state, proof, ph, top, oracle)
}

// replayWithProofs runs the step, adding memory proofs as the step asks for them: slot 0 at
// the instruction; on the first unproven access, slot 1 at that address; on a second, slot 2
// (clock_gettime's second word). Each attempt restarts from the pre-state.
func replayWithProofs(s0 *State, state, proof []byte, ph replayStacks, top *Thread, oracle PreimageOracle) (*Replay, error) {
	var proofs []slotProof
	// Slot 0 holds the instruction word only when the step fetches one: not for a pop of an
	// exited thread, a forced preemption or an exited VM (their slot 0 is not part of the
	// witness, and the contract never reads it).
	fetches := top != nil && !s0.Exited && !top.Exited && s0.StepsSinceLastContextSwitch < SchedQuantum
	if fetches && top.PC&3 == 0 {
		proofs = append(proofs, slotProof{top.PC &^ 7, 0})
	}
	for attempt := 0; ; attempt++ {
		s, ran := cloneReplayState(s0, state, ph, top)
		for _, p := range proofs {
			if err := addSlotProof(s.Memory, proof, p.slot, p.addr, proofs); err != nil {
				return nil, err
			}
		}
		v := New(s, oracle, nil, nil)
		v.stateless = true
		_, stepErr := v.Step(false)
		if miss, ok := s.Memory.Missing(); ok {
			next := 1
			for _, p := range proofs {
				if p.slot >= next {
					next = p.slot + 1
				}
			}
			if next > 2 || attempt >= 3 {
				return nil, fmt.Errorf("memory access at 0x%x is outside the words the witness proves", miss)
			}
			proofs = append(proofs, slotProof{miss &^ 7, next})
			continue
		}
		if stepErr != nil {
			return nil, stepErr
		}
		if v.dataUsed && !hasSlot(proofs, 1) {
			if err := checkSlot1(proof, state, v.dataAddr); err != nil {
				return nil, err
			}
		}
		if v.secondStoreUsed {
			if err := checkSlot2(s.Memory, proof, proofs, v.secondStoreAddr); err != nil {
				return nil, err
			}
		}
		post := s.EncodeWitness()
		l, r := ph.root(s.LeftThreadStack), ph.root(s.RightThreadStack)
		copy(post[116:148], l[:])
		copy(post[148:180], r[:])
		return &Replay{Post: post[:], Thread: ran}, nil
	}
}

// hasSlot reports whether proof slot n was added to the replay.
func hasSlot(proofs []slotProof, n int) bool {
	for _, p := range proofs {
		if p.slot == n {
			return true
		}
	}
	return false
}

// checkSlot1 checks proof slot 1 at the step's data word against the pre-state root, as the
// contract does for every data access (docs/spec.md §10.2 "Proof slots"). The replay only
// adds slot 1 when the word is not readable yet; a word in the instruction's leaf was already
// made readable by slot 0, and its slot 1 must be checked all the same.
func checkSlot1(proof, state []byte, addr uint64) error {
	if len(proof) < proofSlot1+memory.ProofSize {
		return fmt.Errorf("memory access at 0x%x needs proof slot 1, but the proof is only %d bytes", addr, len(proof))
	}
	if _, err := memory.VerifyProof([32]byte(state[0:32]), addr, proof[proofSlot1:proofSlot1+memory.ProofSize]); err != nil {
		return fmt.Errorf("proof slot 1 at 0x%x (the instruction's leaf): %w", addr, err)
	}
	return nil
}

// slotProof is a memory proof slot added to a replay, at the address it proves.
type slotProof struct {
	addr uint64
	slot int
}

// cloneReplayState rebuilds the decoded state for a fresh attempt. The active thread is
// copied so a failed attempt leaves nothing behind; the copy is returned. Placeholders are
// shared: a step never mutates them.
func cloneReplayState(s0 *State, state []byte, ph replayStacks, top *Thread) (*State, *Thread) {
	s := *s0
	s.Memory = memory.NewPartial([32]byte(state[0:32]))
	var ran *Thread
	cp := func(st []*Thread) []*Thread {
		out := make([]*Thread, len(st))
		for i, t := range st {
			if t != top || top == nil {
				out[i] = t
				continue
			}
			c := *t
			ran = &c
			out[i] = ran
		}
		return out
	}
	s.LeftThreadStack, s.RightThreadStack = cp(s0.LeftThreadStack), cp(s0.RightThreadStack)
	return &s, ran
}

// addSlotProof adds proof slot `slot` for addr. Slot 2 was taken against the root after the
// step's first write (slot 1's word), so unless both words share a leaf, the one sibling of
// slot 2 that covers slot 1's leaf is replaced by its pre-write value, folded from slot 1.
func addSlotProof(m *memory.Memory, proof []byte, slot int, addr uint64, all []slotProof) error {
	start := proofSlot0 + slot*memory.ProofSize
	if len(proof) < start+memory.ProofSize {
		return fmt.Errorf("memory access at 0x%x needs proof slot %d, but the proof is only %d bytes", addr, slot, len(proof))
	}
	p := proof[start : start+memory.ProofSize]
	if slot == 2 {
		var slot1 uint64
		found := false
		for _, a := range all {
			if a.slot == 1 {
				slot1, found = a.addr, true
			}
		}
		if !found || len(proof) < proofSlot1+memory.ProofSize {
			return fmt.Errorf("proof slot 2 for 0x%x without slot 1", addr)
		}
		if slot1>>5 == addr>>5 {
			return nil // same leaf: slot 1 already made it writable
		}
		p = preWriteSlot2(p, proof[proofSlot1:proofSlot1+memory.ProofSize], slot1, addr)
	}
	if err := m.AddProof(addr, p); err != nil {
		return fmt.Errorf("proof slot %d: %w", slot, err)
	}
	return nil
}

func preWriteSlot2(p2, p1 []byte, a1, a2 uint64) []byte {
	out := append([]byte(nil), p2...)
	l1, l2 := a1>>5, a2>>5
	for lvl := 0; lvl < 59; lvl++ {
		if l1>>lvl != (l2>>lvl)^1 {
			continue
		}
		node := [32]byte(p1[:32])
		for j := 0; j < lvl; j++ {
			sib := (*[32]byte)(p1[32*(j+1) : 32*(j+2)])
			if l1>>j&1 == 0 {
				node = keccak.Pair(&node, sib)
			} else {
				node = keccak.Pair(sib, &node)
			}
		}
		copy(out[32*(lvl+1):], node[:])
		break
	}
	return out
}

// FailedStepWitness is the witness of the step that Step(true) just failed on: Step returns
// no witness with an error, but the on-chain step must be shown the same pre-state and the
// proofs gathered up to the fault to revert likewise. It is nil when the last step was
// Step(false).
func (v *VM) FailedStepWitness() *Witness {
	if v.pre == nil {
		return nil
	}
	return v.witness(bytes.Clone(v.pre), bytes.Clone(v.proof))
}

// checkSlot2 checks proof slot 2 as the contract does: against the root after the step's
// first write, i.e. the root slot 1's siblings give once its word holds the value written.
// The replay itself may not have needed slot 2 (both words in one leaf), and when it did,
// preWriteSlot2 replaced the one sibling that the first write changed without looking at it,
// so this check is what catches a slot 2 that the contract rejects.
func checkSlot2(m *memory.Memory, proof []byte, proofs []slotProof, addr2 uint64) error {
	var addr1 uint64
	found := false
	for _, p := range proofs {
		if p.slot == 1 {
			addr1, found = p.addr, true
		}
	}
	if !found {
		return fmt.Errorf("second data write at 0x%x without a first one", addr2)
	}
	if len(proof) < proofSlot2+memory.ProofSize {
		return fmt.Errorf("memory access at 0x%x needs proof slot 2, but the proof is only %d bytes", addr2, len(proof))
	}
	// The second write goes to another word, so addr1 still holds the first write's value.
	mid, err := memory.RootAfterWrite(proof[proofSlot1:proofSlot1+memory.ProofSize], addr1, m.GetWord(addr1))
	if err != nil {
		return fmt.Errorf("proof slot 1: %w", err)
	}
	if _, err := memory.VerifyProof(mid, addr2, proof[proofSlot2:proofSlot2+memory.ProofSize]); err != nil {
		return fmt.Errorf("proof slot 2 at 0x%x does not match the root after the first write (the contract reverts InvalidSecondMemoryProof): %w", addr2, err)
	}
	return nil
}
