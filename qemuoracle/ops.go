package qemuoracle

import "github.com/fpvmdiff/fpvmdiff/mips64"

// The instructions the oracle compares, as generator data: name, operand fields, class and,
// for memory and control-flow instructions, what the harness must arrange around them. The
// encoding of each name comes from package mips64's decode table, which shares nothing with
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
	Name  string
	Class Class
	Uses  field // operand fields; the other free fields are reserved (must be zero)
	Flow  flow
	// MemSize is the bytes a load or store accesses; 0 for other instructions.
	MemSize int
	Store   bool
	enc     mips64.Encoding // mips64.Lookup(Name), set by init
}

func op(name string, class Class, uses field) *Op { return &Op{Name: name, Class: class, Uses: uses} }

func load(name string, size int) *Op {
	return &Op{Name: name, Class: ClassMem, Uses: fRS | fRT | fIMM, MemSize: size}
}

func store(name string, size int) *Op {
	op := load(name, size)
	op.Store = true
	return op
}

func flowOp(name string, uses field, f flow) *Op {
	return &Op{Name: name, Class: ClassBranch, Uses: uses, Flow: f}
}

// Ops is every instruction the oracle compares (docs/spec.md §5.2 "Primary opcodes" to §5.5
// "REGIMM", §5.7 "Loads and stores").
var Ops = []*Op{
	// SPECIAL arithmetic and logic (§5.3)
	op("add", ClassALU, fRD|fRS|fRT),
	op("addu", ClassALU, fRD|fRS|fRT),
	op("sub", ClassALU, fRD|fRS|fRT),
	op("subu", ClassALU, fRD|fRS|fRT),
	op("and", ClassALU, fRD|fRS|fRT),
	op("or", ClassALU, fRD|fRS|fRT),
	op("xor", ClassALU, fRD|fRS|fRT),
	op("nor", ClassALU, fRD|fRS|fRT),
	op("slt", ClassALU, fRD|fRS|fRT),
	op("sltu", ClassALU, fRD|fRS|fRT),
	op("dadd", ClassALU, fRD|fRS|fRT),
	op("daddu", ClassALU, fRD|fRS|fRT),
	op("dsub", ClassALU, fRD|fRS|fRT),
	op("dsubu", ClassALU, fRD|fRS|fRT),
	op("movz", ClassALU, fRD|fRS|fRT),
	op("movn", ClassALU, fRD|fRS|fRT),
	op("sync", ClassALU, 0),
	// I-type arithmetic and logic (§5.2)
	op("addi", ClassALU, fRS|fRT|fIMM),
	op("addiu", ClassALU, fRS|fRT|fIMM),
	op("slti", ClassALU, fRS|fRT|fIMM),
	op("sltiu", ClassALU, fRS|fRT|fIMM),
	op("andi", ClassALU, fRS|fRT|fIMM),
	op("ori", ClassALU, fRS|fRT|fIMM),
	op("xori", ClassALU, fRS|fRT|fIMM),
	op("lui", ClassALU, fRT|fIMM),
	op("daddi", ClassALU, fRS|fRT|fIMM),
	op("daddiu", ClassALU, fRS|fRT|fIMM),

	// Shifts (§5.3)
	op("sll", ClassShift, fRD|fRT|fSA),
	op("srl", ClassShift, fRD|fRT|fSA),
	op("sra", ClassShift, fRD|fRT|fSA),
	op("sllv", ClassShift, fRD|fRT|fRS),
	op("srlv", ClassShift, fRD|fRT|fRS),
	op("srav", ClassShift, fRD|fRT|fRS),
	op("dsllv", ClassShift, fRD|fRT|fRS),
	op("dsrlv", ClassShift, fRD|fRT|fRS),
	op("dsrav", ClassShift, fRD|fRT|fRS),
	op("dsll", ClassShift, fRD|fRT|fSA),
	op("dsrl", ClassShift, fRD|fRT|fSA),
	op("dsra", ClassShift, fRD|fRT|fSA),
	op("dsll32", ClassShift, fRD|fRT|fSA),
	op("dsrl32", ClassShift, fRD|fRT|fSA),
	op("dsra32", ClassShift, fRD|fRT|fSA),

	// Multiply, divide, HI/LO (§5.3)
	op("mfhi", ClassMulDiv, fRD),
	op("mthi", ClassMulDiv, fRS),
	op("mflo", ClassMulDiv, fRD),
	op("mtlo", ClassMulDiv, fRS),
	op("mult", ClassMulDiv, fRS|fRT),
	op("multu", ClassMulDiv, fRS|fRT),
	op("div", ClassMulDiv, fRS|fRT),
	op("divu", ClassMulDiv, fRS|fRT),
	op("dmult", ClassMulDiv, fRS|fRT),
	op("dmultu", ClassMulDiv, fRS|fRT),
	op("ddiv", ClassMulDiv, fRS|fRT),
	op("ddivu", ClassMulDiv, fRS|fRT),

	// SPECIAL2 (§5.4). CLZ/CLO/DCLZ/DCLO use rt too: it must repeat rd (deviation clz-rt-is-rd).
	op("mul", ClassSpecial2, fRD|fRS|fRT),
	op("clz", ClassSpecial2, fRD|fRS|fRT),
	op("clo", ClassSpecial2, fRD|fRS|fRT),
	op("dclz", ClassSpecial2, fRD|fRS|fRT),
	op("dclo", ClassSpecial2, fRD|fRS|fRT),

	// Loads and stores (§5.2, §5.7)
	load("lb", 1),
	load("lh", 2),
	load("lwl", 4),
	load("lw", 4),
	load("lbu", 1),
	load("lhu", 2),
	load("lwr", 4),
	load("lwu", 4),
	load("ldl", 8),
	load("ldr", 8),
	load("ld", 8),
	store("sb", 1),
	store("sh", 2),
	store("swl", 4),
	store("sw", 4),
	store("sdl", 8),
	store("sdr", 8),
	store("swr", 4),
	store("sd", 8),

	// Branches and jumps (§5.2, §5.5, §5.6)
	flowOp("beq", fRS|fRT|fIMM, flowBranch),
	flowOp("bne", fRS|fRT|fIMM, flowBranch),
	flowOp("blez", fRS|fIMM, flowBranch),
	flowOp("bgtz", fRS|fIMM, flowBranch),
	flowOp("bltz", fRS|fIMM, flowBranch),
	flowOp("bgez", fRS|fIMM, flowBranch),
	flowOp("bltzal", fRS|fIMM, flowBranch),
	flowOp("bgezal", fRS|fIMM, flowBranch),
	flowOp("j", fTarget, flowJump),
	flowOp("jal", fTarget, flowJump),
	flowOp("jr", fRS, flowJumpReg),
	flowOp("jalr", fRS|fRD, flowJumpReg),
}

// The encodings of Ops, from the decode table; a name it lacks is a typo in Ops.
func init() {
	for _, op := range Ops {
		enc, found := mips64.Lookup(op.Name)
		if !found {
			panic("qemuoracle: Ops names " + op.Name + ", which mips64 cannot encode")
		}
		op.enc = enc
	}
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
