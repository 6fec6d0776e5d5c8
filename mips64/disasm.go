package mips64

import (
	"fmt"
	"strings"
)

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
	switch e.form {
	case formWord:
		return fmt.Sprintf(".word 0x%08x  # %s", insn, SelectorName(insn))
	case formGroup:
		return e.name
	}
	var b strings.Builder
	b.WriteString(Decode(insn).Mnemonic)
	for i, o := range formOperands[e.form] {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteString(", ")
		}
		b.WriteString(o.show(insn, pc))
	}
	return b.String()
}
