package check

import (
	"encoding/binary"
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// What an instruction read, decoded from the witness alone, and the docs/spec.md section
// whose rule it follows: a divergence report shows the inputs next to the differing outputs,
// so a reader can work the instruction by hand.

// specRule is one docs/spec.md section an instruction follows (internal/speccite checks
// that the numbers exist; TestSpecRulesNameExistingSections checks the titles).
type specRule struct{ section, title string }

var (
	ruleDecode   = specRule{"§5.1", "Decoding and common rules"}
	rulePrimary  = specRule{"§5.2", "Primary opcodes"}
	ruleSpecial  = specRule{"§5.3", "SPECIAL"}
	ruleSpecial2 = specRule{"§5.4", "SPECIAL2"}
	ruleRegimm   = specRule{"§5.5", "REGIMM"}
	ruleBranch   = specRule{"§5.6", "Branches, jumps and delay slots"}
	ruleMemory   = specRule{"§5.7", "Loads and stores"}
	ruleLLSC     = specRule{"§6", "LL/SC reservation"}
	ruleSyscalls = specRule{"§7.2", "Supported syscalls"}
)

func (r specRule) String() string { return fmt.Sprintf("docs/spec.md %s %q", r.section, r.title) }

// isMemoryOp: opcodes whose data word is read through proof slot 1 (loads, stores,
// LDL/LDR, and the invalid opcodes at 0x20 and above, which read it before failing).
func isMemoryOp(op uint32) bool { return op >= 0x20 || op == 0x1A || op == 0x1B }

// ruleOf is the section an instruction word's rule is in.
func ruleOf(word uint32) specRule {
	op, funct := word>>26, word&63
	switch {
	case op == 0 && funct == 0x0C:
		return ruleSyscalls
	case op == 0 && (funct == 0x08 || funct == 0x09), op >= 2 && op <= 7:
		return ruleBranch
	case op == 0:
		return ruleSpecial
	case op == 1:
		return ruleRegimm
	case op == 0x1C:
		return ruleSpecial2
	case op == 0x30 || op == 0x34 || op == 0x38 || op == 0x3C:
		return ruleLLSC
	case isMemoryOp(op):
		return ruleMemory
	}
	return rulePrimary
}

// operands lists the inputs the instruction at the witness's pc read: its source registers
// (rs and rt; the syscall registers for SYSCALL; HI and LO for the HI/LO group) and, for a
// memory instruction, the effective address and the 8-byte word there from proof slot 1.
func operands(thread, proof []byte, word uint32) []string {
	reg := func(i uint32) uint64 { return binary.BigEndian.Uint64(thread[42+8*i:]) }
	show := func(i uint32) string { return fmt.Sprintf("%s(r%d)=0x%x", mips64.RegName(int(i)), i, reg(i)) }
	op, rs, rt, funct := word>>26, word>>21&31, word>>16&31, word&63
	switch {
	case op == 0 && funct == 0x0C:
		return []string{show(2), show(4), show(5), show(6)}
	case op == 0 && funct >= 0x10 && funct <= 0x13:
		hi, lo := binary.BigEndian.Uint64(thread[34:]), binary.BigEndian.Uint64(thread[26:])
		return []string{show(rs), fmt.Sprintf("hi=0x%x", hi), fmt.Sprintf("lo=0x%x", lo)}
	case op == 2 || op == 3:
		return nil // J/JAL read no register
	}
	out := []string{show(rs), show(rt)}
	if isMemoryOp(op) || op == 0x30 || op == 0x34 || op == 0x38 || op == 0x3C {
		ea := reg(rs) + uint64(int64(int16(word)))
		out = append(out, fmt.Sprintf("ea=0x%x", ea))
		const slot1 = ThreadSize + 32 + 1920
		if len(proof) >= slot1+32 {
			leaf := proof[slot1 : slot1+32]
			out = append(out, fmt.Sprintf("mem[0x%x]=0x%016x", ea&^7, binary.BigEndian.Uint64(leaf[ea&31&^7:])))
		}
	}
	return out
}
