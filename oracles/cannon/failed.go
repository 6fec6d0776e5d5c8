package cannon

import (
	"github.com/ethereum-optimism/optimism/cannon/mipsevm/multithreaded"

	"github.com/fpvmdiff/fpvmdiff/check"
)

// A production step that faults panics after it has advanced the step counter (and maybe
// the scheduler), and its Step then returns no witness. The check still needs the failing
// step's witness, to show the contract the same pre-state so that it reverts too. So a
// Step with witness snapshots the scalars and the active thread first (a few hundred bytes,
// beside the tens of microseconds a witness costs), and on a fault restores them and packs
// the pre-state, thread proof and instruction proof. Memory is not restored: no production
// fault happens after a memory write of its step. The two data slots are left zero, as our
// VM leaves slots a step did not reach.
type snapshot struct {
	step, sinceSwitch, heap, llAddr, llOwner, preimageOffset, nextID uint64
	llStatus                                                         multithreaded.LLReservationStatus
	exitCode                                                         uint8
	exited, traverseRight                                            bool
	preimageKey                                                      [32]byte
	left, right                                                      []*multithreaded.ThreadState
	thread                                                           *multithreaded.ThreadState
	threadVal                                                        multithreaded.ThreadState
}

func (p *VM) snapshot() *snapshot {
	s := p.s
	sn := &snapshot{step: s.Step, sinceSwitch: s.StepsSinceLastContextSwitch, heap: s.Heap, llAddr: s.LLAddress,
		llOwner: s.LLOwnerThread, preimageOffset: s.PreimageOffset, nextID: s.NextThreadId, llStatus: s.LLReservationStatus,
		exitCode: s.ExitCode, exited: s.Exited, traverseRight: s.TraverseRight, preimageKey: s.PreimageKey,
		left: s.LeftThreadStack, right: s.RightThreadStack, thread: p.active()}
	if sn.thread != nil {
		sn.threadVal = *sn.thread
	}
	return sn
}

func (p *VM) failedWitness(sn *snapshot) (w *check.Witness) {
	s := p.s
	s.Step, s.StepsSinceLastContextSwitch, s.Heap, s.LLAddress = sn.step, sn.sinceSwitch, sn.heap, sn.llAddr
	s.LLOwnerThread, s.PreimageOffset, s.NextThreadId, s.LLReservationStatus = sn.llOwner, sn.preimageOffset, sn.nextID, sn.llStatus
	s.ExitCode, s.Exited, s.TraverseRight, s.PreimageKey = sn.exitCode, sn.exited, sn.traverseRight, sn.preimageKey
	s.LeftThreadStack, s.RightThreadStack = sn.left, sn.right
	if sn.thread == nil {
		return nil // production cannot pack a thread proof without an active thread
	}
	*sn.thread = sn.threadVal
	defer func() {
		if recover() != nil {
			w = nil
		}
	}()
	state, _ := s.EncodeWitness()
	proof := make([]byte, proofSize)
	copy(proof, s.EncodeThreadProof())
	if pc := sn.threadVal.Cpu.PC; pc&3 == 0 {
		insnProof := s.Memory.MerkleProof(pc)
		copy(proof[threadProofSize:], insnProof[:])
	}
	return &check.Witness{State: state, Proof: proof}
}
