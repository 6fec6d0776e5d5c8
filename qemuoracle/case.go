package qemuoracle

import "github.com/fpvmdiff/fpvmdiff/mips64"

// Geometry shared with testdata/qemu/driver.s (its header comment has the protocol).
const (
	// BlockWords is the size of one case's code block. The instruction sits at SlotWord,
	// its delay slot (a NOP) at SlotWord+1; every other word is a BREAK pad, so wherever
	// control goes after the instruction it stops at a pad whose address tells where.
	BlockWords = 32
	SlotWord   = 14
	// WindowWords is the memory window in 8-byte words; loads and stores stay inside it.
	WindowWords = 8

	insnBreak = 0x0000_000D // break 0: SIGTRAP under QEMU
	insnNop   = 0x0000_0000
)

// Branch offsets that land on a pad: the target word is SlotWord+1+offset, which must not
// be the instruction, its delay slot or the fall-through word SlotWord+2 (taken and not
// taken would look alike).
const (
	minBranchOffset = -(SlotWord + 1) // target word 0
	maxBranchOffset = BlockWords - SlotWord - 2
)

// Layout is where the driver put its code blocks and memory window (from its hello).
type Layout struct {
	CodeBase   uint64
	BlockBytes int
	MaxBatch   int
	Window     uint64
}

// blockBase is the address of batch slot i's code block.
func (l Layout) blockBase(slot int) uint64 { return l.CodeBase + uint64(slot*l.BlockBytes) }

// Inputs is everything a case starts from, apart from its code block.
type Inputs struct {
	F      mips64.Fields
	Regs   [32]uint64
	HI, LO uint64
	Window [WindowWords]uint64
}

// Case is one instruction to run on both machines.
type Case struct {
	Op    *Op
	In    Inputs
	Slot  int    // batch slot: the code block is at Layout.blockBase(Slot)
	Entry uint64 // address of the instruction
	// IgnoreHILO is set by deviations after which MIPS64 leaves HI/LO UNPREDICTABLE.
	IgnoreHILO bool
	// Applied lists the deviations that changed or annotated this case, by ID.
	Applied []string
}

// Insn is the instruction word under test.
func (c *Case) Insn() uint32 { return c.Op.Encode(c.In.F) }

// Block is the case's code block: pads, the instruction and its delay-slot NOP.
func (c *Case) Block() [BlockWords]uint32 {
	var b [BlockWords]uint32
	for i := range b {
		b[i] = insnBreak
	}
	b[SlotWord] = c.Insn()
	b[SlotWord+1] = insnNop
	return b
}

// Disasm is the instruction in assembler syntax.
func (c *Case) Disasm() string { return c.Op.Disasm(c.In.F, c.Entry) }

// Outcome is the machine state a case leaves. PC is where control went next: for QEMU the
// pad it stopped at, for the Go VM nextPC after one step (the delay slot is a NOP, so both
// name the same address).
type Outcome struct {
	PC     uint64
	Regs   [32]uint64
	HI, LO uint64
	Window [WindowWords]uint64
}
