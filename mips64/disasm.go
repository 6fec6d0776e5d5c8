package mips64

import "fmt"

// The disassembler for bundles, behaviour classes and reports, built on the decode table:
// GNU objdump order with n64 register names, decimal signed immediates, hex logical
// immediates, absolute branch and jump targets. Reserved fields are not shown.

// SelectorName names the row w's selector picks (the primary opcode, or funct for SPECIAL
// and SPECIAL2, or rt for REGIMM), whatever the other fields hold: the row's name when it
// has operand syntax or is a rejected group, else "special.0x05" and the like. Behaviour
// classes and coverage rows are named by it.
func SelectorName(w uint32) string {
	t, sel, e := row(w)
	if e.name == "" || e.form == formWord {
		return fmt.Sprintf("%s.0x%02x", t.prefix, sel)
	}
	return e.name
}

// Disassemble renders insn, fetched at pc, in assembler syntax. Branch and jump targets are
// absolute; encodings without operand syntax are shown as a .word with their selector.
func Disassemble(insn uint32, pc uint64) string {
	if insn == 0 {
		return "nop"
	}
	_, _, e := row(insn)
	name := Decode(insn).Mnemonic
	rs, rt, rd := RegName(int(RS(insn))), RegName(int(RT(insn))), RegName(int(RD(insn)))
	switch e.form {
	case formWord:
		return fmt.Sprintf(".word 0x%08x  # %s", insn, SelectorName(insn))
	case formGroup:
		return e.name
	case formNone:
		return name
	case formRdRsRt:
		return fmt.Sprintf("%s %s, %s, %s", name, rd, rs, rt)
	case formRdRtSa:
		return fmt.Sprintf("%s %s, %s, %d", name, rd, rt, SA(insn))
	case formRdRtRs:
		return fmt.Sprintf("%s %s, %s, %s", name, rd, rt, rs)
	case formRsRt:
		return fmt.Sprintf("%s %s, %s", name, rs, rt)
	case formRs:
		return fmt.Sprintf("%s %s", name, rs)
	case formRd:
		return fmt.Sprintf("%s %s", name, rd)
	case formRdRs, formClz:
		return fmt.Sprintf("%s %s, %s", name, rd, rs)
	case formRtRsI:
		return fmt.Sprintf("%s %s, %s, %d", name, rt, rs, SImm(insn))
	case formRtRsU:
		return fmt.Sprintf("%s %s, %s, 0x%x", name, rt, rs, Imm(insn))
	case formRtU:
		return fmt.Sprintf("%s %s, 0x%x", name, rt, Imm(insn))
	case formMem:
		return fmt.Sprintf("%s %s, %d(%s)", name, rt, SImm(insn), rs)
	case formBr2:
		return fmt.Sprintf("%s %s, %s, 0x%x", name, rs, rt, BranchTarget(insn, pc))
	case formBr1:
		return fmt.Sprintf("%s %s, 0x%x", name, rs, BranchTarget(insn, pc))
	case formJump:
		return fmt.Sprintf("%s 0x%x", name, JumpTarget(insn, pc))
	}
	return name
}
