package qemuoracle

import (
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// Encode assembles the instruction word of op with fields f.
func (op *Op) Encode(f mips64.Fields) uint32 { return op.enc.Encode(f) }

// freeFields is the set of fields the layout lets vary, operands or reserved.
func (op *Op) freeFields() field {
	switch op.enc.Layout {
	case mips64.LayoutR:
		return fRS | fRT | fRD | fSA
	case mips64.LayoutRegimm:
		return fRS | fIMM
	case mips64.LayoutI:
		return fRS | fRT | fIMM
	default:
		return fTarget
	}
}

// simm16 is the sign-extended immediate.
func simm16(imm uint16) uint64 { return uint64(int64(int16(imm))) }

// Disasm prints the instruction in assembler syntax (mips64.Disassemble), for reports. pc
// is the instruction's address, needed for branch and jump targets. Reserved fields that
// are not zero follow in brackets, since they change the meaning.
func (op *Op) Disasm(f mips64.Fields, pc uint64) string {
	s := mips64.Disassemble(op.Encode(f), pc)
	reserved := op.freeFields() &^ op.Uses
	for _, r := range []struct {
		bit  field
		name string
		val  uint32
	}{{fRS, "rs", f.RS}, {fRT, "rt", f.RT}, {fRD, "rd", f.RD}, {fSA, "sa", f.SA}} {
		if reserved&r.bit != 0 && r.val != 0 {
			s += fmt.Sprintf(" [%s=%d]", r.name, r.val)
		}
	}
	return s
}
