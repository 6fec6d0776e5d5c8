package check

import (
	"io"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// VM is one Go implementation of the MT-Cannon state transition, as the check drives it:
// our own (vm/, through OurVM) or the production VM (oracles/cannon, a nested module).
// It is the smallest surface the producer, the planner, lockstep and repro need; vm/ does
// not know it exists.
type VM interface {
	// Step runs one step. With witness it returns the pre-state witness of that step; when
	// the step fails it returns the error and, where the implementation can build one, the
	// witness of the failing step (nil otherwise).
	Step(witness bool) (*Witness, error)
	// Run runs at most n steps without witnesses and returns how many completed; it stops
	// early when the VM exits or a step fails (the error is returned).
	Run(n uint64) (uint64, error)
	// View fills v with the state before the next step. It is called for every step of a
	// run, so it must not allocate.
	View(v *View)
	// ReadWord reads the aligned 64-bit memory word at addr&^7.
	ReadWord(addr uint64) uint64
	// EncodeState is the 188-byte state witness of the current state (its status-tagged
	// keccak256 is the state hash, docs/spec.md "State hash").
	EncodeState() []byte
	// EncodeSteppedThread is the thread the last Step ran, packed (298 bytes) as it is after
	// that step; nil before any Step or when no thread ran. Diagnostics only.
	EncodeSteppedThread() []byte
}

// Open loads a guest ELF into a fresh VM. pre serves the pre-images (nil: none); guest
// output goes to stdout and stderr (nil: discarded). An error names what is wrong with the
// ELF.
type Open func(elf []byte, pre *fpvm.PreimageMap, stdout, stderr io.Writer) (VM, error)

// Witness is what the step contract needs to re-execute one step (docs/spec.md "Witness").
type Witness struct {
	State []byte // 188-byte pre-state
	Proof []byte // 6090 bytes: active thread, inner root, three memory proof slots

	HasPreimage    bool
	PreimageKey    [32]byte // raw key from the pre-state
	PreimageValue  []byte   // the pre-image data, without the 8-byte length prefix
	PreimageOffset uint64   // pre-state offset, counting the 8-byte length prefix
}

// View is the part of a VM state that classification and lockstep read before each step.
type View struct {
	Step                        uint64
	StepsSinceLastContextSwitch uint64
	Exited                      bool
	ExitCode                    uint8
	Heap                        uint64

	LLReservationStatus uint8
	LLAddress           uint64
	LLOwnerThread       uint64

	PreimageKey    [32]byte
	PreimageOffset uint64

	// Threads is the number of threads on both stacks.
	Threads int
	// HasThread is false when the active stack is empty; the thread fields are then zero.
	HasThread    bool
	ThreadID     uint64
	ThreadExited bool
	PC, NextPC   uint64
	LO, HI       uint64
	Regs         [32]uint64
	// Insn is the instruction word at PC (0 when PC is not 4-byte aligned).
	Insn uint32
}
