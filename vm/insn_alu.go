package vm

import "math/bits"

// Register-to-register arithmetic, logic and shifts (docs/spec.md §5.2 "Primary opcodes", §5.3
// "SPECIAL", §5.4 "SPECIAL2"). None of them traps on overflow; 32-bit operations read only the
// low words of their inputs and sign-extend their results.

// I-type: R[rt] = f(R[rs], immediate).

func opADDIU(v *VM, t *Thread, i inst) error {
	return retire(t, i.rt(), sext32(uint32(t.Registers[i.rs()])+uint32(i.simm())))
}

func opDADDIU(v *VM, t *Thread, i inst) error {
	return retire(t, i.rt(), t.Registers[i.rs()]+i.simm())
}

func opSLTI(v *VM, t *Thread, i inst) error {
	return retire(t, i.rt(), boolWord(int64(t.Registers[i.rs()]) < int64(i.simm())))
}

// opSLTIU compares unsigned against the sign-extended immediate.
func opSLTIU(v *VM, t *Thread, i inst) error {
	return retire(t, i.rt(), boolWord(t.Registers[i.rs()] < i.simm()))
}

func opANDI(v *VM, t *Thread, i inst) error {
	return retire(t, i.rt(), t.Registers[i.rs()]&i.zimm())
}

func opORI(v *VM, t *Thread, i inst) error {
	return retire(t, i.rt(), t.Registers[i.rs()]|i.zimm())
}

func opXORI(v *VM, t *Thread, i inst) error {
	return retire(t, i.rt(), t.Registers[i.rs()]^i.zimm())
}

func opLUI(v *VM, t *Thread, i inst) error {
	return retire(t, i.rt(), sext32(uint32(i.zimm())<<16))
}

// R-type: R[rd] = f(R[rs], R[rt]).

func opADDU(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), sext32(uint32(t.Registers[i.rs()])+uint32(t.Registers[i.rt()])))
}

func opSUBU(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), sext32(uint32(t.Registers[i.rs()])-uint32(t.Registers[i.rt()])))
}

func opDADDU(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rs()]+t.Registers[i.rt()])
}

func opDSUBU(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rs()]-t.Registers[i.rt()])
}

func opAND(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rs()]&t.Registers[i.rt()])
}

func opOR(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rs()]|t.Registers[i.rt()])
}

func opXOR(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rs()]^t.Registers[i.rt()])
}

func opNOR(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), ^(t.Registers[i.rs()] | t.Registers[i.rt()]))
}

func opSLT(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), boolWord(int64(t.Registers[i.rs()]) < int64(t.Registers[i.rt()])))
}

func opSLTU(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), boolWord(t.Registers[i.rs()] < t.Registers[i.rt()]))
}

// opMOVZ and opMOVN leave rd alone when the condition fails, but always advance.
func opMOVZ(v *VM, t *Thread, i inst) error {
	if t.Registers[i.rt()] != 0 {
		return retire(t, 0, 0)
	}
	return retire(t, i.rd(), t.Registers[i.rs()])
}

func opMOVN(v *VM, t *Thread, i inst) error {
	if t.Registers[i.rt()] == 0 {
		return retire(t, 0, 0)
	}
	return retire(t, i.rd(), t.Registers[i.rs()])
}

// opSYNC is a barrier on a single core, yet Cannon routes it through the ALU's pass-through of
// rs, so a non-canonical rd receives R[rs].
func opSYNC(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rs()])
}

// Shifts. The rotate variants (rs or sa bit set in the encoding) are not decoded and execute
// as the logical shift they share a funct with. 32-bit shifts use 5 bits of R[rs], 64-bit
// variable shifts 6 bits.

func opSLL(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), sext32(uint32(t.Registers[i.rt()])<<i.sa()))
}

func opSRL(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), sext32(uint32(t.Registers[i.rt()])>>i.sa()))
}

func opSRA(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), sext32(uint32(int32(uint32(t.Registers[i.rt()]))>>i.sa())))
}

func opSLLV(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), sext32(uint32(t.Registers[i.rt()])<<(t.Registers[i.rs()]&31)))
}

func opSRLV(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), sext32(uint32(t.Registers[i.rt()])>>(t.Registers[i.rs()]&31)))
}

func opSRAV(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), sext32(uint32(int32(uint32(t.Registers[i.rt()]))>>(t.Registers[i.rs()]&31))))
}

func opDSLLV(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rt()]<<(t.Registers[i.rs()]&63))
}

func opDSRLV(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rt()]>>(t.Registers[i.rs()]&63))
}

func opDSRAV(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), uint64(int64(t.Registers[i.rt()])>>(t.Registers[i.rs()]&63)))
}

func opDSLL(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rt()]<<i.sa())
}

func opDSRL(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rt()]>>i.sa())
}

func opDSRA(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), uint64(int64(t.Registers[i.rt()])>>i.sa()))
}

func opDSLL32(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rt()]<<(i.sa()+32))
}

func opDSRL32(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), t.Registers[i.rt()]>>(i.sa()+32))
}

func opDSRA32(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), uint64(int64(t.Registers[i.rt()])>>(i.sa()+32)))
}

// SPECIAL2: R[rd] = f(R[rs], R[rt]); HI and LO are untouched.

func opMUL(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), sext32(uint32(int32(uint32(t.Registers[i.rs()]))*int32(uint32(t.Registers[i.rt()])))))
}

func opCLZ(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), uint64(bits.LeadingZeros32(uint32(t.Registers[i.rs()]))))
}

func opCLO(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), uint64(bits.LeadingZeros32(^uint32(t.Registers[i.rs()]))))
}

func opDCLZ(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), uint64(bits.LeadingZeros64(t.Registers[i.rs()])))
}

func opDCLO(v *VM, t *Thread, i inst) error {
	return retire(t, i.rd(), uint64(bits.LeadingZeros64(^t.Registers[i.rs()])))
}
