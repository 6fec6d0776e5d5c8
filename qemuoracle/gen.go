package qemuoracle

import (
	"fmt"
	"math/rand/v2"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// Generator makes random cases from a fixed seed. The same seed gives the same sequence of
// instructions and inputs whatever the batch size (only addresses depend on the slot).
type Generator struct {
	rng    *rand.Rand
	layout Layout
	ops    map[Class][]*Op
}

// NewGenerator returns a generator for the driver layout l.
func NewGenerator(seed uint64, l Layout) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), layout: l, ops: map[Class][]*Op{}}
	for _, c := range Classes {
		g.ops[c] = opsOfClass(c)
	}
	return g
}

// Next generates one case of class for batch slot slot. When a Skip deviation drops it,
// skipped names that deviation and the case is not to be run.
func (g *Generator) Next(class Class, slot int) (c *Case, skipped *Deviation) {
	ops := g.ops[class]
	return g.NextOp(ops[g.rng.IntN(len(ops))], slot)
}

// NextOp generates one case of op: random fields and values, the harness set-up that
// keeps memory accesses and control flow inside the case's block and window, then the
// deviation table (constraints, skips, HI/LO exclusion).
func (g *Generator) NextOp(op *Op, slot int) (c *Case, skipped *Deviation) {
	c = &Case{Op: op, Slot: slot, Entry: g.layout.blockBase(slot) + 4*SlotWord}
	c.In.F = mips64.Fields{
		RS: g.rng.Uint32() & 31, RT: g.rng.Uint32() & 31, RD: g.rng.Uint32() & 31, SA: g.rng.Uint32() & 31,
		Imm: g.imm(), Target: g.rng.Uint32() & 0x03FF_FFFF,
	}
	for r := 1; r < 32; r++ {
		c.In.Regs[r] = g.value()
	}
	c.In.HI, c.In.LO = g.value(), g.value()
	for i := range c.In.Window {
		c.In.Window[i] = g.value()
	}
	g.prepare(c)

	for _, d := range deviationsFor(op, Constrain) {
		before := c.In
		d.constrain(c)
		if c.In != before {
			c.Applied = append(c.Applied, d.ID)
		}
	}
	for _, d := range deviationsFor(op, Skip) {
		if d.skip(c) {
			return c, d
		}
	}
	for _, d := range deviationsFor(op, IgnoreHILO) {
		c.IgnoreHILO = true
		c.Applied = append(c.Applied, d.ID)
	}
	return c, nil
}

// prepare is the harness's part, not a deviation: a load or store must hit the memory
// window and a branch or jump must land on a pad of the case's own block.
func (g *Generator) prepare(c *Case) {
	f := &c.In.F
	switch {
	case c.Op.MemSize > 0:
		if f.RS == 0 {
			f.RS = 1 + g.rng.Uint32()%31
		}
		ea := g.layout.Window + uint64(g.rng.IntN(8*WindowWords))
		c.In.Regs[f.RS] = ea - simm16(f.Imm)
	case c.Op.Flow == flowBranch:
		off := minBranchOffset + g.rng.IntN(maxBranchOffset-minBranchOffset+1-3)
		if off >= -1 { // skip -1, 0, 1: the instruction, its delay slot, the fall-through
			off += 3
		}
		f.Imm = uint16(int16(off))
		g.biasCondition(c)
	case c.Op.Flow == flowJump:
		f.Target = uint32(g.padAddress(c)>>2) & 0x03FF_FFFF
	case c.Op.Flow == flowJumpReg:
		if f.RS == 0 {
			f.RS = 1 + g.rng.Uint32()%31
		}
		c.In.Regs[f.RS] = g.padAddress(c)
	case c.Op.Name == "movz" || c.Op.Name == "movn":
		if f.RT != 0 && g.rng.IntN(2) == 0 {
			c.In.Regs[f.RT] = 0
		}
	}
}

// biasCondition makes taken and not-taken branches about equally likely.
func (g *Generator) biasCondition(c *Case) {
	f := &c.In.F
	if f.RS == 0 {
		return
	}
	switch c.Op.Name {
	case "beq", "bne":
		if g.rng.IntN(2) == 0 {
			if f.RT == 0 { // R0 stays 0: equal means rs holds 0
				c.In.Regs[f.RS] = 0
			} else {
				c.In.Regs[f.RT] = c.In.Regs[f.RS]
			}
		}
	default:
		// Zero is the boundary of every other condition.
		if g.rng.IntN(4) == 0 {
			c.In.Regs[f.RS] = 0
		}
	}
}

// padAddress is a random BREAK pad of the case's block other than the fall-through word.
func (g *Generator) padAddress(c *Case) uint64 {
	w := g.rng.IntN(BlockWords - 3)
	if w >= SlotWord {
		w += 3
	}
	return g.layout.blockBase(c.Slot) + uint64(4*w)
}

// edgeValues are the inputs where implementations usually go wrong (docs/spec.md §12 "Edge cases").
var edgeValues = []uint64{
	0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF,
	0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x1_8000_0000,
	0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_7FFF_FFFF, 0x0000_0000_8000_0001,
	0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0x8000_0000_0000_0001,
	^uint64(0), ^uint64(1), 0xFFFF_FFFF_FFFF_FF80,
}

// value draws a register or memory value: edge values, small numbers, sign-extended
// 32-bit values, powers of two and their neighbours, and uniform 64-bit values.
func (g *Generator) value() uint64 {
	switch k := g.rng.IntN(10); {
	case k < 3:
		return edgeValues[g.rng.IntN(len(edgeValues))]
	case k < 4:
		return uint64(g.rng.IntN(129) - 64)
	case k < 6:
		return sx32(g.rng.Uint64())
	case k < 7:
		return uint64(1)<<g.rng.IntN(64) + uint64(g.rng.IntN(3)) - 1
	default:
		return g.rng.Uint64()
	}
}

// imm draws a 16-bit immediate, with its edges over-represented.
func (g *Generator) imm() uint16 {
	if g.rng.IntN(4) == 0 {
		edges := []uint16{0, 1, 0x7FFF, 0x8000, 0xFFFF, 0xFFFE}
		return edges[g.rng.IntN(len(edges))]
	}
	return uint16(g.rng.Uint32())
}

// checkLayout rejects a driver layout the generator's assumptions do not hold for.
func checkLayout(l Layout) error {
	if l.BlockBytes != 4*BlockWords {
		return fmt.Errorf("driver block size %d bytes, want %d", l.BlockBytes, 4*BlockWords)
	}
	if l.MaxBatch < 1 {
		return fmt.Errorf("driver batch size %d", l.MaxBatch)
	}
	// Base registers near the window must be sign-extended 32-bit values, so that the
	// sign-extension constraints never move an address (deviations sx32-* and lwr-upper-word).
	if l.Window < 0x10000 || l.Window+0x10000 > 0x7FFF_FFFF || l.Window%64 != 0 {
		return fmt.Errorf("driver memory window at 0x%x: want a 64-byte aligned address between 0x10000 and 0x7ffeffff", l.Window)
	}
	end := l.CodeBase + uint64(l.MaxBatch*l.BlockBytes)
	if l.CodeBase%8 != 0 || l.CodeBase>>28 != (end-1)>>28 {
		return fmt.Errorf("driver code region 0x%x..0x%x: want 8-byte aligned, inside one 256 MB region", l.CodeBase, end)
	}
	return nil
}
