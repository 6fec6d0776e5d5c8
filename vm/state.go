package vm

import (
	"encoding/binary"

	"github.com/fpvmdiff/fpvmdiff/vm/internal/keccak"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// StateVersion is the production state version whose behaviour this VM implements.
const StateVersion = 8

// StateWitnessSize is the packed size of the state witness (docs/spec.md §2.1 "State witness
// and state hash").
const StateWitnessSize = 188

// ThreadWitnessSize is the packed size of one thread (docs/spec.md §2.2 "Thread record").
const ThreadWitnessSize = 298

// VM status bytes that replace byte 0 of the state hash.
const (
	StatusValid      = 0
	StatusInvalid    = 1
	StatusPanic      = 2
	StatusUnfinished = 3
)

// Thread is one guest thread. Its packed form is the 298-byte thread witness.
type Thread struct {
	ThreadID  uint64
	ExitCode  uint8
	Exited    bool
	PC        uint64
	NextPC    uint64
	LO        uint64
	HI        uint64
	Registers [32]uint64
}

// State is the whole VM state. Thread stacks are kept as slices, bottom first; the active
// thread is the last element of the active stack. Their hash-onion roots are derived on demand.
type State struct {
	Memory *memory.Memory

	PreimageKey    [32]byte
	PreimageOffset uint64
	Heap           uint64

	LLReservationStatus uint8
	LLAddress           uint64
	LLOwnerThread       uint64

	ExitCode uint8
	Exited   bool

	Step                        uint64
	StepsSinceLastContextSwitch uint64

	TraverseRight    bool
	LeftThreadStack  []*Thread
	RightThreadStack []*Thread
	NextThreadID     uint64

	// LastHint buffers an incomplete hint written to fd 4; it is not part of the witness.
	LastHint []byte

	// roots caches thread hashes and stack roots between steps (see stack_cache.go).
	roots *rootCache
}

// EncodeThread packs t into its 298-byte witness form.
func EncodeThread(t *Thread) [ThreadWitnessSize]byte {
	var out [ThreadWitnessSize]byte
	binary.BigEndian.PutUint64(out[0:], t.ThreadID)
	out[8] = t.ExitCode
	out[9] = boolByte(t.Exited)
	binary.BigEndian.PutUint64(out[10:], t.PC)
	binary.BigEndian.PutUint64(out[18:], t.NextPC)
	binary.BigEndian.PutUint64(out[26:], t.LO)
	binary.BigEndian.PutUint64(out[34:], t.HI)
	for i, r := range t.Registers {
		binary.BigEndian.PutUint64(out[42+8*i:], r)
	}
	return out
}

// ThreadHash is keccak256 of the packed thread.
func ThreadHash(t *Thread) [32]byte {
	enc := EncodeThread(t)
	return keccak.Sum256(enc[:])
}

// EmptyThreadRoot is the root of an empty thread stack: keccak256 of 64 zero bytes.
var EmptyThreadRoot = keccak.Sum256(make([]byte, 64))

// ThreadStackRoot folds a stack (bottom first) into its hash-onion root.
func ThreadStackRoot(stack []*Thread) [32]byte {
	root := EmptyThreadRoot
	for _, t := range stack {
		root = pushRoot(root, ThreadHash(t))
	}
	return root
}

func pushRoot(root, threadHash [32]byte) [32]byte {
	return keccak.Pair(&root, &threadHash)
}

// ActiveStack returns the stack the scheduler is currently traversing.
func (s *State) ActiveStack() []*Thread {
	if s.TraverseRight {
		return s.RightThreadStack
	}
	return s.LeftThreadStack
}

// ActiveThread is the top of the active stack, or nil when that stack is empty.
func (s *State) ActiveThread() *Thread {
	st := s.ActiveStack()
	if len(st) == 0 {
		return nil
	}
	return st[len(st)-1]
}

// ThreadCount is the number of threads on both stacks.
func (s *State) ThreadCount() int {
	return len(s.LeftThreadStack) + len(s.RightThreadStack)
}

// EncodeWitness packs the state into the 188-byte witness (docs/spec.md §2.1 "State witness
// and state hash").
func (s *State) EncodeWitness() [StateWitnessSize]byte {
	var out [StateWitnessSize]byte
	root := s.Memory.Root()
	copy(out[0:32], root[:])
	copy(out[32:64], s.PreimageKey[:])
	binary.BigEndian.PutUint64(out[64:], s.PreimageOffset)
	binary.BigEndian.PutUint64(out[72:], s.Heap)
	out[80] = s.LLReservationStatus
	binary.BigEndian.PutUint64(out[81:], s.LLAddress)
	binary.BigEndian.PutUint64(out[89:], s.LLOwnerThread)
	out[97] = s.ExitCode
	out[98] = boolByte(s.Exited)
	binary.BigEndian.PutUint64(out[99:], s.Step)
	binary.BigEndian.PutUint64(out[107:], s.StepsSinceLastContextSwitch)
	out[115] = boolByte(s.TraverseRight)
	c := s.rootCache()
	left := c.left.root(s.LeftThreadStack)
	right := c.right.root(s.RightThreadStack)
	copy(out[116:148], left[:])
	copy(out[148:180], right[:])
	binary.BigEndian.PutUint64(out[180:], s.NextThreadID)
	return out
}

// StateHash is the status-tagged hash of a packed state witness (docs/spec.md §2.1 "State
// witness and state hash").
func StateHash(witness []byte) [32]byte {
	h := keccak.Sum256(witness)
	h[0] = StatusOf(witness[98] != 0, witness[97])
	return h
}

// StatusOf maps exited/exitCode to the VM status byte.
func StatusOf(exited bool, exitCode uint8) byte {
	if !exited {
		return StatusUnfinished
	}
	switch exitCode {
	case 0:
		return StatusValid
	case 1:
		return StatusInvalid
	default:
		return StatusPanic
	}
}

// Hash is the status-tagged hash of the state.
func (s *State) Hash() [32]byte {
	w := s.EncodeWitness()
	return StateHash(w[:])
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
