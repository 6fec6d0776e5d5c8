package qemuoracle

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A layout like the driver's, for tests that do not start QEMU.
var testLayout = Layout{CodeBase: 0x2000_0000, BlockBytes: 4 * BlockWords, MaxBatch: 256, Window: 0x1001_0680 &^ 63}

func TestGeneratorIsDeterministic(t *testing.T) {
	a, b := NewGenerator(42, testLayout), NewGenerator(42, testLayout)
	for i := 0; i < 2000; i++ {
		class := Classes[i%len(Classes)]
		ca, sa := a.Next(class, i%256)
		cb, sb := b.Next(class, i%256)
		require.Equal(t, ca.Op.Name, cb.Op.Name)
		require.Equal(t, ca.In, cb.In)
		require.Equal(t, sa, sb)
	}
	c1, _ := NewGenerator(1, testLayout).Next(ClassALU, 0)
	c2, _ := NewGenerator(2, testLayout).Next(ClassALU, 0)
	require.NotEqual(t, c1.In, c2.In, "different seeds, different cases")
}

// Every generated case satisfies the harness arrangement and the deviation constraints;
// the checks are written out here rather than by calling the constraint functions.
func TestGeneratedCasesRespectTheTable(t *testing.T) {
	g := NewGenerator(7, testLayout)
	seenOps := map[string]int{}
	for i := 0; i < 30_000; i++ {
		slot := i % 256
		c, skipped := g.Next(Classes[i%len(Classes)], slot)
		if skipped != nil {
			require.True(t, skipped.skip(c))
			continue
		}
		seenOps[c.Op.Name]++
		f, regs := c.In.F, c.In.Regs
		base := testLayout.blockBase(slot)
		require.Zero(t, regs[0], "R0")
		require.Equal(t, base+4*SlotWord, c.Entry)

		reserved := c.Op.freeFields() &^ c.Op.Uses
		require.False(t, reserved&fRS != 0 && f.RS != 0, "%s: reserved rs", c.Disasm())
		require.False(t, reserved&fRT != 0 && f.RT != 0, "%s: reserved rt", c.Disasm())
		require.False(t, reserved&fRD != 0 && f.RD != 0, "%s: reserved rd", c.Disasm())
		require.False(t, reserved&fSA != 0 && f.SA != 0, "%s: reserved sa", c.Disasm())

		switch c.Op.Name {
		case "srl", "dsrl", "dsrl32":
			require.Zero(t, f.RS, "rotate bit")
		case "srlv", "dsrlv":
			require.Zero(t, f.SA, "rotate bit")
		case "clz", "clo", "dclz", "dclo":
			require.Equal(t, f.RD, f.RT)
		case "jalr":
			require.NotEqual(t, f.RD, f.RS)
		case "bltzal", "bgezal":
			require.NotEqual(t, uint32(31), f.RS)
		}
		if c.Op.Name == "mul" {
			require.True(t, c.IgnoreHILO)
		} else {
			require.False(t, c.IgnoreHILO)
		}
		// Inputs MIPS64 requires to be sign-extended 32-bit values (MIPS64 manual, per instruction).
		sx := map[string]string{
			"add": "rs rt", "addu": "rs rt", "sub": "rs rt", "subu": "rs rt", "mult": "rs rt", "multu": "rs rt",
			"div": "rs rt", "divu": "rs rt", "mul": "rs rt", "srl": "rt", "sra": "rt", "srlv": "rt", "srav": "rt",
			"lwr": "rt", "addi": "rs", "addiu": "rs", "clz": "rs", "clo": "rs",
		}[c.Op.Name]
		if strings.Contains(sx, "rs") {
			require.Equal(t, sx32(regs[f.RS]), regs[f.RS], "%s: rs not sign-extended", c.Disasm())
		}
		if strings.Contains(sx, "rt") {
			require.Equal(t, sx32(regs[f.RT]), regs[f.RT], "%s: rt not sign-extended", c.Disasm())
		}

		if c.Op.MemSize > 0 {
			ea := regs[f.RS] + simm16(f.Imm)
			require.True(t, ea >= testLayout.Window && ea < testLayout.Window+8*WindowWords, "%s: ea 0x%x outside the window", c.Disasm(), ea)
			switch c.Op.Name {
			case "lh", "lhu", "lw", "lwu", "ld", "sh", "sw", "sd":
				require.Zero(t, ea%uint64(c.Op.MemSize), "%s: misaligned ea 0x%x", c.Disasm(), ea)
			}
		}
		var target uint64
		switch c.Op.Flow {
		case flowBranch:
			target = c.Entry + 4 + simm16(f.Imm)<<2
		case flowJump:
			target = (c.Entry+4)&^0x0FFF_FFFF | uint64(f.Target)<<2
		case flowJumpReg:
			target = regs[f.RS]
		default:
			continue
		}
		word := int(target-base) / 4
		require.True(t, target >= base && word < BlockWords && target%4 == 0, "%s: target 0x%x outside the block", c.Disasm(), target)
		require.NotContains(t, []int{SlotWord, SlotWord + 1, SlotWord + 2}, word, "%s: target is not a pad", c.Disasm())
	}
	for _, op := range Ops {
		require.Greater(t, seenOps[op.Name], 50, "op %s generated too rarely", op.Name)
	}
}
