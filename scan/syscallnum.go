package scan

import "github.com/fpvmdiff/fpvmdiff/mips64"

// Best-effort recovery of syscall numbers. A number is found when the $v0 that reaches a
// `syscall` is built from constants in straight-line code just before it (daddiu/addiu/ori
// from $zero, lui+ori, moves). When $v0 is loaded from the caller's stack frame the
// function is a syscall wrapper (Go's internal/runtime/syscall/linux.Syscall6, or a
// hand-written one taking the number as an argument): then each `jal` to it is examined
// the same way for the constant stored into that argument slot, transitively. Anything
// else is reported as a site whose number is not a constant; it is not checked.

const (
	scanBack = 48 // instructions examined before a syscall or call
	maxDepth = 8  // nested register definitions followed
	regV0    = 2
	regSP    = 29
	regRA    = 31
)

// valueKind is what the scanner knows about a register at a point.
type valueKind int

const (
	unknown valueKind = iota
	constant
	stackArg // loaded from the caller's frame at off(sp_caller)
)

type value struct {
	kind valueKind
	n    int64  // constant
	off  int64  // stackArg offset in the caller's frame
	why  string // for unknown: what stopped the analysis
}

func unknownValue(why string) value { return value{kind: unknown, why: why} }

// fn is the function being analysed: its start bounds the backward scans.
type fn struct {
	name  string
	start uint64
}

// analyzer holds the image and the wrappers found so far.
type analyzer struct {
	img *image
}

// isCall reports jal, jalr, bal/bgezal/bltzal: the callee clobbers registers.
func isCall(w uint32) bool {
	switch mips64.Opcode(w) {
	case 0x03:
		return true
	case 0x00:
		return mips64.Funct(w) == 0x09
	case 0x01:
		return mips64.RT(w) == 0x10 || mips64.RT(w) == 0x11
	}
	return false
}

// isJump reports unconditional transfers after whose delay slot execution does not fall
// through: j, jr, and b (beq $0,$0).
func isJump(w uint32) bool {
	switch mips64.Opcode(w) {
	case 0x02:
		return true
	case 0x00:
		return mips64.Funct(w) == 0x08
	case 0x04:
		return mips64.RS(w) == 0 && mips64.RT(w) == 0
	}
	return false
}

// dest returns the register an instruction writes, whether it writes one, and whether it
// is a kind the analysis cannot see through at all (it then stops).
func dest(w uint32) (reg uint32, writes bool, opaque bool) {
	in := mips64.Decode(w)
	if in.Status != mips64.Supported {
		return 0, false, true
	}
	switch op := mips64.Opcode(w); {
	case op == 0x00:
		switch f := mips64.Funct(w); {
		case f == 0x0C: // syscall writes v0 and a3
			return regV0, true, true
		case f == 0x08 || f == 0x0F || f == 0x11 || f == 0x13 || f >= 0x18 && f <= 0x1F:
			return 0, false, false // jr, sync, mthi/mtlo, mult/div (canonical rd = 0)
		case f == 0x0A || f == 0x0B: // movz/movn: conditional
			return mips64.RD(w), true, true
		default:
			return mips64.RD(w), true, false
		}
	case op == 0x1C:
		return mips64.RD(w), true, false
	case op == 0x01 || op >= 0x04 && op <= 0x07:
		return 0, false, false // branches (links are calls, handled before)
	case op == 0x02:
		return 0, false, false
	case op == 0x03:
		return regRA, true, false
	case op >= 0x28 && op <= 0x2E || op == 0x3F:
		return 0, false, false // stores
	case op == 0x38 || op == 0x3C: // sc/scd write a status
		return mips64.RT(w), true, true
	default: // I-type ALU and loads
		return mips64.RT(w), true, false
	}
}

// valueOf is the value of reg just before the instruction at pc, inside f.
func (a *analyzer) valueOf(f fn, reg uint32, pc uint64, depth int) value {
	if reg == 0 {
		return value{kind: constant}
	}
	if depth > maxDepth {
		return unknownValue("too many nested definitions")
	}
	for i, q := 0, pc; i < scanBack && q > f.start; i++ {
		q -= 4
		w, found := a.img.word(q)
		if !found {
			return unknownValue("left the code")
		}
		if prev, found := a.img.word(q - 4); found && q > f.start && (isJump(prev) || isCall(prev)) {
			// q is the delay slot of an earlier transfer: pc is reached by a jump or a return.
			return unknownValue("control flow joins before it")
		}
		if isJump(w) || isCall(w) {
			return unknownValue("control flow joins before it")
		}
		r, writes, opaque := dest(w)
		if !writes || r != reg {
			continue
		}
		if opaque {
			return unknownValue(mips64.Decode(w).Mnemonic + " writes it")
		}
		return a.eval(f, w, q, depth)
	}
	return unknownValue("defined outside the examined code")
}

// eval computes the value an instruction at q writes to its destination.
func (a *analyzer) eval(f fn, w uint32, q uint64, depth int) value {
	imm := uint64(w & 0xFFFF)
	simm := int64(int16(w & 0xFFFF))
	rs, rt := mips64.RS(w), mips64.RT(w)
	src := func(r uint32) value { return a.valueOf(f, r, q, depth+1) }
	addConst := func(v value, k int64, word bool) value {
		if v.kind != constant {
			return unknownValue("computed from a non-constant")
		}
		n := v.n + k
		if word {
			n = int64(int32(n))
		}
		return value{kind: constant, n: n}
	}
	switch op := mips64.Opcode(w); op {
	case 0x08, 0x09: // addi, addiu
		return addConst(src(rs), simm, true)
	case 0x18, 0x19: // daddi, daddiu
		return addConst(src(rs), simm, false)
	case 0x0D: // ori
		if v := src(rs); v.kind == constant {
			return value{kind: constant, n: v.n | int64(imm)}
		}
		return unknownValue("computed from a non-constant")
	case 0x0F: // lui
		return value{kind: constant, n: int64(int32(uint32(imm) << 16))}
	case 0x37, 0x23, 0x27: // ld, lw, lwu
		if rs != regSP {
			return unknownValue("loaded from memory")
		}
		// off(sp) after a frame of size X is (off - X) in the caller's frame; below 0 it is
		// a local variable of this function, not an argument.
		off := simm - a.frameSize(f, q)
		if off < 0 {
			return unknownValue("loaded from a local variable")
		}
		return value{kind: stackArg, off: off}
	case 0x00:
		switch mips64.Funct(w) {
		case 0x25, 0x21, 0x2D: // or, addu, daddu as a move
			if rt == 0 {
				return src(rs)
			}
			if rs == 0 {
				return src(rt)
			}
		case 0x00: // sll rd, rt, 0 sign-extends
			if mips64.SA(w) == 0 {
				if v := src(rt); v.kind == constant {
					return value{kind: constant, n: int64(int32(v.n))}
				}
			}
		case 0x04: // sllv rd, $0, rs is 0
			if rt == 0 {
				return value{kind: constant}
			}
		}
	}
	return unknownValue(mips64.Decode(w).Mnemonic + " writes it")
}

// frameSize is how far sp has moved down from the function's entry before q: the frame
// allocations (daddi/daddiu/addiu sp, sp, -X) between entry and q. Increments are
// epilogues of early returns, which are not on the way to q.
func (a *analyzer) frameSize(f fn, q uint64) int64 {
	var adj int64
	for p := f.start; p < q; p += 4 {
		w, found := a.img.word(p)
		if !found {
			break
		}
		switch mips64.Opcode(w) {
		case 0x09, 0x18, 0x19:
			if d := int64(int16(w & 0xFFFF)); mips64.RS(w) == regSP && mips64.RT(w) == regSP && d < 0 {
				adj += d
			}
		}
	}
	return -adj
}

// storedArg finds the value stored into off(sp) before the call at pc (its delay slot
// included, which runs before the callee).
func (a *analyzer) storedArg(f fn, pc uint64, off int64) value {
	if w, found := a.img.word(pc + 4); found {
		if v, hit := a.storeTo(f, w, pc, off); hit {
			return v
		}
	}
	for i, q := 0, pc; i < scanBack && q > f.start; i++ {
		q -= 4
		w, found := a.img.word(q)
		if !found || isJump(w) || isCall(w) {
			return unknownValue("argument not stored in straight-line code before the call")
		}
		if r, writes, _ := dest(w); writes && r == regSP {
			return unknownValue("sp changes before the call")
		}
		if v, hit := a.storeTo(f, w, q, off); hit {
			return v
		}
	}
	return unknownValue("argument not stored in the examined code")
}

// storeTo evaluates w when it stores a register to off(sp); valueAt is where the stored
// register is read.
func (a *analyzer) storeTo(f fn, w uint32, valueAt uint64, off int64) (value, bool) {
	switch mips64.Opcode(w) {
	case 0x3F, 0x2B: // sd, sw
	default:
		return value{}, false
	}
	if mips64.RS(w) != regSP || int64(int16(w&0xFFFF)) != off {
		return value{}, false
	}
	v := a.valueOf(f, mips64.RT(w), valueAt, 0)
	if mips64.Opcode(w) == 0x2B && v.kind == constant {
		v.n = int64(int32(v.n))
	}
	return v, true
}
