package vm

import "math/bits"

// The HI/LO group, SPECIAL funct 0x10..0x1F (docs/spec.md §5.3 "SPECIAL"). Cannon runs the
// whole group through one path that writes its result register to rd whenever rd != 0; the
// result is 0 for everything except MFHI/MFLO (and the D*V shifts, which live in insn_alu.go
// and write rd anyway). So a non-canonical rd on MTHI/MTLO/MULT/DIV/... is zeroed.

func opMFHI(v *VM, t *Thread, i inst) error { return retire(t, i.rd(), t.HI) }
func opMFLO(v *VM, t *Thread, i inst) error { return retire(t, i.rd(), t.LO) }

func opMTHI(v *VM, t *Thread, i inst) error {
	t.HI = t.Registers[i.rs()]
	return retire(t, i.rd(), 0)
}

func opMTLO(v *VM, t *Thread, i inst) error {
	t.LO = t.Registers[i.rs()]
	return retire(t, i.rd(), 0)
}

// setHiLo32 stores the two halves of a 32-bit multiply or divide, each sign-extended.
func setHiLo32(t *Thread, i inst, hi, lo uint32) error {
	t.HI, t.LO = sext32(hi), sext32(lo)
	return retire(t, i.rd(), 0)
}

func setHiLo64(t *Thread, i inst, hi, lo uint64) error {
	t.HI, t.LO = hi, lo
	return retire(t, i.rd(), 0)
}

func opMULT(v *VM, t *Thread, i inst) error {
	p := uint64(int64(int32(uint32(t.Registers[i.rs()]))) * int64(int32(uint32(t.Registers[i.rt()]))))
	return setHiLo32(t, i, uint32(p>>32), uint32(p))
}

func opMULTU(v *VM, t *Thread, i inst) error {
	p := uint64(uint32(t.Registers[i.rs()])) * uint64(uint32(t.Registers[i.rt()]))
	return setHiLo32(t, i, uint32(p>>32), uint32(p))
}

// opDIV tests only the low word of the divisor. Go defines INT32_MIN / -1 as INT32_MIN with
// remainder 0, which is what Cannon (and the contract's unchecked arithmetic) produce.
func opDIV(v *VM, t *Thread, i inst) error {
	d := int32(uint32(t.Registers[i.rt()]))
	if d == 0 {
		return v.fault(FaultDivisionByZero, uint32(i), "div")
	}
	n := int32(uint32(t.Registers[i.rs()]))
	return setHiLo32(t, i, uint32(n%d), uint32(n/d))
}

func opDIVU(v *VM, t *Thread, i inst) error {
	d := uint32(t.Registers[i.rt()])
	if d == 0 {
		return v.fault(FaultDivisionByZero, uint32(i), "divu")
	}
	n := uint32(t.Registers[i.rs()])
	return setHiLo32(t, i, n%d, n/d)
}

// opDMULT derives the signed 128-bit product from the unsigned one: each negative operand
// contributes -2^64 * other to the high half.
func opDMULT(v *VM, t *Thread, i inst) error {
	a, b := t.Registers[i.rs()], t.Registers[i.rt()]
	hi, lo := bits.Mul64(a, b)
	if int64(a) < 0 {
		hi -= b
	}
	if int64(b) < 0 {
		hi -= a
	}
	return setHiLo64(t, i, hi, lo)
}

func opDMULTU(v *VM, t *Thread, i inst) error {
	hi, lo := bits.Mul64(t.Registers[i.rs()], t.Registers[i.rt()])
	return setHiLo64(t, i, hi, lo)
}

// opDDIV: Go defines INT64_MIN / -1 as INT64_MIN with remainder 0, matching Cannon.
func opDDIV(v *VM, t *Thread, i inst) error {
	d := int64(t.Registers[i.rt()])
	if d == 0 {
		return v.fault(FaultDivisionByZero, uint32(i), "ddiv")
	}
	n := int64(t.Registers[i.rs()])
	return setHiLo64(t, i, uint64(n%d), uint64(n/d))
}

func opDDIVU(v *VM, t *Thread, i inst) error {
	d := t.Registers[i.rt()]
	if d == 0 {
		return v.fault(FaultDivisionByZero, uint32(i), "ddivu")
	}
	n := t.Registers[i.rs()]
	return setHiLo64(t, i, n%d, n/d)
}
