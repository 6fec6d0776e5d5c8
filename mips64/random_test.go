package mips64

import "math/rand"

// randomFields fills the operand fields of e's form at random and leaves the reserved
// fields zero: a canonical encoding, the kind compilers emit and Disassemble prints whole.
func randomFields(e Encoding, r *rand.Rand) Fields {
	reg := func() uint32 { return uint32(r.Intn(32)) }
	var f Fields
	switch e.form {
	case formRdRsRt:
		f.RD, f.RS, f.RT = reg(), reg(), reg()
	case formRdRtSa:
		f.RD, f.RT, f.SA = reg(), reg(), reg()
	case formRdRtRs:
		f.RD, f.RT, f.RS = reg(), reg(), reg()
	case formRsRt:
		f.RS, f.RT = reg(), reg()
	case formRs:
		f.RS = reg()
	case formRd:
		f.RD = reg()
	case formRdRs:
		f.RD, f.RS = reg(), reg()
	case formClz:
		f.RD, f.RS = reg(), reg()
		f.RT = f.RD
	case formRtRsI, formRtRsU, formMem, formBr2:
		f.RS, f.RT, f.Imm = reg(), reg(), uint16(r.Uint32())
	case formRtU:
		f.RT, f.Imm = reg(), uint16(r.Uint32())
	case formBr1:
		f.RS, f.Imm = reg(), uint16(r.Uint32())
	case formJump:
		f.Target = r.Uint32() & 0x03FF_FFFF
	}
	return f
}
