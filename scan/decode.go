package scan

import "fmt"

// The scanner's own decoder, written from the instruction tables of docs/spec.md §5
// "Instructions" (state version 8, DCLZ/DCLO included). It shares nothing with the VM's
// decoder: the point of a scan is a second reading of what the spec supports. Every encoding
// gets a mnemonic, also those the spec rejects, so a report can say what it found.

// Status is the spec's decision for an instruction.
type Status int

const (
	// Supported instructions execute as MIPS64 defines them (modulo the documented
	// trap-free arithmetic and silent alignment, which compiled code does not rely on).
	Supported Status = iota
	// Unsupported instructions make the step fail.
	Unsupported
	// Deviating instructions execute, but not as MIPS64 defines them: a program that
	// uses them computes something else under Cannon.
	Deviating
)

func (s Status) String() string {
	switch s {
	case Supported:
		return "supported"
	case Unsupported:
		return "unsupported"
	}
	return "deviating"
}

// Insn is one decoded instruction word.
type Insn struct {
	Word     uint32
	Mnemonic string
	Status   Status
	// Note says, for Deviating instructions, what Cannon does instead.
	Note string
}

// decoder maps an instruction word to its mnemonic and status.
type decoder func(w uint32) Insn

// entry is one row of a selector table: a fixed name and status, or a sub-decoder.
type entry struct {
	name   string
	status Status
	sub    decoder
}

func ok(name string) entry { return entry{name: name, status: Supported} }
func no(name string) entry { return entry{name: name, status: Unsupported} }
func sub(d decoder) entry  { return entry{sub: d} }
func (e entry) decode(w uint32) Insn {
	if e.sub != nil {
		return e.sub(w)
	}
	return Insn{Word: w, Mnemonic: e.name, Status: e.status}
}

func opField(w uint32) uint32    { return w >> 26 }
func rsField(w uint32) uint32    { return w >> 21 & 31 }
func rtField(w uint32) uint32    { return w >> 16 & 31 }
func rdField(w uint32) uint32    { return w >> 11 & 31 }
func saField(w uint32) uint32    { return w >> 6 & 31 }
func functField(w uint32) uint32 { return w & 63 }

// primary is indexed by bits 31..26 (docs/spec.md §5.2 "Primary opcodes").
var primary = [64]entry{
	0x00: sub(decodeSpecial), 0x01: sub(decodeRegimm), 0x02: ok("j"), 0x03: ok("jal"),
	0x04: ok("beq"), 0x05: ok("bne"), 0x06: ok("blez"), 0x07: ok("bgtz"),
	0x08: ok("addi"), 0x09: ok("addiu"), 0x0A: ok("slti"), 0x0B: ok("sltiu"),
	0x0C: ok("andi"), 0x0D: ok("ori"), 0x0E: ok("xori"), 0x0F: ok("lui"),
	0x10: sub(decodeCop0), 0x11: sub(decodeCop1), 0x12: no("cop2"), 0x13: sub(decodeCop1x),
	0x14: no("beql"), 0x15: no("bnel"), 0x16: no("blezl"), 0x17: no("bgtzl"),
	0x18: ok("daddi"), 0x19: ok("daddiu"), 0x1A: ok("ldl"), 0x1B: ok("ldr"),
	0x1C: sub(decodeSpecial2), 0x1D: no("jalx"), 0x1E: no("msa"), 0x1F: sub(decodeSpecial3),
	0x20: ok("lb"), 0x21: ok("lh"), 0x22: ok("lwl"), 0x23: ok("lw"),
	0x24: ok("lbu"), 0x25: ok("lhu"), 0x26: ok("lwr"), 0x27: ok("lwu"),
	0x28: ok("sb"), 0x29: ok("sh"), 0x2A: ok("swl"), 0x2B: ok("sw"),
	0x2C: ok("sdl"), 0x2D: ok("sdr"), 0x2E: ok("swr"), 0x2F: no("cache"),
	0x30: ok("ll"), 0x31: no("lwc1"), 0x32: no("lwc2"), 0x33: no("pref"),
	0x34: ok("lld"), 0x35: no("ldc1"), 0x36: no("ldc2"), 0x37: ok("ld"),
	0x38: ok("sc"), 0x39: no("swc1"), 0x3A: no("swc2"), 0x3B: no("op:0x3b"),
	0x3C: ok("scd"), 0x3D: no("sdc1"), 0x3E: no("sdc2"), 0x3F: ok("sd"),
}

// special is indexed by funct (docs/spec.md §5.3 "SPECIAL"). The rotate encodings of SRL, SRLV and
// the 64-bit logical right shifts are MIPS64 Release 2 rotates that Cannon executes as
// plain shifts.
var special = [64]entry{
	0x00: ok("sll"), 0x01: sub(decodeMovci), 0x02: sub(rotateByRS("srl", "rotr")), 0x03: ok("sra"),
	0x04: ok("sllv"), 0x05: no("special:0x05"), 0x06: sub(rotateBySA("srlv", "rotrv")), 0x07: ok("srav"),
	0x08: ok("jr"), 0x09: ok("jalr"), 0x0A: ok("movz"), 0x0B: ok("movn"),
	0x0C: ok("syscall"), 0x0D: no("break"), 0x0E: no("special:0x0e"), 0x0F: ok("sync"),
	0x10: ok("mfhi"), 0x11: ok("mthi"), 0x12: ok("mflo"), 0x13: ok("mtlo"),
	0x14: ok("dsllv"), 0x15: no("special:0x15"), 0x16: sub(rotateBySA("dsrlv", "drotrv")), 0x17: ok("dsrav"),
	0x18: ok("mult"), 0x19: ok("multu"), 0x1A: ok("div"), 0x1B: ok("divu"),
	0x1C: ok("dmult"), 0x1D: ok("dmultu"), 0x1E: ok("ddiv"), 0x1F: ok("ddivu"),
	0x20: ok("add"), 0x21: ok("addu"), 0x22: ok("sub"), 0x23: ok("subu"),
	0x24: ok("and"), 0x25: ok("or"), 0x26: ok("xor"), 0x27: ok("nor"),
	0x28: no("special:0x28"), 0x29: no("special:0x29"), 0x2A: ok("slt"), 0x2B: ok("sltu"),
	0x2C: ok("dadd"), 0x2D: ok("daddu"), 0x2E: ok("dsub"), 0x2F: ok("dsubu"),
	0x30: no("tge"), 0x31: no("tgeu"), 0x32: no("tlt"), 0x33: no("tltu"),
	0x34: no("teq"), 0x35: no("special:0x35"), 0x36: no("tne"), 0x37: no("special:0x37"),
	0x38: ok("dsll"), 0x39: no("special:0x39"), 0x3A: sub(rotateByRS("dsrl", "drotr")), 0x3B: ok("dsra"),
	0x3C: ok("dsll32"), 0x3D: no("special:0x3d"), 0x3E: sub(rotateByRS("dsrl32", "drotr32")), 0x3F: ok("dsra32"),
}

// special2 is indexed by funct (docs/spec.md §5.4 "SPECIAL2"); unnamed rows fall out as
// placeholders.
var special2 = map[uint32]entry{
	0x00: no("madd"), 0x01: no("maddu"), 0x02: ok("mul"), 0x04: no("msub"), 0x05: no("msubu"),
	0x20: ok("clz"), 0x21: ok("clo"), 0x24: ok("dclz"), 0x25: ok("dclo"), 0x3F: no("sdbbp"),
}

// regimm is indexed by rt (docs/spec.md §5.5 "REGIMM"). Any other rt is a branch that is never
// taken: no exception, so a program keeps running with the wrong control flow.
var regimm = map[uint32]entry{
	0x00: ok("bltz"), 0x01: ok("bgez"), 0x10: ok("bltzal"), 0x11: ok("bgezal"),
}

// regimmNames names the REGIMM encodings Cannon treats as never-taken branches.
var regimmNames = map[uint32]string{
	0x02: "bltzl", 0x03: "bgezl", 0x08: "tgei", 0x09: "tgeiu", 0x0A: "tlti", 0x0B: "tltiu",
	0x0C: "teqi", 0x0E: "tnei", 0x12: "bltzall", 0x13: "bgezall", 0x1F: "synci",
}

// Decode classifies one instruction word.
func Decode(w uint32) Insn {
	return primary[opField(w)].decode(w)
}

func decodeSpecial(w uint32) Insn { return special[functField(w)].decode(w) }

func decodeSpecial2(w uint32) Insn {
	if e, found := special2[functField(w)]; found {
		return e.decode(w)
	}
	return Insn{Word: w, Mnemonic: fmt.Sprintf("special2:0x%02x", functField(w)), Status: Unsupported}
}

func decodeRegimm(w uint32) Insn {
	rt := rtField(w)
	if e, found := regimm[rt]; found {
		return e.decode(w)
	}
	name := regimmNames[rt]
	if name == "" {
		name = fmt.Sprintf("regimm:0x%02x", rt)
	}
	return Insn{Word: w, Mnemonic: name, Status: Deviating, Note: "a branch that is never taken, without exception"}
}

// rotateByRS decodes SRL/DSRL/DSRL32, whose rotate form sets bit 0 of the rs field.
func rotateByRS(shift, rotate string) decoder {
	return func(w uint32) Insn {
		if rsField(w)&1 != 0 {
			return Insn{Word: w, Mnemonic: rotate, Status: Deviating, Note: "executed as " + shift + " (a logical shift, not a rotate)"}
		}
		return Insn{Word: w, Mnemonic: shift, Status: Supported}
	}
}

// rotateBySA decodes SRLV/DSRLV, whose rotate form sets bit 0 of the sa field.
func rotateBySA(shift, rotate string) decoder {
	return func(w uint32) Insn {
		if saField(w)&1 != 0 {
			return Insn{Word: w, Mnemonic: rotate, Status: Deviating, Note: "executed as " + shift + " (a logical shift, not a rotate)"}
		}
		return Insn{Word: w, Mnemonic: shift, Status: Supported}
	}
}

// decodeMovci names MOVF/MOVT by the tf bit (rt bit 0).
func decodeMovci(w uint32) Insn {
	name := "movf"
	if rtField(w)&1 != 0 {
		name = "movt"
	}
	return Insn{Word: w, Mnemonic: name, Status: Unsupported}
}
