package qemuoracle

// The instructions the oracle compares, as data: encoding, operand fields, class and, for
// memory and control-flow instructions, what the harness must arrange around them. This
// table is the oracle's own, written from docs/spec.md §5 "Instructions"; it shares nothing with
// the VM's decoder, so a misread encoding in one does not hide in the other.

// Class groups instructions for the per-class counts of the report.
type Class string

const (
	ClassALU      Class = "alu"      // SPECIAL and I-type arithmetic/logic rows
	ClassShift    Class = "shift"    // 32- and 64-bit shifts
	ClassMulDiv   Class = "muldiv"   // multiply, divide and the HI/LO moves
	ClassSpecial2 Class = "special2" // MUL, CLZ, CLO, DCLZ, DCLO
	ClassMem      Class = "mem"      // every load and store, sub-word and unaligned
	ClassBranch   Class = "branch"   // branches, jumps, links
)

// Classes is the order of the report and of the generator's round robin.
var Classes = []Class{ClassALU, ClassShift, ClassMulDiv, ClassSpecial2, ClassMem, ClassBranch}

// format is how the 26 bits below the primary opcode are split.
type format int

const (
	fmtR      format = iota // SPECIAL / SPECIAL2: rs rt rd sa, selector in funct
	fmtRegimm               // REGIMM: rs, selector in rt, imm
	fmtI                    // rs rt imm
	fmtJ                    // 26-bit target
)

// field is a set of instruction fields an operation reads as operands.
type field uint8

const (
	fRS field = 1 << iota
	fRT
	fRD
	fSA
	fIMM
	fTarget
)

// flow says how an instruction moves the pc beyond falling through.
type flow int

const (
	flowNone    flow = iota
	flowBranch       // pc-relative, taken or not
	flowJump         // J/JAL: 26-bit target in the delay slot's 256 MB region
	flowJumpReg      // JR/JALR: target in rs
)

// Op is one instruction the oracle generates.
type Op struct {
	Name   string
	Class  Class
	Major  uint32 // bits 31..26
	Minor  uint32 // funct for SPECIAL/SPECIAL2, the rt selector for REGIMM
	Format format
	Uses   field // operand fields; the other free fields are reserved (must be zero)
	Syntax string
	Flow   flow
	// MemSize is the bytes a load or store accesses; 0 for other instructions.
	MemSize int
	Store   bool
}

// Operand syntaxes for the disassembly in reports.
const (
	synRdRsRt  = "rd, rs, rt"
	synRdRtSa  = "rd, rt, sa"
	synRdRtRs  = "rd, rt, rs"
	synRsRt    = "rs, rt"
	synRd      = "rd"
	synRs      = "rs"
	synRdRs    = "rd, rs"
	synNone    = ""
	synRtRsImm = "rt, rs, imm"
	synRtImm   = "rt, imm"
	synMem     = "rt, imm(rs)"
	synRsRtOff = "rs, rt, off"
	synRsOff   = "rs, off"
	synTarget  = "target"
)

const (
	majorSpecial  = 0x00
	majorRegimm   = 0x01
	majorSpecial2 = 0x1C
)

func special(name string, class Class, funct uint32, uses field, syntax string) *Op {
	return &Op{Name: name, Class: class, Major: majorSpecial, Minor: funct, Format: fmtR, Uses: uses, Syntax: syntax}
}

func special2(name string, funct uint32, uses field, syntax string) *Op {
	return &Op{Name: name, Class: ClassSpecial2, Major: majorSpecial2, Minor: funct, Format: fmtR, Uses: uses, Syntax: syntax}
}

func itype(name string, class Class, major uint32, uses field, syntax string) *Op {
	return &Op{Name: name, Class: class, Major: major, Format: fmtI, Uses: uses, Syntax: syntax}
}

func load(name string, major uint32, size int) *Op {
	return &Op{Name: name, Class: ClassMem, Major: major, Format: fmtI, Uses: fRS | fRT | fIMM, Syntax: synMem, MemSize: size}
}

func store(name string, major uint32, size int) *Op {
	op := load(name, major, size)
	op.Store = true
	return op
}

func branch(name string, major uint32, uses field, syntax string) *Op {
	return &Op{Name: name, Class: ClassBranch, Major: major, Format: fmtI, Uses: uses, Syntax: syntax, Flow: flowBranch}
}

func regimm(name string, rt uint32) *Op {
	return &Op{Name: name, Class: ClassBranch, Major: majorRegimm, Minor: rt, Format: fmtRegimm, Uses: fRS | fIMM, Syntax: synRsOff, Flow: flowBranch}
}

// Ops is every instruction the oracle compares (docs/spec.md §5.2 "Primary opcodes" to §5.5
// "REGIMM", §5.7 "Loads and stores").
var Ops = []*Op{
	// SPECIAL arithmetic and logic (§5.3)
	special("add", ClassALU, 0x20, fRD|fRS|fRT, synRdRsRt),
	special("addu", ClassALU, 0x21, fRD|fRS|fRT, synRdRsRt),
	special("sub", ClassALU, 0x22, fRD|fRS|fRT, synRdRsRt),
	special("subu", ClassALU, 0x23, fRD|fRS|fRT, synRdRsRt),
	special("and", ClassALU, 0x24, fRD|fRS|fRT, synRdRsRt),
	special("or", ClassALU, 0x25, fRD|fRS|fRT, synRdRsRt),
	special("xor", ClassALU, 0x26, fRD|fRS|fRT, synRdRsRt),
	special("nor", ClassALU, 0x27, fRD|fRS|fRT, synRdRsRt),
	special("slt", ClassALU, 0x2A, fRD|fRS|fRT, synRdRsRt),
	special("sltu", ClassALU, 0x2B, fRD|fRS|fRT, synRdRsRt),
	special("dadd", ClassALU, 0x2C, fRD|fRS|fRT, synRdRsRt),
	special("daddu", ClassALU, 0x2D, fRD|fRS|fRT, synRdRsRt),
	special("dsub", ClassALU, 0x2E, fRD|fRS|fRT, synRdRsRt),
	special("dsubu", ClassALU, 0x2F, fRD|fRS|fRT, synRdRsRt),
	special("movz", ClassALU, 0x0A, fRD|fRS|fRT, synRdRsRt),
	special("movn", ClassALU, 0x0B, fRD|fRS|fRT, synRdRsRt),
	special("sync", ClassALU, 0x0F, 0, synNone),
	// I-type arithmetic and logic (§5.2)
	itype("addi", ClassALU, 0x08, fRS|fRT|fIMM, synRtRsImm),
	itype("addiu", ClassALU, 0x09, fRS|fRT|fIMM, synRtRsImm),
	itype("slti", ClassALU, 0x0A, fRS|fRT|fIMM, synRtRsImm),
	itype("sltiu", ClassALU, 0x0B, fRS|fRT|fIMM, synRtRsImm),
	itype("andi", ClassALU, 0x0C, fRS|fRT|fIMM, synRtRsImm),
	itype("ori", ClassALU, 0x0D, fRS|fRT|fIMM, synRtRsImm),
	itype("xori", ClassALU, 0x0E, fRS|fRT|fIMM, synRtRsImm),
	itype("lui", ClassALU, 0x0F, fRT|fIMM, synRtImm),
	itype("daddi", ClassALU, 0x18, fRS|fRT|fIMM, synRtRsImm),
	itype("daddiu", ClassALU, 0x19, fRS|fRT|fIMM, synRtRsImm),

	// Shifts (§5.3)
	special("sll", ClassShift, 0x00, fRD|fRT|fSA, synRdRtSa),
	special("srl", ClassShift, 0x02, fRD|fRT|fSA, synRdRtSa),
	special("sra", ClassShift, 0x03, fRD|fRT|fSA, synRdRtSa),
	special("sllv", ClassShift, 0x04, fRD|fRT|fRS, synRdRtRs),
	special("srlv", ClassShift, 0x06, fRD|fRT|fRS, synRdRtRs),
	special("srav", ClassShift, 0x07, fRD|fRT|fRS, synRdRtRs),
	special("dsllv", ClassShift, 0x14, fRD|fRT|fRS, synRdRtRs),
	special("dsrlv", ClassShift, 0x16, fRD|fRT|fRS, synRdRtRs),
	special("dsrav", ClassShift, 0x17, fRD|fRT|fRS, synRdRtRs),
	special("dsll", ClassShift, 0x38, fRD|fRT|fSA, synRdRtSa),
	special("dsrl", ClassShift, 0x3A, fRD|fRT|fSA, synRdRtSa),
	special("dsra", ClassShift, 0x3B, fRD|fRT|fSA, synRdRtSa),
	special("dsll32", ClassShift, 0x3C, fRD|fRT|fSA, synRdRtSa),
	special("dsrl32", ClassShift, 0x3E, fRD|fRT|fSA, synRdRtSa),
	special("dsra32", ClassShift, 0x3F, fRD|fRT|fSA, synRdRtSa),

	// Multiply, divide, HI/LO (§5.3)
	special("mfhi", ClassMulDiv, 0x10, fRD, synRd),
	special("mthi", ClassMulDiv, 0x11, fRS, synRs),
	special("mflo", ClassMulDiv, 0x12, fRD, synRd),
	special("mtlo", ClassMulDiv, 0x13, fRS, synRs),
	special("mult", ClassMulDiv, 0x18, fRS|fRT, synRsRt),
	special("multu", ClassMulDiv, 0x19, fRS|fRT, synRsRt),
	special("div", ClassMulDiv, 0x1A, fRS|fRT, synRsRt),
	special("divu", ClassMulDiv, 0x1B, fRS|fRT, synRsRt),
	special("dmult", ClassMulDiv, 0x1C, fRS|fRT, synRsRt),
	special("dmultu", ClassMulDiv, 0x1D, fRS|fRT, synRsRt),
	special("ddiv", ClassMulDiv, 0x1E, fRS|fRT, synRsRt),
	special("ddivu", ClassMulDiv, 0x1F, fRS|fRT, synRsRt),

	// SPECIAL2 (§5.4). CLZ/CLO/DCLZ/DCLO use rt too: it must repeat rd (deviation clz-rt-is-rd).
	special2("mul", 0x02, fRD|fRS|fRT, synRdRsRt),
	special2("clz", 0x20, fRD|fRS|fRT, synRdRs),
	special2("clo", 0x21, fRD|fRS|fRT, synRdRs),
	special2("dclz", 0x24, fRD|fRS|fRT, synRdRs),
	special2("dclo", 0x25, fRD|fRS|fRT, synRdRs),

	// Loads and stores (§5.2, §5.7)
	load("lb", 0x20, 1),
	load("lh", 0x21, 2),
	load("lwl", 0x22, 4),
	load("lw", 0x23, 4),
	load("lbu", 0x24, 1),
	load("lhu", 0x25, 2),
	load("lwr", 0x26, 4),
	load("lwu", 0x27, 4),
	load("ldl", 0x1A, 8),
	load("ldr", 0x1B, 8),
	load("ld", 0x37, 8),
	store("sb", 0x28, 1),
	store("sh", 0x29, 2),
	store("swl", 0x2A, 4),
	store("sw", 0x2B, 4),
	store("sdl", 0x2C, 8),
	store("sdr", 0x2D, 8),
	store("swr", 0x2E, 4),
	store("sd", 0x3F, 8),

	// Branches and jumps (§5.2, §5.5, §5.6)
	branch("beq", 0x04, fRS|fRT|fIMM, synRsRtOff),
	branch("bne", 0x05, fRS|fRT|fIMM, synRsRtOff),
	branch("blez", 0x06, fRS|fIMM, synRsOff),
	branch("bgtz", 0x07, fRS|fIMM, synRsOff),
	regimm("bltz", 0x00),
	regimm("bgez", 0x01),
	regimm("bltzal", 0x10),
	regimm("bgezal", 0x11),
	{Name: "j", Class: ClassBranch, Major: 0x02, Format: fmtJ, Uses: fTarget, Syntax: synTarget, Flow: flowJump},
	{Name: "jal", Class: ClassBranch, Major: 0x03, Format: fmtJ, Uses: fTarget, Syntax: synTarget, Flow: flowJump},
	{Name: "jr", Class: ClassBranch, Major: majorSpecial, Minor: 0x08, Format: fmtR, Uses: fRS, Syntax: synRs, Flow: flowJumpReg},
	{Name: "jalr", Class: ClassBranch, Major: majorSpecial, Minor: 0x09, Format: fmtR, Uses: fRS | fRD, Syntax: synRdRs, Flow: flowJumpReg},
}

// opsByName indexes Ops; built once, used by the deviation table and tests.
var opsByName = func() map[string]*Op {
	m := make(map[string]*Op, len(Ops))
	for _, op := range Ops {
		m[op.Name] = op
	}
	return m
}()

// opsOfClass lists the Ops of one class, in table order.
func opsOfClass(c Class) []*Op {
	var out []*Op
	for _, op := range Ops {
		if op.Class == c {
			out = append(out, op)
		}
	}
	return out
}
