package vectors

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/coverage/classes"
	"github.com/fpvmdiff/fpvmdiff/mips64"
	"github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// RandOperands is the randomization kind that draws new operands inside the operand
// classes (coverage/classes) of the vector as written: one hand-written vector becomes many
// runs that a bug on either side answers differently. The hand-derived expectation cannot
// follow new operands, so such a variant is checked differentially: the Go VM and the
// contract must agree with each other (and both fail, or both succeed, as the vector does).
const RandOperands = "operands"

// operandTries bounds the rejection sampling; every class of the table is hit by the
// generator below with a probability far above 1/operandTries.
const operandTries = 4096

// operandRegion is where a memory operand moves: far from the code and every vector address;
// the low 5 bits (offset and leaf position, the memory classes) are kept.
const operandRegion = 0x0000_7000_0000_0000

// insnAt is the instruction word at pc (big-endian halves of the 8-byte word).
func insnAt(m *memory.Memory, pc uint64) uint32 {
	w := m.GetWord(pc &^ 7)
	if pc&4 == 0 {
		return uint32(w >> 32)
	}
	return uint32(w)
}

// ClassPre is the classes' view of a pre-state: the active thread's instruction, registers
// and the memory; nil when the step runs no instruction (exited VM or thread, empty stack,
// forced preemption, misaligned pc).
func ClassPre(s *vm.State) *classes.Pre {
	t := s.ActiveThread()
	if t == nil || t.Exited || s.Exited || t.PC&3 != 0 || s.StepsSinceLastContextSwitch >= vm.SchedQuantum {
		return nil
	}
	return &classes.Pre{Insn: insnAt(s.Memory, t.PC), PC: t.PC, NextPC: t.NextPC, Regs: t.Registers, Word: s.Memory.GetWord}
}

// OperandClasses are the operand classes of a pre-state (nil when its row has none).
func OperandClasses(s *vm.State) []string {
	p := ClassPre(s)
	if p == nil {
		return nil
	}
	_, cls := classes.Classify(p)
	return cls
}

// operandValue mixes uniform words with the values at the class boundaries: canonical
// 32-bit words, small amounts, sign and overflow limits, and copies of the other operand
// (equal operands, equal low words).
func operandValue(rng *rand.Rand, other uint64) uint64 {
	sx := func(x uint32) uint64 { return uint64(int64(int32(x))) }
	switch rng.IntN(10) {
	case 0, 1:
		return rng.Uint64()
	case 2, 3:
		return sx(rng.Uint32())
	case 4:
		return rng.Uint64N(130)
	case 5:
		lims := []uint64{0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, sx(0x8000_0000), 1 << 63, 1<<63 - 1, ^uint64(0), 0xFFFF_FFFF_0000_0000}
		return lims[rng.IntN(len(lims))] + uint64(rng.IntN(3)) - 1
	case 6:
		return other
	case 7:
		return other ^ rng.Uint64()<<32
	case 8:
		return rng.Uint64()<<32 | uint64(rng.Uint32N(64))
	default:
		return rng.Uint64() >> (rng.UintN(64))
	}
}

// drawOperands replaces the operands of the active thread's instruction in s by random ones
// of the same classes. It reports false (and leaves s alone) when the row has no operand
// classes or no candidate stayed inside them.
func drawOperands(rng *rand.Rand, s *vm.State) bool {
	p := ClassPre(s)
	if p == nil {
		return false
	}
	spec, want := classes.Classify(p)
	if spec == nil || spec.Operands == 0 || len(want) == 0 {
		return false
	}
	t := s.ActiveThread()
	rsI, rtI := p.Insn>>21&31, p.Insn>>16&31
	oldEA := p.Regs[rsI] + uint64(int64(int16(p.Insn)))
	for range operandTries {
		c := *p
		var memAddr, memWord uint64
		useMem := false
		if spec.Operands&classes.OpRS != 0 && rsI != 0 {
			c.Regs[rsI] = operandValue(rng, c.Regs[rtI])
		}
		if spec.Operands&classes.OpRT != 0 && rtI != 0 {
			c.Regs[rtI] = operandValue(rng, c.Regs[rsI])
		}
		if spec.Operands&classes.OpSA != 0 {
			sa := []uint32{0, 1, 30, 31, rng.Uint32N(32)}[rng.IntN(5)]
			c.Insn = c.Insn&^(31<<6) | sa<<6
		}
		if spec.Operands&classes.OpImm != 0 {
			c.Insn = c.Insn&^0xFFFF | uint32(uint16(operandValue(rng, 0)))
		}
		if spec.Operands&classes.OpMem != 0 && rsI != 0 {
			ea := operandRegion | rng.Uint64N(1<<24)<<5 | oldEA&31
			c.Regs[rsI] = ea - uint64(int64(int16(c.Insn)))
			if rtI == rsI {
				continue // the classes of rt would follow the address
			}
			memAddr, memWord, useMem = ea&^7, operandValue(rng, 0), true
			c.Word = func(a uint64) uint64 {
				if a == memAddr {
					return memWord
				}
				return s.Memory.GetWord(a)
			}
		}
		if !classes.Same(spec.Of(&c), want) {
			continue
		}
		t.Registers = c.Regs
		if c.Insn != p.Insn {
			w := s.Memory.GetWord(t.PC &^ 7)
			if t.PC&4 == 0 {
				w = w&0xFFFF_FFFF | uint64(c.Insn)<<32
			} else {
				w = w&^0xFFFF_FFFF | uint64(c.Insn)
			}
			s.Memory.SetWord(t.PC&^7, w)
		}
		if useMem {
			s.Memory.SetWord(memAddr, memWord)
		}
		return true
	}
	return false
}

// describeInsn disassembles the instruction at the active thread's pc and lists the values
// of the registers it reads (rs, rt; a syscall's v0 and a0-a2), for failure reports.
func describeInsn(s *vm.State) (insn, inputs string) {
	p := ClassPre(s)
	if p == nil {
		return "", ""
	}
	regs := []int{int(p.Insn >> 21 & 31), int(p.Insn >> 16 & 31)}
	if p.Insn>>26 == 0 && p.Insn&0x3F == 0x0C {
		regs = []int{2, 4, 5, 6}
	}
	var b strings.Builder
	seen := map[int]bool{}
	for _, r := range regs {
		if seen[r] {
			continue
		}
		seen[r] = true
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=0x%x", mips64.RegName(r), p.Regs[r])
	}
	if p.InDelaySlot() {
		fmt.Fprintf(&b, " (in a delay slot: nextPC 0x%x)", p.NextPC)
	}
	return fmt.Sprintf("0x%x: %08x  %s", p.PC, p.Insn, mips64.Disassemble(p.Insn, p.PC)), b.String()
}
