package evmharness

import "fmt"

// A small MIPS64 disassembler for bundles and step classes. It is deliberately separate from
// vm/ (no shared tables): a bundle shows how an independent reader decodes the word. It
// names every encoding MT-Cannon runs plus the common ones it rejects, in GNU objdump style
// with n64 register names.

var regNames = [32]string{
	"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
	"a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3",
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
	"t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra",
}

// RegName is the n64 ABI name of register r.
func RegName(r int) string {
	if r < 0 || r > 31 {
		return fmt.Sprintf("r%d", r)
	}
	return regNames[r]
}

// Operand layouts.
const (
	fNone   = iota
	fRdRsRt // add rd, rs, rt
	fRdRtSa // sll rd, rt, sa
	fRdRtRs // sllv rd, rt, rs
	fRsRt   // mult rs, rt
	fRs     // jr rs / mthi rs
	fRd     // mfhi rd
	fRdRs   // jalr rd, rs / clz rd, rs
	fRtRsI  // addiu rt, rs, imm (signed)
	fRtRsU  // andi rt, rs, imm (unsigned)
	fRtU    // lui rt, imm
	fMem    // lw rt, imm(rs)
	fBr2    // beq rs, rt, target
	fBr1    // blez rs, target
	fJump   // j target
)

type mnem struct {
	name string
	form int
}

var opNames = map[uint32]mnem{
	0x02: {"j", fJump}, 0x03: {"jal", fJump},
	0x04: {"beq", fBr2}, 0x05: {"bne", fBr2}, 0x06: {"blez", fBr1}, 0x07: {"bgtz", fBr1},
	0x08: {"addi", fRtRsI}, 0x09: {"addiu", fRtRsI}, 0x0A: {"slti", fRtRsI}, 0x0B: {"sltiu", fRtRsI},
	0x0C: {"andi", fRtRsU}, 0x0D: {"ori", fRtRsU}, 0x0E: {"xori", fRtRsU}, 0x0F: {"lui", fRtU},
	0x10: {"cop0", fNone}, 0x11: {"cop1", fNone}, 0x12: {"cop2", fNone}, 0x13: {"cop1x", fNone},
	0x14: {"beql", fBr2}, 0x15: {"bnel", fBr2}, 0x16: {"blezl", fBr1}, 0x17: {"bgtzl", fBr1},
	0x18: {"daddi", fRtRsI}, 0x19: {"daddiu", fRtRsI}, 0x1A: {"ldl", fMem}, 0x1B: {"ldr", fMem},
	0x1F: {"special3", fNone},
	0x20: {"lb", fMem}, 0x21: {"lh", fMem}, 0x22: {"lwl", fMem}, 0x23: {"lw", fMem},
	0x24: {"lbu", fMem}, 0x25: {"lhu", fMem}, 0x26: {"lwr", fMem}, 0x27: {"lwu", fMem},
	0x28: {"sb", fMem}, 0x29: {"sh", fMem}, 0x2A: {"swl", fMem}, 0x2B: {"sw", fMem},
	0x2C: {"sdl", fMem}, 0x2D: {"sdr", fMem}, 0x2E: {"swr", fMem}, 0x2F: {"cache", fMem},
	0x30: {"ll", fMem}, 0x31: {"lwc1", fMem}, 0x33: {"pref", fMem}, 0x34: {"lld", fMem},
	0x35: {"ldc1", fMem}, 0x37: {"ld", fMem}, 0x38: {"sc", fMem}, 0x39: {"swc1", fMem},
	0x3C: {"scd", fMem}, 0x3D: {"sdc1", fMem}, 0x3F: {"sd", fMem},
}

var specialNames = map[uint32]mnem{
	0x00: {"sll", fRdRtSa}, 0x02: {"srl", fRdRtSa}, 0x03: {"sra", fRdRtSa},
	0x04: {"sllv", fRdRtRs}, 0x06: {"srlv", fRdRtRs}, 0x07: {"srav", fRdRtRs},
	0x08: {"jr", fRs}, 0x09: {"jalr", fRdRs}, 0x0A: {"movz", fRdRsRt}, 0x0B: {"movn", fRdRsRt},
	0x0C: {"syscall", fNone}, 0x0D: {"break", fNone}, 0x0F: {"sync", fNone},
	0x10: {"mfhi", fRd}, 0x11: {"mthi", fRs}, 0x12: {"mflo", fRd}, 0x13: {"mtlo", fRs},
	0x14: {"dsllv", fRdRtRs}, 0x16: {"dsrlv", fRdRtRs}, 0x17: {"dsrav", fRdRtRs},
	0x18: {"mult", fRsRt}, 0x19: {"multu", fRsRt}, 0x1A: {"div", fRsRt}, 0x1B: {"divu", fRsRt},
	0x1C: {"dmult", fRsRt}, 0x1D: {"dmultu", fRsRt}, 0x1E: {"ddiv", fRsRt}, 0x1F: {"ddivu", fRsRt},
	0x20: {"add", fRdRsRt}, 0x21: {"addu", fRdRsRt}, 0x22: {"sub", fRdRsRt}, 0x23: {"subu", fRdRsRt},
	0x24: {"and", fRdRsRt}, 0x25: {"or", fRdRsRt}, 0x26: {"xor", fRdRsRt}, 0x27: {"nor", fRdRsRt},
	0x2A: {"slt", fRdRsRt}, 0x2B: {"sltu", fRdRsRt},
	0x2C: {"dadd", fRdRsRt}, 0x2D: {"daddu", fRdRsRt}, 0x2E: {"dsub", fRdRsRt}, 0x2F: {"dsubu", fRdRsRt},
	0x30: {"tge", fRsRt}, 0x31: {"tgeu", fRsRt}, 0x32: {"tlt", fRsRt}, 0x33: {"tltu", fRsRt},
	0x34: {"teq", fRsRt}, 0x36: {"tne", fRsRt},
	0x38: {"dsll", fRdRtSa}, 0x3A: {"dsrl", fRdRtSa}, 0x3B: {"dsra", fRdRtSa},
	0x3C: {"dsll32", fRdRtSa}, 0x3E: {"dsrl32", fRdRtSa}, 0x3F: {"dsra32", fRdRtSa},
}

var special2Names = map[uint32]mnem{
	0x00: {"madd", fRsRt}, 0x01: {"maddu", fRsRt}, 0x02: {"mul", fRdRsRt},
	0x04: {"msub", fRsRt}, 0x05: {"msubu", fRsRt},
	0x20: {"clz", fRdRs}, 0x21: {"clo", fRdRs}, 0x24: {"dclz", fRdRs}, 0x25: {"dclo", fRdRs},
}

var regimmNames = map[uint32]mnem{
	0x00: {"bltz", fBr1}, 0x01: {"bgez", fBr1}, 0x02: {"bltzl", fBr1}, 0x03: {"bgezl", fBr1},
	0x10: {"bltzal", fBr1}, 0x11: {"bgezal", fBr1},
}

// decode finds the mnemonic of insn; ok is false for encodings not in the tables.
func decode(insn uint32) (m mnem, ok bool) {
	op := insn >> 26
	switch op {
	case 0x00:
		m, ok = specialNames[insn&0x3F]
		if ok && insn == 0 {
			return mnem{"nop", fNone}, true
		}
		if ok && insn&0x3F == 0x02 && insn>>21&31 == 1 {
			m.name = "rotr"
		}
	case 0x01:
		m, ok = regimmNames[insn>>16&31]
	case 0x1C:
		m, ok = special2Names[insn&0x3F]
	default:
		m, ok = opNames[op]
	}
	return m, ok
}

// Mnemonic is the instruction name, or a description of the unknown selector.
func Mnemonic(insn uint32) string {
	if m, ok := decode(insn); ok {
		return m.name
	}
	switch op := insn >> 26; op {
	case 0x00:
		return fmt.Sprintf("special.0x%02x", insn&0x3F)
	case 0x01:
		return fmt.Sprintf("regimm.0x%02x", insn>>16&31)
	case 0x1C:
		return fmt.Sprintf("special2.0x%02x", insn&0x3F)
	default:
		return fmt.Sprintf("op.0x%02x", op)
	}
}

// Disassemble renders insn, fetched at pc, in assembler syntax. Branch and jump targets are
// absolute; unknown encodings are shown as a .word with the selector that is unknown.
func Disassemble(insn uint32, pc uint64) string {
	m, ok := decode(insn)
	if !ok {
		return fmt.Sprintf(".word 0x%08x  # %s", insn, Mnemonic(insn))
	}
	rs, rt, rd := RegName(int(insn>>21&31)), RegName(int(insn>>16&31)), RegName(int(insn>>11&31))
	sa := insn >> 6 & 31
	simm := int64(int16(insn))
	uimm := insn & 0xFFFF
	switch m.form {
	case fRdRsRt:
		return fmt.Sprintf("%s %s, %s, %s", m.name, rd, rs, rt)
	case fRdRtSa:
		return fmt.Sprintf("%s %s, %s, %d", m.name, rd, rt, sa)
	case fRdRtRs:
		return fmt.Sprintf("%s %s, %s, %s", m.name, rd, rt, rs)
	case fRsRt:
		return fmt.Sprintf("%s %s, %s", m.name, rs, rt)
	case fRs:
		return fmt.Sprintf("%s %s", m.name, rs)
	case fRd:
		return fmt.Sprintf("%s %s", m.name, rd)
	case fRdRs:
		return fmt.Sprintf("%s %s, %s", m.name, rd, rs)
	case fRtRsI:
		return fmt.Sprintf("%s %s, %s, %d", m.name, rt, rs, simm)
	case fRtRsU:
		return fmt.Sprintf("%s %s, %s, 0x%x", m.name, rt, rs, uimm)
	case fRtU:
		return fmt.Sprintf("%s %s, 0x%x", m.name, rt, uimm)
	case fMem:
		return fmt.Sprintf("%s %s, %d(%s)", m.name, rt, simm, rs)
	case fBr2:
		return fmt.Sprintf("%s %s, %s, 0x%x", m.name, rs, rt, pc+4+uint64(simm<<2))
	case fBr1:
		return fmt.Sprintf("%s %s, 0x%x", m.name, rs, pc+4+uint64(simm<<2))
	case fJump:
		return fmt.Sprintf("%s 0x%x", m.name, (pc+4)&^0x0FFF_FFFF|uint64(insn&0x03FF_FFFF)<<2)
	}
	return m.name
}
