package mips64

// Field accessors and encoders for the MIPS64 instruction word (docs/spec.md §5.1 "Decoding
// and common rules"): op[31:26] rs[25:21] rt[20:16] rd[15:11] sa[10:6] funct[5:0], imm[15:0],
// target[25:0].

// Primary opcodes whose selector lies in another field.
const (
	OpSpecial  = 0x00 // selector in funct
	OpRegimm   = 0x01 // selector in rt
	OpSpecial2 = 0x1C // selector in funct
)

// Opcode is the primary opcode, bits 31..26.
func Opcode(w uint32) uint32 { return w >> 26 }

// RS is the rs field, bits 25..21.
func RS(w uint32) uint32 { return w >> 21 & 31 }

// RT is the rt field, bits 20..16.
func RT(w uint32) uint32 { return w >> 16 & 31 }

// RD is the rd field, bits 15..11.
func RD(w uint32) uint32 { return w >> 11 & 31 }

// SA is the shift amount, bits 10..6.
func SA(w uint32) uint32 { return w >> 6 & 31 }

// Funct is the function field, bits 5..0.
func Funct(w uint32) uint32 { return w & 63 }

// Imm is the 16-bit immediate.
func Imm(w uint32) uint16 { return uint16(w) }

// SImm is the immediate sign-extended.
func SImm(w uint32) int64 { return int64(int16(w)) }

// BranchTarget is where a branch fetched at pc goes when taken: pc+4+sx(imm)<<2.
func BranchTarget(w uint32, pc uint64) uint64 { return pc + 4 + uint64(SImm(w)<<2) }

// JumpTarget is the target of J/JAL fetched at pc: the 256 MiB region of the delay slot
// with the 26-bit target shifted in.
func JumpTarget(w uint32, pc uint64) uint64 {
	return (pc+4)&^0x0FFF_FFFF | uint64(w&0x03FF_FFFF)<<2
}

// EncodeR packs a register-format word (SPECIAL and SPECIAL2 rows).
func EncodeR(op, rs, rt, rd, sa, funct uint32) uint32 {
	return op&63<<26 | rs&31<<21 | rt&31<<16 | rd&31<<11 | sa&31<<6 | funct&63
}

// EncodeI packs an immediate-format word (also REGIMM, whose selector is rt).
func EncodeI(op, rs, rt uint32, imm uint16) uint32 {
	return op&63<<26 | rs&31<<21 | rt&31<<16 | uint32(imm)
}

// EncodeJ packs J/JAL with a target address; only its bits 27..2 are encoded.
func EncodeJ(op uint32, target uint64) uint32 {
	return op&63<<26 | uint32(target>>2)&0x03FF_FFFF
}

// Layout is how the 26 bits below the primary opcode split into fields.
type Layout int

const (
	LayoutR      Layout = iota // rs rt rd sa, selector in funct (SPECIAL, SPECIAL2)
	LayoutRegimm               // rs, selector in rt, imm
	LayoutI                    // rs rt imm
	LayoutJ                    // 26-bit target
)

// Fields are the free fields of an instruction word: everything the encoding's opcode and
// selector leave to the operands (or reserve, to be zero).
type Fields struct {
	RS, RT, RD, SA uint32 // 5 bits each
	Imm            uint16
	Target         uint32 // 26 bits: the jump target's bits 27..2
}

// Encoding is one named row of the decode table, as an assembler needs it.
type Encoding struct {
	Name   string
	Base   uint32 // opcode, selector and any fixed bit (the rotate bit of ROTR)
	Layout Layout
	Status Status
	form   form
}

// Encode packs f into the encoding's word; fields the layout does not have are ignored.
func (e Encoding) Encode(f Fields) uint32 {
	w := e.Base
	switch e.Layout {
	case LayoutR:
		w |= f.RS&31<<21 | f.RT&31<<16 | f.RD&31<<11 | f.SA&31<<6
	case LayoutRegimm:
		w |= f.RS&31<<21 | uint32(f.Imm)
	case LayoutI:
		w |= f.RS&31<<21 | f.RT&31<<16 | uint32(f.Imm)
	case LayoutJ:
		w |= f.Target & 0x03FF_FFFF
	}
	return w
}
