package mips64

import "fmt"

// The decode table, written from the instruction tables of docs/spec.md §5 "Instructions" (state
// version 8, DCLZ/DCLO included). It shares nothing with the VM's decoder: it is a second
// reading of what the spec supports. Every encoding gets a mnemonic, also those the spec
// rejects, so a scan report can say what it found; each row also says how its operands are
// written, for the disassembler and the assembler.

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

// form is how a row's operands are written (GNU objdump order, n64 register names).
type form uint8

const (
	// formWord rows have no operand syntax here: the disassembler shows the word as .word
	// with its selector. They are rejected or never-taken encodings compilers do not emit.
	formWord form = iota
	// formGroup rows are whole rejected groups (COP0, COP1, COP2, COP1X, SPECIAL3): the
	// disassembler shows the group's name.
	formGroup
	formNone   // syscall, sync, break
	formRdRsRt // addu rd, rs, rt
	formRdRtSa // sll rd, rt, sa
	formRdRtRs // sllv rd, rt, rs
	formRsRt   // mult rs, rt
	formRs     // jr rs
	formRd     // mfhi rd
	formRdRs   // jalr rd, rs
	formClz    // clz rd, rs: the rt field repeats rd
	formRtRsI  // addiu rt, rs, imm (signed)
	formRtRsU  // andi rt, rs, imm (zero-extended, hex)
	formRtU    // lui rt, imm (hex)
	formMem    // lw rt, imm(rs)
	formBr2    // beq rs, rt, target
	formBr1    // blez rs, target
	formJump   // j target
)

// entry is one row of a selector table.
type entry struct {
	name   string // "" for a selector no instruction has: a placeholder names it
	status Status
	form   form
	note   string
	// rotate is the MIPS64 Release 2 rotate whose encoding is this shift with rotBit set;
	// Cannon executes it as the plain shift.
	rotate string
	rotBit uint32
	// sub names the instruction inside a rejected group or a row split by another field.
	sub func(w uint32) string
}

func ok(name string, f form) entry { return entry{name: name, status: Supported, form: f} }
func no(name string, f form) entry { return entry{name: name, status: Unsupported, form: f} }

// never is a REGIMM row Cannon runs as a branch that is never taken (docs/spec.md §5.5 "REGIMM").
func never(name string, f form) entry {
	return entry{name: name, status: Deviating, form: f, note: neverTaken}
}

const neverTaken = "a branch that is never taken, without exception"

func group(name string, sub func(uint32) string) entry {
	return entry{name: name, status: Unsupported, form: formGroup, sub: sub}
}

func rotates(shift entry, rotate string, bit uint32) entry {
	shift.rotate, shift.rotBit = rotate, bit
	return shift
}

// table is one selector table: the primary opcodes, or the rows below one of them.
type table struct {
	prefix   string              // names an unnamed selector: "special:0x05"
	selector func(uint32) uint32 // the field that indexes rows
	rows     []entry
	// unnamed is what the spec does with a selector no instruction has.
	unnamed     Status
	unnamedNote string
}

var (
	rsRotate = uint32(1) << 21 // ROTR, DROTR, DROTR32: bit 0 of rs
	saRotate = uint32(1) << 6  // ROTRV, DROTRV: bit 0 of sa
)

// primary is indexed by bits 31..26 (docs/spec.md §5.2 "Primary opcodes"). Rows 0x00, 0x01 and
// 0x1C are never read: those words go to the special, regimm and special2 tables.
var primary = &table{prefix: "op", selector: Opcode, unnamed: Unsupported, rows: []entry{
	0x00: {name: "special"}, 0x01: {name: "regimm"}, 0x02: ok("j", formJump), 0x03: ok("jal", formJump),
	0x04: ok("beq", formBr2), 0x05: ok("bne", formBr2), 0x06: ok("blez", formBr1), 0x07: ok("bgtz", formBr1),
	0x08: ok("addi", formRtRsI), 0x09: ok("addiu", formRtRsI), 0x0A: ok("slti", formRtRsI), 0x0B: ok("sltiu", formRtRsI),
	0x0C: ok("andi", formRtRsU), 0x0D: ok("ori", formRtRsU), 0x0E: ok("xori", formRtRsU), 0x0F: ok("lui", formRtU),
	0x10: group("cop0", nameCop0), 0x11: group("cop1", nameCop1), 0x12: group("cop2", nil), 0x13: group("cop1x", nameCop1x),
	0x14: no("beql", formBr2), 0x15: no("bnel", formBr2), 0x16: no("blezl", formBr1), 0x17: no("bgtzl", formBr1),
	0x18: ok("daddi", formRtRsI), 0x19: ok("daddiu", formRtRsI), 0x1A: ok("ldl", formMem), 0x1B: ok("ldr", formMem),
	0x1C: {name: "special2"}, 0x1D: no("jalx", formWord), 0x1E: no("msa", formWord), 0x1F: group("special3", nameSpecial3),
	0x20: ok("lb", formMem), 0x21: ok("lh", formMem), 0x22: ok("lwl", formMem), 0x23: ok("lw", formMem),
	0x24: ok("lbu", formMem), 0x25: ok("lhu", formMem), 0x26: ok("lwr", formMem), 0x27: ok("lwu", formMem),
	0x28: ok("sb", formMem), 0x29: ok("sh", formMem), 0x2A: ok("swl", formMem), 0x2B: ok("sw", formMem),
	0x2C: ok("sdl", formMem), 0x2D: ok("sdr", formMem), 0x2E: ok("swr", formMem), 0x2F: no("cache", formMem),
	0x30: ok("ll", formMem), 0x31: no("lwc1", formMem), 0x32: no("lwc2", formWord), 0x33: no("pref", formMem),
	0x34: ok("lld", formMem), 0x35: no("ldc1", formMem), 0x36: no("ldc2", formWord), 0x37: ok("ld", formMem),
	0x38: ok("sc", formMem), 0x39: no("swc1", formMem), 0x3A: no("swc2", formWord), 0x3B: {},
	0x3C: ok("scd", formMem), 0x3D: no("sdc1", formMem), 0x3E: no("sdc2", formWord), 0x3F: ok("sd", formMem),
}}

// special is indexed by funct (docs/spec.md §5.3 "SPECIAL"). The rotate encodings of SRL, SRLV and
// the 64-bit logical right shifts are MIPS64 Release 2 rotates that Cannon executes as
// plain shifts.
var special = &table{prefix: "special", selector: Funct, unnamed: Unsupported, rows: []entry{
	0x00: ok("sll", formRdRtSa), 0x01: {name: "movci", status: Unsupported, sub: nameMovci},
	0x02: rotates(ok("srl", formRdRtSa), "rotr", rsRotate), 0x03: ok("sra", formRdRtSa),
	0x04: ok("sllv", formRdRtRs), 0x05: {}, 0x06: rotates(ok("srlv", formRdRtRs), "rotrv", saRotate), 0x07: ok("srav", formRdRtRs),
	0x08: ok("jr", formRs), 0x09: ok("jalr", formRdRs), 0x0A: ok("movz", formRdRsRt), 0x0B: ok("movn", formRdRsRt),
	0x0C: ok("syscall", formNone), 0x0D: no("break", formNone), 0x0E: {}, 0x0F: ok("sync", formNone),
	0x10: ok("mfhi", formRd), 0x11: ok("mthi", formRs), 0x12: ok("mflo", formRd), 0x13: ok("mtlo", formRs),
	0x14: ok("dsllv", formRdRtRs), 0x15: {}, 0x16: rotates(ok("dsrlv", formRdRtRs), "drotrv", saRotate), 0x17: ok("dsrav", formRdRtRs),
	0x18: ok("mult", formRsRt), 0x19: ok("multu", formRsRt), 0x1A: ok("div", formRsRt), 0x1B: ok("divu", formRsRt),
	0x1C: ok("dmult", formRsRt), 0x1D: ok("dmultu", formRsRt), 0x1E: ok("ddiv", formRsRt), 0x1F: ok("ddivu", formRsRt),
	0x20: ok("add", formRdRsRt), 0x21: ok("addu", formRdRsRt), 0x22: ok("sub", formRdRsRt), 0x23: ok("subu", formRdRsRt),
	0x24: ok("and", formRdRsRt), 0x25: ok("or", formRdRsRt), 0x26: ok("xor", formRdRsRt), 0x27: ok("nor", formRdRsRt),
	0x28: {}, 0x29: {}, 0x2A: ok("slt", formRdRsRt), 0x2B: ok("sltu", formRdRsRt),
	0x2C: ok("dadd", formRdRsRt), 0x2D: ok("daddu", formRdRsRt), 0x2E: ok("dsub", formRdRsRt), 0x2F: ok("dsubu", formRdRsRt),
	0x30: no("tge", formRsRt), 0x31: no("tgeu", formRsRt), 0x32: no("tlt", formRsRt), 0x33: no("tltu", formRsRt),
	0x34: no("teq", formRsRt), 0x35: {}, 0x36: no("tne", formRsRt), 0x37: {},
	0x38: ok("dsll", formRdRtSa), 0x39: {}, 0x3A: rotates(ok("dsrl", formRdRtSa), "drotr", rsRotate), 0x3B: ok("dsra", formRdRtSa),
	0x3C: ok("dsll32", formRdRtSa), 0x3D: {}, 0x3E: rotates(ok("dsrl32", formRdRtSa), "drotr32", rsRotate), 0x3F: ok("dsra32", formRdRtSa),
}}

// special2 is indexed by funct (docs/spec.md §5.4 "SPECIAL2").
var special2 = &table{prefix: "special2", selector: Funct, unnamed: Unsupported, rows: []entry{
	0x00: no("madd", formRsRt), 0x01: no("maddu", formRsRt), 0x02: ok("mul", formRdRsRt), 0x04: no("msub", formRsRt), 0x05: no("msubu", formRsRt),
	0x20: ok("clz", formClz), 0x21: ok("clo", formClz), 0x24: ok("dclz", formClz), 0x25: ok("dclo", formClz),
	0x3F: no("sdbbp", formWord),
}}

// regimm is indexed by rt (docs/spec.md §5.5 "REGIMM"). Any other rt is a branch that is never
// taken: no exception, so a program keeps running with the wrong control flow.
var regimm = &table{prefix: "regimm", selector: RT, unnamed: Deviating, unnamedNote: neverTaken, rows: []entry{
	0x00: ok("bltz", formBr1), 0x01: ok("bgez", formBr1), 0x02: never("bltzl", formBr1), 0x03: never("bgezl", formBr1),
	0x08: never("tgei", formWord), 0x09: never("tgeiu", formWord), 0x0A: never("tlti", formWord), 0x0B: never("tltiu", formWord),
	0x0C: never("teqi", formWord), 0x0E: never("tnei", formWord),
	0x10: ok("bltzal", formBr1), 0x11: ok("bgezal", formBr1), 0x12: never("bltzall", formWord), 0x13: never("bgezall", formWord),
	0x1F: never("synci", formWord),
}}

// row finds the table row that w selects.
func row(w uint32) (t *table, sel uint32, e entry) {
	switch Opcode(w) {
	case OpSpecial:
		t = special
	case OpRegimm:
		t = regimm
	case OpSpecial2:
		t = special2
	default:
		t = primary
	}
	sel = t.selector(w)
	if int(sel) < len(t.rows) {
		e = t.rows[sel]
	}
	if e.name == "" {
		e = entry{status: t.unnamed, note: t.unnamedNote}
	}
	return t, sel, e
}

// Decode classifies one instruction word.
func Decode(w uint32) Insn {
	t, sel, e := row(w)
	in := Insn{Word: w, Mnemonic: e.name, Status: e.status, Note: e.note}
	switch {
	case e.name == "":
		in.Mnemonic = fmt.Sprintf("%s:0x%02x", t.prefix, sel)
	case e.sub != nil:
		in.Mnemonic = e.sub(w)
	case w&e.rotBit != 0:
		in.Mnemonic, in.Status = e.rotate, Deviating
		in.Note = "executed as " + e.name + " (a logical shift, not a rotate)"
	}
	return in
}

// nameMovci names MOVF/MOVT by the tf bit (rt bit 0).
func nameMovci(w uint32) string {
	if RT(w)&1 != 0 {
		return "movt"
	}
	return "movf"
}
