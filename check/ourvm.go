package check

import (
	"io"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// OurVM opens a guest on our Go VM (vm/). It is the default Open.
func OurVM(elf []byte, pre *fpvm.PreimageMap, stdout, stderr io.Writer) (VM, error) {
	st, err := fpvm.Load(elf)
	if err != nil {
		return nil, err
	}
	var oracle fpvm.PreimageOracle = fpvm.NewPreimageMap()
	if pre != nil {
		oracle = pre
	}
	return &ourVM{v: fpvm.New(st, oracle, stdout, stderr), s: st}, nil
}

// ourVM adapts *vm.VM to VM.
type ourVM struct {
	v *fpvm.VM
	s *fpvm.State
	// stepped is the thread the last Step ran (its registers change in place).
	stepped *fpvm.Thread
}

// Inner is our VM itself, for the callers that need more than VM offers (statistics).
func (o *ourVM) Inner() *fpvm.VM { return o.v }

func (o *ourVM) Step(witness bool) (*Witness, error) {
	o.stepped = o.s.ActiveThread()
	w, err := o.v.Step(witness)
	if err != nil && witness {
		w = o.v.FailedStepWitness()
	}
	return OurWitness(w), err
}

// OurWitness is w in the check's terms (nil for nil).
func OurWitness(w *fpvm.Witness) *Witness {
	if w == nil {
		return nil
	}
	return &Witness{State: w.State, Proof: w.Proof, HasPreimage: w.HasPreimage, PreimageKey: w.PreimageKey,
		PreimageValue: w.PreimageValue, PreimageOffset: w.PreimageOffset}
}

func (o *ourVM) Run(n uint64) (uint64, error) {
	r, err := o.v.Run(n)
	return r.Steps, err
}

func (o *ourVM) View(v *View) { viewOf(o.s, v) }

// OurView is the View of a state of our VM (vectors classify their pre-states with it).
func OurView(s *fpvm.State) *View {
	var v View
	viewOf(s, &v)
	return &v
}

func viewOf(s *fpvm.State, v *View) {
	// Field by field rather than a composite literal: lockstep calls View twice per step, and
	// a literal would clear the whole struct (registers included) before filling it.
	// TestViewOverwritesEveryField keeps this complete.
	v.Step, v.StepsSinceLastContextSwitch, v.Exited, v.ExitCode = s.Step, s.StepsSinceLastContextSwitch, s.Exited, s.ExitCode
	v.Heap, v.LLReservationStatus, v.LLAddress, v.LLOwnerThread = s.Heap, s.LLReservationStatus, s.LLAddress, s.LLOwnerThread
	v.PreimageKey, v.PreimageOffset, v.Threads = s.PreimageKey, s.PreimageOffset, s.ThreadCount()
	t := s.ActiveThread()
	if t == nil {
		v.HasThread, v.ThreadID, v.ThreadExited = false, 0, false
		v.PC, v.NextPC, v.LO, v.HI, v.Regs, v.Insn = 0, 0, 0, 0, [32]uint64{}, 0
		return
	}
	v.HasThread, v.ThreadID, v.ThreadExited = true, t.ThreadID, t.Exited
	v.PC, v.NextPC, v.LO, v.HI, v.Regs = t.PC, t.NextPC, t.LO, t.HI, t.Registers
	v.Insn = 0
	if t.PC&3 == 0 {
		word := s.Memory.GetWord(t.PC &^ 7)
		v.Insn = uint32(word >> 32)
		if t.PC&4 != 0 {
			v.Insn = uint32(word)
		}
	}
}

func (o *ourVM) ReadWord(addr uint64) uint64 { return o.s.Memory.GetWord(addr &^ 7) }

func (o *ourVM) EncodeState() []byte {
	b := o.s.EncodeWitness()
	return b[:]
}

func (o *ourVM) EncodeSteppedThread() []byte {
	if o.stepped == nil {
		return nil
	}
	b := fpvm.EncodeThread(o.stepped)
	return b[:]
}
