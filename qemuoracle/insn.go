package qemuoracle

import (
	"fmt"
	"strings"
)

// Fields are the free fields of an instruction word: everything below the primary opcode
// except the selector (funct, or rt for REGIMM), which the Op fixes.
type Fields struct {
	RS, RT, RD, SA uint32 // 5 bits each
	Imm            uint16
	Target         uint32 // 26 bits
}

// Encode assembles the instruction word of op with fields f (docs/spec.md §5.1 "Decoding and
// common rules").
func (op *Op) Encode(f Fields) uint32 {
	w := op.Major << 26
	switch op.Format {
	case fmtR:
		w |= f.RS&31<<21 | f.RT&31<<16 | f.RD&31<<11 | f.SA&31<<6 | op.Minor&63
	case fmtRegimm:
		w |= f.RS&31<<21 | op.Minor&31<<16 | uint32(f.Imm)
	case fmtI:
		w |= f.RS&31<<21 | f.RT&31<<16 | uint32(f.Imm)
	case fmtJ:
		w |= f.Target & 0x03FF_FFFF
	}
	return w
}

// freeFields is the set of fields the format lets vary, operands or reserved.
func (op *Op) freeFields() field {
	switch op.Format {
	case fmtR:
		return fRS | fRT | fRD | fSA
	case fmtRegimm:
		return fRS | fIMM
	case fmtI:
		return fRS | fRT | fIMM
	default:
		return fTarget
	}
}

// simm16 is the sign-extended immediate.
func simm16(imm uint16) uint64 { return uint64(int64(int16(imm))) }

// Disasm prints the instruction in the usual assembler syntax, for reports. pc is the
// instruction's address, needed for branch and jump targets.
// Reserved fields that are not zero follow in brackets, since they change the meaning.
func (op *Op) Disasm(f Fields, pc uint64) string {
	s := op.Name
	if op.Syntax != synNone {
		var args []string
		for _, part := range strings.Split(op.Syntax, ", ") {
			args = append(args, op.operand(part, f, pc))
		}
		s += " " + strings.Join(args, ", ")
	}
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

func (op *Op) operand(part string, f Fields, pc uint64) string {
	switch part {
	case "rd":
		return reg(f.RD)
	case "rs":
		return reg(f.RS)
	case "rt":
		return reg(f.RT)
	case "sa":
		return fmt.Sprint(f.SA)
	case "imm":
		if op.zeroExtendsImm() {
			return fmt.Sprintf("0x%x", f.Imm)
		}
		return fmt.Sprint(int16(f.Imm))
	case "imm(rs)":
		return fmt.Sprintf("%d(%s)", int16(f.Imm), reg(f.RS))
	case "off":
		return fmt.Sprintf("0x%x", pc+4+simm16(f.Imm)<<2)
	case "target":
		return fmt.Sprintf("0x%x", (pc+4)&^0x0FFF_FFFF|uint64(f.Target&0x03FF_FFFF)<<2)
	}
	return part
}

// zeroExtendsImm is true for the logical immediates and LUI, printed in hex.
func (op *Op) zeroExtendsImm() bool {
	switch op.Name {
	case "andi", "ori", "xori", "lui":
		return true
	}
	return false
}

func reg(r uint32) string { return fmt.Sprintf("$%d", r) }
