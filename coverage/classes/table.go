package classes

import "math"

// The class table (data). Rows are named as coverage/rows.go names them ("insn/<mnemonic>").
// The selectors are decoded here (docs/spec.md §5.2 "Primary opcodes" to §5.5 "REGIMM"), not
// borrowed from either VM.

func sx32(x uint64) uint64 { return uint64(int64(int32(uint32(x)))) }

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// ---------------------------------------------------------------- axes

// amount buckets of a shift amount: the mask boundaries of 5- and 6-bit amounts.
func amountBucket(a uint64) string {
	switch {
	case a == 0:
		return "0"
	case a < 31:
		return "1-30"
	case a == 31:
		return "31"
	case a < 63:
		return "32-62"
	default:
		return "63"
	}
}

var (
	saAxis = &Axis{"sa", []string{"0", "1-30", "31"}, func(p *Pre) string { return amountBucket(uint64(p.sa())) }}
	// amt is rs modulo 64: 32-62 and 63 tell a 5-bit mask from a 6-bit one.
	amtAxis = &Axis{"amt", []string{"0", "1-30", "31", "32-62", "63"}, func(p *Pre) string { return amountBucket(p.rs() & 63) }}
	// rshigh: bits of rs above a 6-bit amount, which a 64-bit shift must ignore.
	rsHighAxis = &Axis{"rshigh", []string{"clean", "dirty"}, func(p *Pre) string { return pick(p.rs()>>6 == 0, "clean", "dirty") }}
	// sign of the 32-bit operand rt, and whether rt is a canonical (sign-extended) word.
	sign32RT  = &Axis{"sign", []string{"pos", "neg"}, func(p *Pre) string { return pick(p.rt()>>31&1 == 1, "neg", "pos") }}
	upperRT   = &Axis{"upper", []string{"clean", "dirty"}, func(p *Pre) string { return pick(p.rt() == sx32(p.rt()), "clean", "dirty") }}
	sign64RT  = &Axis{"sign", []string{"pos", "neg"}, func(p *Pre) string { return pick(p.rt()>>63 == 1, "neg", "pos") }}
	slotAxis  = &Axis{"slot", []string{"out", "in"}, func(p *Pre) string { return pick(p.InDelaySlot(), "in", "out") }}
	imm15Axis = &Axis{"imm15", []string{"clear", "set"}, func(p *Pre) string { return pick(p.Insn>>15&1 == 1, "set", "clear") }}
)

// upperAny: some 32-bit operand (rs, and rt unless immediate) is not sign-extended.
func upperAny(immediate bool) *Axis {
	return &Axis{"upper", []string{"clean", "dirty"}, func(p *Pre) string {
		dirty := p.rs() != sx32(p.rs()) || !immediate && p.rt() != sx32(p.rt())
		return pick(dirty, "dirty", "clean")
	}}
}

// second is rt, or the sign-extended immediate of an I-type instruction.
func second(p *Pre, immediate bool) uint64 {
	if immediate {
		return p.simm()
	}
	return p.rt()
}

// ovf32: the 32-bit sum or difference of the low words overflows (ADD/SUB do not trap in
// Cannon, 1.2/1.3; the result is the wrapped value).
func ovf32(sub, immediate bool) *Axis {
	return &Axis{"ovf", []string{"none", "pos", "neg"}, func(p *Pre) string {
		a, b := int64(int32(uint32(p.rs()))), int64(int32(uint32(second(p, immediate))))
		r := a + b
		if sub {
			r = a - b
		}
		return pick(r > math.MaxInt32, "pos", pick(r < math.MinInt32, "neg", "none"))
	}}
}

func ovf64(sub, immediate bool) *Axis {
	return &Axis{"ovf", []string{"none", "pos", "neg"}, func(p *Pre) string {
		a, b := int64(p.rs()), int64(second(p, immediate))
		var r int64
		var over bool
		if sub {
			r = a - b
			over = (a >= 0) != (b >= 0) && (r >= 0) != (a >= 0)
		} else {
			r = a + b
			over = (a >= 0) == (b >= 0) && (r >= 0) != (a >= 0)
		}
		if !over {
			return "none"
		}
		return pick(a >= 0, "pos", "neg")
	}}
}

// cmp and signs of a comparison (SLT family): less/equal/greater in the row's signedness,
// and whether bit 63 of the two operands differs (where signed and unsigned disagree).
func cmpAxes(signed, immediate bool) []*Axis {
	cmp := &Axis{"cmp", []string{"lt", "eq", "gt"}, func(p *Pre) string {
		a, b := p.rs(), second(p, immediate)
		if a == b {
			return "eq"
		}
		less := a < b
		if signed {
			less = int64(a) < int64(b)
		}
		return pick(less, "lt", "gt")
	}}
	signs := &Axis{"signs", []string{"same", "differ"}, func(p *Pre) string {
		return pick((p.rs()^second(p, immediate))>>63 == 1, "differ", "same")
	}}
	return []*Axis{cmp, signs}
}

// signs of the two multiplication/division operands, over 32 or 64 bits.
func signsAxis(bits uint) *Axis {
	return &Axis{"signs", []string{"++", "+-", "-+", "--"}, func(p *Pre) string {
		s := func(v uint64) string { return pick(v>>(bits-1)&1 == 1, "-", "+") }
		return s(p.rs()) + s(p.rt())
	}}
}

// divCase: a zero divisor (an exception), the one overflowing signed quotient, or the signs.
func divCase(bits uint, signed bool) *Axis {
	buckets := []string{"++", "+-", "-+", "--", "by-zero"}
	if signed {
		buckets = append(buckets, "min-by-neg1")
	}
	mask := uint64(math.MaxUint64) >> (64 - bits)
	min := uint64(1) << (bits - 1)
	signs := signsAxis(bits)
	return &Axis{"div", buckets, func(p *Pre) string {
		a, b := p.rs()&mask, p.rt()&mask
		switch {
		case b == 0:
			return "by-zero"
		case signed && a == min && b == mask:
			return "min-by-neg1"
		}
		return signs.Of(p)
	}}
}

// clz/clo: the low word is all zeros, all ones, or mixed.
var countAxis = &Axis{"lo32", []string{"zeros", "ones", "mixed"}, func(p *Pre) string {
	switch uint32(p.rs()) {
	case 0:
		return "zeros"
	case math.MaxUint32:
		return "ones"
	}
	return "mixed"
}}

// movz/movn: rt zero, zero only in its low word (a 32-bit test would call it zero), other.
var rtZeroAxis = &Axis{"rt", []string{"zero", "lo32-zero", "nonzero"}, func(p *Pre) string {
	switch {
	case p.rt() == 0:
		return "zero"
	case uint32(p.rt()) == 0:
		return "lo32-zero"
	}
	return "nonzero"
}}

// beq/bne: taken or not, and operands equal in the low word only.
func eqAxes(bne bool) (*Axis, *Axis) {
	taken := &Axis{"taken", []string{"yes", "no"}, func(p *Pre) string { return pick((p.rs() == p.rt()) != bne, "yes", "no") }}
	lo := &Axis{"lo32", []string{"equal-only"}, func(p *Pre) string {
		return pick(p.rs() != p.rt() && uint32(p.rs()) == uint32(p.rt()), "equal-only", "")
	}}
	return taken, lo
}

// rsSign: a compare against zero; pos-bit31 is positive as int64 but negative as int32.
var rsSignAxis = &Axis{"rs", []string{"zero", "pos", "pos-bit31", "neg"}, func(p *Pre) string {
	v := int64(p.rs())
	switch {
	case v == 0:
		return "zero"
	case v < 0:
		return "neg"
	case p.rs()>>31&1 == 1:
		return "pos-bit31"
	}
	return "pos"
}}

// Memory: the byte offset in the 8-byte word, the 8-byte position in the 32-byte Merkle
// leaf (the contract locates the word inside the leaf), rt bits a store must not write.
var (
	offAxis  = &Axis{"off", []string{"0", "1", "2", "3", "4", "5", "6", "7"}, func(p *Pre) string { return digit(p.ea() & 7) }}
	leafAxis = &Axis{"leaf", []string{"0", "1", "2", "3"}, func(p *Pre) string { return digit(p.ea() >> 3 & 3) }}
	// rtKept: a merging load (LWL/LWR/LDL/LDR) starts from an rt with bits in both halves.
	rtKept = &Axis{"rt", []string{"dirty"}, func(p *Pre) string {
		return pick(p.rt()>>32 != 0 && uint32(p.rt()) != 0, "dirty", "")
	}}
)

// unstored: rt has bits set outside the n low bytes a store writes.
func unstored(n uint) *Axis {
	return &Axis{"rt", []string{"dirty-unstored"}, func(p *Pre) string {
		return pick(p.rt()>>(8*n) != 0, "dirty-unstored", "")
	}}
}

// loadSign: the sign bit of the naturally aligned n-byte field a sign-extending load reads.
func loadSign(n uint64) *Axis {
	return &Axis{"field", []string{"pos", "neg"}, func(p *Pre) string {
		if p.Word == nil {
			return ""
		}
		ea := p.ea()
		b := ea & 7 &^ (n - 1)
		field := p.Word(ea&^7) >> ((8 - n - b) * 8)
		return pick(field>>(8*n-1)&1 == 1, "neg", "pos")
	}}
}

func digit(v uint64) string { return string(rune('0' + v)) }

// ---------------------------------------------------------------- specs

func g(axes ...*Axis) Group { return Group{Axes: axes} }

var syscallSpec = &Spec{Row: "syscall", Groups: []Group{g(slotAxis)}}

// selector keys: op for primary opcodes, 64+funct SPECIAL, 128+rt REGIMM, 192+funct SPECIAL2.
var bySelector = map[int]*Spec{}
var byRow = map[string]*Spec{}

func add(sel int, row string, ops Operand, groups ...Group) {
	s := &Spec{Row: "insn/" + row, Groups: groups, Operands: ops}
	bySelector[sel] = s
	byRow[s.Row] = s
}

func specOf(insn uint32) *Spec {
	op := insn >> 26
	switch op {
	case 0:
		if insn&0x3F == 0x0C {
			return syscallSpec
		}
		return bySelector[64+int(insn&0x3F)]
	case 1:
		return bySelector[128+int(insn>>16&31)]
	case 0x1C:
		return bySelector[192+int(insn&0x3F)]
	}
	return bySelector[int(op)]
}

const sp, ri, sp2 = 64, 128, 192

func init() {
	// 32-bit shifts by sa: amount × sign of the low word × dirty upper word.
	for f, n := range map[int]string{0x00: "sll", 0x02: "srl", 0x03: "sra"} {
		add(sp+f, n, OpRT|OpSA, g(saAxis, sign32RT, upperRT))
	}
	// 32-bit shifts by rs: rs mod 64 straddles the 5-bit mask.
	for f, n := range map[int]string{0x04: "sllv", 0x06: "srlv", 0x07: "srav"} {
		add(sp+f, n, OpRS|OpRT, g(amtAxis, sign32RT, upperRT))
	}
	for f, n := range map[int]string{0x38: "dsll", 0x3A: "dsrl", 0x3B: "dsra", 0x3C: "dsll32", 0x3E: "dsrl32", 0x3F: "dsra32"} {
		add(sp+f, n, OpRT|OpSA, g(saAxis, sign64RT))
	}
	for f, n := range map[int]string{0x14: "dsllv", 0x16: "dsrlv", 0x17: "dsrav"} {
		add(sp+f, n, OpRS|OpRT, g(amtAxis, rsHighAxis, sign64RT))
	}
	// Arithmetic at the overflow boundaries; 32-bit forms also with dirty upper words.
	add(sp+0x20, "add", OpRS|OpRT, g(ovf32(false, false), upperAny(false)))
	add(sp+0x21, "addu", OpRS|OpRT, g(ovf32(false, false), upperAny(false)))
	add(sp+0x22, "sub", OpRS|OpRT, g(ovf32(true, false), upperAny(false)))
	add(sp+0x23, "subu", OpRS|OpRT, g(ovf32(true, false), upperAny(false)))
	add(0x08, "addi", OpRS|OpImm, g(ovf32(false, true), upperAny(true)))
	add(0x09, "addiu", OpRS|OpImm, g(ovf32(false, true), upperAny(true)))
	add(sp+0x2C, "dadd", OpRS|OpRT, g(ovf64(false, false)))
	add(sp+0x2D, "daddu", OpRS|OpRT, g(ovf64(false, false)))
	add(sp+0x2E, "dsub", OpRS|OpRT, g(ovf64(true, false)))
	add(sp+0x2F, "dsubu", OpRS|OpRT, g(ovf64(true, false)))
	add(0x18, "daddi", OpRS|OpImm, g(ovf64(false, true)))
	add(0x19, "daddiu", OpRS|OpImm, g(ovf64(false, true)))
	// Comparisons: less/equal/greater × whether the operands' signs differ.
	cmpSkip := []string{"cmp=eq,signs=differ"}
	add(sp+0x2A, "slt", OpRS|OpRT, Group{cmpAxes(true, false), cmpSkip})
	add(sp+0x2B, "sltu", OpRS|OpRT, Group{cmpAxes(false, false), cmpSkip})
	add(0x0A, "slti", OpRS|OpImm, Group{cmpAxes(true, true), cmpSkip})
	add(0x0B, "sltiu", OpRS|OpImm, Group{cmpAxes(false, true), cmpSkip})
	// Logical immediates are zero-extended, LUI's is shifted and sign-extended: bit 15.
	for op, n := range map[int]string{0x0C: "andi", 0x0D: "ori", 0x0E: "xori", 0x0F: "lui"} {
		add(op, n, OpRS|OpImm, g(imm15Axis))
	}
	// Multiply and divide: operand signs; 32-bit forms with dirty upper words.
	add(sp+0x18, "mult", OpRS|OpRT, g(signsAxis(32), upperAny(false)))
	add(sp+0x19, "multu", OpRS|OpRT, g(signsAxis(32), upperAny(false)))
	add(sp2+0x02, "mul", OpRS|OpRT, g(signsAxis(32), upperAny(false)))
	add(sp+0x1C, "dmult", OpRS|OpRT, g(signsAxis(64)))
	add(sp+0x1D, "dmultu", OpRS|OpRT, g(signsAxis(64)))
	add(sp+0x1A, "div", OpRS|OpRT, g(divCase(32, true), upperAny(false)))
	add(sp+0x1B, "divu", OpRS|OpRT, g(divCase(32, false), upperAny(false)))
	add(sp+0x1E, "ddiv", OpRS|OpRT, g(divCase(64, true)))
	add(sp+0x1F, "ddivu", OpRS|OpRT, g(divCase(64, false)))
	add(sp2+0x20, "clz", OpRS, g(countAxis, &Axis{"upper", []string{"clean", "dirty"}, func(p *Pre) string { return pick(p.rs() == sx32(p.rs()), "clean", "dirty") }}))
	add(sp2+0x21, "clo", OpRS, g(countAxis, &Axis{"upper", []string{"clean", "dirty"}, func(p *Pre) string { return pick(p.rs() == sx32(p.rs()), "clean", "dirty") }}))
	add(sp+0x0A, "movz", OpRS|OpRT, g(rtZeroAxis))
	add(sp+0x0B, "movn", OpRS|OpRT, g(rtZeroAxis))

	// Branches: taken or not × in a delay slot or not; compare-with-zero branches by the
	// sign class of rs (the outcome follows from it).
	for op, bne := range map[int]bool{0x04: false, 0x05: true} {
		taken, lo := eqAxes(bne)
		add(op, map[bool]string{false: "beq", true: "bne"}[bne], OpRS|OpRT, g(taken, slotAxis), g(lo))
	}
	add(0x06, "blez", OpRS, g(rsSignAxis, slotAxis))
	add(0x07, "bgtz", OpRS, g(rsSignAxis, slotAxis))
	for rt, n := range map[int]string{0x00: "bltz", 0x01: "bgez", 0x10: "bltzal", 0x11: "bgezal"} {
		add(ri+rt, n, OpRS, g(rsSignAxis, slotAxis))
	}
	for sel, n := range map[int]string{0x02: "j", 0x03: "jal", sp + 0x08: "jr", sp + 0x09: "jalr"} {
		add(sel, n, 0, g(slotAxis))
	}

	// Loads and stores: every byte offset, every word position in the leaf.
	type mem struct {
		op     int
		name   string
		extra  []Group
		signed uint64 // field size of a sign-extending load, 0 = none
	}
	for _, m := range []mem{
		{0x20, "lb", nil, 1}, {0x24, "lbu", nil, 0}, {0x21, "lh", nil, 2}, {0x25, "lhu", nil, 0},
		{0x23, "lw", nil, 4}, {0x27, "lwu", nil, 0}, {0x37, "ld", nil, 0}, {0x30, "ll", nil, 4}, {0x34, "lld", nil, 0},
		{0x22, "lwl", []Group{g(rtKept)}, 0}, {0x26, "lwr", []Group{g(rtKept)}, 0},
		{0x1A, "ldl", []Group{g(rtKept)}, 0}, {0x1B, "ldr", []Group{g(rtKept)}, 0},
		{0x28, "sb", []Group{g(unstored(1))}, 0}, {0x29, "sh", []Group{g(unstored(2))}, 0},
		{0x2B, "sw", []Group{g(unstored(4))}, 0}, {0x2A, "swl", []Group{g(unstored(4))}, 0},
		{0x2E, "swr", []Group{g(unstored(4))}, 0}, {0x38, "sc", []Group{g(unstored(4))}, 0},
		{0x3F, "sd", nil, 0}, {0x2C, "sdl", nil, 0}, {0x2D, "sdr", nil, 0}, {0x3C, "scd", nil, 0},
	} {
		groups := append([]Group{g(offAxis), g(leafAxis)}, m.extra...)
		if m.signed != 0 {
			groups = append(groups, g(loadSign(m.signed)))
		}
		ops := OpRT | OpMem
		if m.name == "sc" || m.name == "scd" {
			ops = OpRT // a new address would lose the reservation it must match
		}
		add(m.op, m.name, ops, groups...)
	}
}
