package vm

import (
	"fmt"
	"io"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Scheduler and layout constants (docs/spec.md §4 "One step: the scheduler" and §9.1 "Constants").
const (
	SchedQuantum   = 100_000
	ProofSize      = ThreadWitnessSize + 32 + 3*memory.ProofSize // 6090
	threadProofLen = ThreadWitnessSize + 32
)

// PreimageOracle serves pre-images by their raw (never localized) 32-byte key and receives
// complete hints written to fd 4.
type PreimageOracle interface {
	Hint(hint []byte)
	GetPreimage(key [32]byte) ([]byte, error)
}

// Witness is what the on-chain step needs to re-execute one step: the packed pre-state,
// the 6090-byte proof (active thread, inner root of its stack, three memory proof slots)
// and, when the step read fd 5, the pre-image part it read.
type Witness struct {
	State []byte // 188-byte pre-state
	Proof []byte // 6090 bytes

	HasPreimage    bool
	PreimageKey    [32]byte // raw key from the pre-state
	PreimageValue  []byte   // the pre-image data, without the 8-byte length prefix
	PreimageOffset uint64   // pre-state offset, including the 8-byte length prefix
}

// VM executes steps on a State. It is not safe for concurrent use.
type VM struct {
	state  *State
	oracle PreimageOracle
	stdout io.Writer
	stderr io.Writer

	// Witness generation for the step under way.
	proofing   bool
	pre        []byte // the packed pre-state of the last Step(true); nil after Step(false)
	proof      []byte // the proof of the witness under construction, ProofSize bytes
	slot1Used  bool
	slot1Addr  uint64
	slot2Used  bool
	preimageRd bool

	// secondStore records clock_gettime's second write (with or without proofs), so a
	// stateless replay knows to check proof slot 2 as the contract does.
	secondStoreUsed bool
	secondStoreAddr uint64
	// dataAddr records the step's data word (with or without proofs), so a stateless replay
	// checks proof slot 1 even when the word shares the instruction's leaf (slot 0 then
	// already made it readable). stateless marks a replay: it has no proof of hint bytes.
	dataUsed  bool
	dataAddr  uint64
	stateless bool

	// preStep is the step counter of the pre-state, for faults; preimageOffsetPre is the
	// pre-image offset before a fd-5 read, for the witness.
	preStep           uint64
	preimageOffsetPre uint64

	// The last pre-image fetched, so consecutive reads of one key hit the oracle once.
	cachedKey   [32]byte
	cachedValue []byte
	cachedOK    bool

	// obs watches Run for statistics and livelocks (stats.go); nil unless asked for, so the
	// plain Run loop never looks at it.
	obs *observer
}

// New wraps state in a VM. oracle may be nil for guests that read no pre-images; stdout
// and stderr may be nil to discard guest output.
func New(state *State, oracle PreimageOracle, stdout, stderr io.Writer) *VM {
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	return &VM{state: state, oracle: oracle, stdout: stdout, stderr: stderr}
}

// State returns the state the VM mutates.
func (v *VM) State() *State { return v.state }

// Step executes one step. With proof it returns the witness of the pre-state; without, the
// returned witness is nil. A guest fault returns a *Fault; the state is then undefined.
func (v *VM) Step(proof bool) (wit *Witness, err error) {
	defer func() {
		if r := recover(); r != nil {
			wit, err = nil, v.fault(FaultInternal, 0, fmt.Sprint(r))
		}
	}()
	s := v.state
	v.proofing = proof
	v.preStep = s.Step
	v.secondStoreUsed, v.dataUsed = false, false
	v.pre = nil
	if proof {
		pre := s.EncodeWitness()
		v.pre = pre[:]
		// A fresh buffer that becomes the witness's proof: no zeroing and copying of a
		// reused 6 KB array on every step.
		v.proof = make([]byte, ProofSize)
		v.slot1Used, v.slot2Used, v.preimageRd = false, false, false
	}
	if err := v.step(); err != nil {
		return nil, err
	}
	if proof {
		return v.witness(v.pre, v.proof), nil
	}
	return nil, nil
}

// witness packages a witness of the step under way from the packed pre-state and proof.
func (v *VM) witness(pre, proof []byte) *Witness {
	w := &Witness{State: pre, Proof: proof}
	if v.preimageRd {
		w.HasPreimage = true
		w.PreimageKey = v.cachedKey
		w.PreimageValue = v.cachedValue
		w.PreimageOffset = v.preimageOffsetPre
	}
	return w
}

// step is the scheduler of docs/spec.md §4 "One step: the scheduler".
func (v *VM) step() error {
	s := v.state
	if s.Exited {
		if v.proofing {
			if t := s.ActiveThread(); t != nil {
				v.writeThreadProof()
			}
		}
		// The on-chain post-check runs on the unchanged state too (MIPS64.step calls it after
		// every doStep), so an exited state with an empty active stack reverts.
		if len(s.ActiveStack()) == 0 {
			return v.fault(FaultEmptyThreadStack, 0, "exited state")
		}
		return nil
	}
	t := s.ActiveThread()
	if t == nil {
		return v.fault(FaultEmptyThreadStack, 0, "before the step")
	}
	s.Step++
	if v.proofing {
		v.writeThreadProof()
	}
	if t.Exited {
		v.popThread()
	} else if s.StepsSinceLastContextSwitch >= SchedQuantum {
		v.preemptThread()
	} else {
		s.StepsSinceLastContextSwitch++
		if err := v.execute(t); err != nil {
			return err
		}
	}
	if len(s.ActiveStack()) == 0 {
		return v.fault(FaultEmptyThreadStack, 0, "after the step")
	}
	return nil
}

// execute fetches the instruction of the active thread and dispatches it.
func (v *VM) execute(t *Thread) error {
	if t.PC&3 != 0 {
		return v.fault(FaultInvalidPC, 0, "")
	}
	word := v.state.Memory.GetWord(t.PC &^ 7)
	if v.proofing {
		v.state.Memory.ProofInto(v.proofSlot(0), t.PC&^7)
	}
	insn := uint32(word >> 32)
	if t.PC&4 != 0 {
		insn = uint32(word)
	}
	if insn>>26 == 0 && insn&0x3F == 0x0C {
		return v.execSyscall(t, insn)
	}
	return v.execInstruction(t, insn)
}

// writeThreadProof fills the thread witness and the inner root of the active stack.
func (v *VM) writeThreadProof() {
	st := v.state.ActiveStack()
	if len(st) == 0 {
		return
	}
	enc := EncodeThread(st[len(st)-1])
	copy(v.proof[:ThreadWitnessSize], enc[:])
	inner := v.state.activeRootCache().root(st[:len(st)-1])
	copy(v.proof[ThreadWitnessSize:threadProofLen], inner[:])
}

func (v *VM) setActiveStack(st []*Thread) {
	if v.state.TraverseRight {
		v.state.RightThreadStack = st
	} else {
		v.state.LeftThreadStack = st
	}
}

func (v *VM) setInactiveStack(st []*Thread) {
	if v.state.TraverseRight {
		v.state.LeftThreadStack = st
	} else {
		v.state.RightThreadStack = st
	}
}

func (v *VM) inactiveStack() []*Thread {
	if v.state.TraverseRight {
		return v.state.LeftThreadStack
	}
	return v.state.RightThreadStack
}

// popThread drops the active thread; an emptied stack flips the traversal direction.
func (v *VM) popThread() {
	st := v.state.ActiveStack()
	st[len(st)-1] = nil
	st = st[:len(st)-1]
	v.setActiveStack(st)
	if len(st) == 0 {
		v.state.TraverseRight = !v.state.TraverseRight
	}
	v.state.StepsSinceLastContextSwitch = 0
}

// preemptThread moves the active thread onto the other stack; if that empties the active
// stack the direction flips, so the moved thread is active again.
func (v *VM) preemptThread() {
	st := v.state.ActiveStack()
	t := st[len(st)-1]
	st[len(st)-1] = nil
	st = st[:len(st)-1]
	v.setActiveStack(st)
	v.setInactiveStack(append(v.inactiveStack(), t))
	if len(st) == 0 {
		v.state.TraverseRight = !v.state.TraverseRight
	}
	v.state.StepsSinceLastContextSwitch = 0
}

// pushThread puts a new thread on top of the active stack, so it runs next.
func (v *VM) pushThread(t *Thread) {
	v.setActiveStack(append(v.state.ActiveStack(), t))
	v.state.StepsSinceLastContextSwitch = 0
}

// loadWord reads the 8-byte word holding addr: the step's single data access (proof slot 1).
func (v *VM) loadWord(addr uint64) uint64 {
	a := addr &^ 7
	v.dataUsed, v.dataAddr = true, a
	if v.proofing {
		v.trackSlot1(a)
	}
	return v.state.Memory.GetWord(a)
}

// storeWord writes the 8-byte word holding addr (proof slot 1) and clears an LL reservation
// on that word (docs/spec.md §6 "LL/SC reservation").
func (v *VM) storeWord(addr, val uint64) {
	a := addr &^ 7
	v.dataUsed, v.dataAddr = true, a
	if v.proofing {
		v.trackSlot1(a)
	}
	v.state.Memory.SetWord(a, val)
	v.clearReservationAt(a)
}

// storeSecondWord is the second write of clock_gettime: proof slot 2 is taken against the
// root after the first write.
func (v *VM) storeSecondWord(addr, val uint64) {
	a := addr &^ 7
	v.secondStoreUsed, v.secondStoreAddr = true, a
	if v.proofing && !v.slot2Used {
		v.slot2Used = true
		v.state.Memory.ProofInto(v.proofSlot(2), a)
	}
	v.state.Memory.SetWord(a, val)
	v.clearReservationAt(a)
}

func (v *VM) trackSlot1(a uint64) {
	if v.slot1Used {
		if a != v.slot1Addr {
			panic(fmt.Sprintf("second data address 0x%x in one step (first 0x%x)", a, v.slot1Addr))
		}
		return
	}
	v.slot1Used, v.slot1Addr = true, a
	v.state.Memory.ProofInto(v.proofSlot(1), a)
}

// proofSlot is memory proof slot i (0 instruction, 1 data, 2 second write) of the witness.
func (v *VM) proofSlot(i int) *[memory.ProofSize]byte {
	off := threadProofLen + i*memory.ProofSize
	return (*[memory.ProofSize]byte)(v.proof[off : off+memory.ProofSize])
}

func (v *VM) clearReservationAt(a uint64) {
	s := v.state
	if a == s.LLAddress&^7 {
		s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 0, 0, 0
	}
}

// fault builds a Fault for the active thread at the pre-state step counter.
func (v *VM) fault(kind FaultKind, insn uint32, detail string) *Fault {
	f := &Fault{Kind: kind, Insn: insn, Detail: detail, Step: v.preStep}
	if t := v.state.ActiveThread(); t != nil {
		f.ThreadID, f.PC = t.ThreadID, t.PC
	}
	return f
}
