package cannon

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/ethereum-optimism/optimism/cannon/mipsevm/arch"
	"github.com/ethereum-optimism/optimism/cannon/mipsevm/memory"
	"github.com/ethereum-optimism/optimism/cannon/mipsevm/multithreaded"

	"github.com/fpvmdiff/fpvmdiff/check"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// Sizes of the witness parts (docs/spec.md "Witness"), the same for both VMs.
const (
	stateSize       = multithreaded.STATE_WITNESS_SIZE
	threadSize      = multithreaded.SERIALIZED_THREAD_SIZE
	threadProofSize = multithreaded.THREAD_WITNESS_SIZE
	memProofSize    = arch.MemProofSize
	proofSize       = threadProofSize + 3*memProofSize
	lengthPrefix    = 8 // production's pre-image value starts with its big-endian length
)

// VM is the production multithreaded VM behind check.VM.
type VM struct {
	s *multithreaded.State
	m *multithreaded.InstrumentedState
	// stepped is the thread the last Step ran (production changes its registers in place).
	stepped *multithreaded.ThreadState
	// insnPage caches the page holding the last PC View read, so View's instruction fetch
	// skips production's region scan and page map. Pages are never freed or moved, and a
	// write changes a page's data in place, so a cached page stays current.
	insnPage    *memory.CachedPage
	insnPageIdx uint64
}

var _ check.VM = (*VM)(nil)

// Inner is the production state, for tests that perturb it on purpose.
func (p *VM) Inner() *multithreaded.State { return p.s }

// active is the top of the active thread stack, nil when that stack is empty (production's
// own accessor panics then).
func (p *VM) active() *multithreaded.ThreadState {
	st := p.s.LeftThreadStack
	if p.s.TraverseRight {
		st = p.s.RightThreadStack
	}
	if len(st) == 0 {
		return nil
	}
	return st[len(st)-1]
}

// fault builds the fault of a step that panicked. Production has already advanced the step
// counter by then, so the pre-state's counter and thread come from the caller.
func (p *VM) fault(r any, step uint64, t *multithreaded.ThreadState) *fpvm.Fault {
	var id, pc uint64
	var insn uint32
	if t != nil {
		id, pc = t.ThreadId, t.Cpu.PC
		if pc&3 == 0 {
			insn = insnAt(p.s.Memory.GetWord(pc&^7), pc)
		}
	}
	return faultFromPanic(r, step, id, pc, insn)
}

func insnAt(word, pc uint64) uint32 {
	if pc&4 != 0 {
		return uint32(word)
	}
	return uint32(word >> 32)
}

func (p *VM) Step(witness bool) (w *check.Witness, err error) {
	var snap *snapshot
	if witness {
		snap = p.snapshot()
	}
	step, t := p.s.Step, p.active()
	p.stepped = t
	defer func() {
		if r := recover(); r != nil {
			err = p.fault(r, step, t)
			if snap != nil {
				w = p.failedWitness(snap)
			}
		}
	}()
	sw, err := p.m.Step(witness)
	if err != nil {
		return nil, fmt.Errorf("production VM at step %d: %w", step, err)
	}
	if !witness {
		return nil, nil
	}
	if len(sw.State) != stateSize || len(sw.ProofData) != proofSize {
		return nil, fmt.Errorf("production VM at step %d: witness of %d+%d bytes, want %d+%d", step, len(sw.State), len(sw.ProofData), stateSize, proofSize)
	}
	w = &check.Witness{State: sw.State, Proof: sw.ProofData}
	// LastPreimage's offset is all ones unless this step read the pre-image (production
	// resets it before every step), which tells a read apart even for an all-zero key.
	key, value, off := p.m.LastPreimage()
	if off != ^uint64(0) {
		if len(value) < lengthPrefix {
			return nil, fmt.Errorf("production VM at step %d: pre-image value of %d bytes has no length prefix", step, len(value))
		}
		// Production keeps the 8-byte length prefix on the value; our convention drops it
		// and keeps the offset counting it (the offset is the pre-state's).
		w.HasPreimage, w.PreimageKey, w.PreimageValue, w.PreimageOffset = true, key, value[lengthPrefix:], off
	}
	return w, nil
}

func (p *VM) Run(n uint64) (done uint64, err error) {
	var step uint64
	var t *multithreaded.ThreadState
	defer func() {
		if r := recover(); r != nil {
			err = p.fault(r, step, t)
		}
	}()
	for done < n && !p.s.Exited {
		step, t = p.s.Step, p.active()
		if _, err := p.m.Step(false); err != nil {
			return done, fmt.Errorf("production VM at step %d: %w", step, err)
		}
		done++
	}
	return done, nil
}

func (p *VM) View(v *check.View) {
	// Field by field rather than a composite literal: View runs twice per lockstep step,
	// and a literal would clear the whole struct (registers included) before filling it.
	s := p.s
	v.Step, v.StepsSinceLastContextSwitch, v.Exited, v.ExitCode = s.Step, s.StepsSinceLastContextSwitch, s.Exited, s.ExitCode
	v.Heap, v.LLReservationStatus, v.LLAddress, v.LLOwnerThread = s.Heap, uint8(s.LLReservationStatus), s.LLAddress, s.LLOwnerThread
	v.PreimageKey, v.PreimageOffset = s.PreimageKey, s.PreimageOffset
	v.Threads = len(s.LeftThreadStack) + len(s.RightThreadStack)
	t := p.active()
	if t == nil {
		v.HasThread, v.ThreadID, v.ThreadExited = false, 0, false
		v.PC, v.NextPC, v.LO, v.HI, v.Regs, v.Insn = 0, 0, 0, 0, [32]uint64{}, 0
		return
	}
	v.HasThread, v.ThreadID, v.ThreadExited = true, t.ThreadId, t.Exited
	v.PC, v.NextPC, v.LO, v.HI, v.Regs = t.Cpu.PC, t.Cpu.NextPC, t.Cpu.LO, t.Cpu.HI, t.Registers
	v.Insn = 0
	if pc := t.Cpu.PC; pc&3 == 0 {
		v.Insn = insnAt(p.wordAt(pc&^7), pc)
	}
}

// wordAt reads an aligned word through the page cache of View.
func (p *VM) wordAt(addr uint64) uint64 {
	idx := addr >> memory.PageAddrSize
	if p.insnPage == nil || idx != p.insnPageIdx {
		pg, ok := p.s.Memory.PageLookup(idx)
		if !ok {
			return 0 // not allocated yet: reads as zero; not cached, a write may allocate it
		}
		p.insnPage, p.insnPageIdx = pg, idx
	}
	off := addr & memory.PageAddrMask
	return binary.BigEndian.Uint64(p.insnPage.Data[off : off+8])
}

func (p *VM) ReadWord(addr uint64) uint64 { return p.s.Memory.GetWord(addr &^ 7) }

func (p *VM) EncodeState() []byte {
	b, _ := p.s.EncodeWitness()
	return b
}

func (p *VM) EncodeSteppedThread() []byte {
	if p.stepped == nil {
		return nil
	}
	// Serialize writes exactly the packed thread of the thread proof (production's comment
	// and TestSteppedThreadMatchesProof), without hashing the rest of the stack.
	var b bytes.Buffer
	if err := p.stepped.Serialize(&b); err != nil || b.Len() != threadSize {
		return nil
	}
	return b.Bytes()
}
