package mips64

import "fmt"

// Names inside the instruction groups the spec rejects as a whole: coprocessor 0 and 1
// (floating point), COP1X and SPECIAL3 (docs/spec.md §5.2 "Primary opcodes": all invalid).
// They only make a report readable: every word named here is Unsupported.

func nameCop0(w uint32) string {
	if RS(w) >= 0x10 { // CO bit: operation in funct
		names := map[uint32]string{0x01: "tlbr", 0x02: "tlbwi", 0x06: "tlbwr", 0x08: "tlbp", 0x18: "eret", 0x1F: "deret", 0x20: "wait"}
		if n, found := names[Funct(w)]; found {
			return n
		}
		return "cop0"
	}
	names := map[uint32]string{0x00: "mfc0", 0x01: "dmfc0", 0x04: "mtc0", 0x05: "dmtc0"}
	if n, found := names[RS(w)]; found {
		return n
	}
	return "cop0"
}

// cop1Fmts names the format field of COP1 arithmetic.
var cop1Fmts = map[uint32]string{0x10: "s", 0x11: "d", 0x14: "w", 0x15: "l", 0x16: "ps"}

// cop1Ops names COP1 arithmetic by funct; the format suffix is appended.
var cop1Ops = map[uint32]string{
	0x00: "add", 0x01: "sub", 0x02: "mul", 0x03: "div", 0x04: "sqrt", 0x05: "abs", 0x06: "mov", 0x07: "neg",
	0x08: "round.l", 0x09: "trunc.l", 0x0A: "ceil.l", 0x0B: "floor.l",
	0x0C: "round.w", 0x0D: "trunc.w", 0x0E: "ceil.w", 0x0F: "floor.w",
	0x12: "movz", 0x13: "movn", 0x15: "recip", 0x16: "rsqrt",
	0x20: "cvt.s", 0x21: "cvt.d", 0x24: "cvt.w", 0x25: "cvt.l",
}

var cop1Conds = [16]string{"f", "un", "eq", "ueq", "olt", "ult", "ole", "ule", "sf", "ngle", "seq", "ngl", "lt", "nge", "le", "ngt"}

func nameCop1(w uint32) string {
	rs := RS(w)
	moves := map[uint32]string{0x00: "mfc1", 0x01: "dmfc1", 0x02: "cfc1", 0x03: "mfhc1", 0x04: "mtc1", 0x05: "dmtc1", 0x06: "ctc1", 0x07: "mthc1"}
	if n, found := moves[rs]; found {
		return n
	}
	if rs == 0x08 {
		return [4]string{"bc1f", "bc1t", "bc1fl", "bc1tl"}[RT(w)&3]
	}
	fmtName, found := cop1Fmts[rs]
	if !found {
		return "cop1"
	}
	f := Funct(w)
	switch {
	case f >= 0x30:
		return "c." + cop1Conds[f&15] + "." + fmtName
	case f == 0x11:
		if RT(w)&1 != 0 {
			return "movt." + fmtName
		}
		return "movf." + fmtName
	}
	if op, found := cop1Ops[f]; found {
		return op + "." + fmtName
	}
	return "cop1"
}

func nameCop1x(w uint32) string {
	f := Funct(w)
	names := map[uint32]string{0x00: "lwxc1", 0x01: "ldxc1", 0x05: "luxc1", 0x08: "swxc1", 0x09: "sdxc1", 0x0D: "suxc1", 0x0F: "prefx"}
	if n, found := names[f]; found {
		return n
	}
	ops := map[uint32]string{4: "madd", 5: "msub", 6: "nmadd", 7: "nmsub"}
	fmts := map[uint32]string{0: "s", 1: "d", 6: "ps"}
	if op, found := ops[f>>3]; found {
		if fm, found := fmts[f&7]; found {
			return op + "." + fm
		}
	}
	return "cop1x"
}

func nameSpecial3(w uint32) string {
	f := Funct(w)
	names := map[uint32]string{0x00: "ext", 0x01: "dextm", 0x02: "dextu", 0x03: "dext", 0x04: "ins", 0x05: "dinsm", 0x06: "dinsu", 0x07: "dins", 0x3B: "rdhwr"}
	if n, found := names[f]; found {
		return n
	}
	switch f {
	case 0x20: // BSHFL
		if n, found := map[uint32]string{0x02: "wsbh", 0x10: "seb", 0x18: "seh"}[SA(w)]; found {
			return n
		}
	case 0x24: // DBSHFL
		if n, found := map[uint32]string{0x02: "dsbh", 0x05: "dshd"}[SA(w)]; found {
			return n
		}
	}
	return fmt.Sprintf("special3:0x%02x", f)
}
