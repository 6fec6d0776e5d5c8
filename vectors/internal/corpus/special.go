package corpus

import "fmt"

// sp builds an rd = f(rs, rt) vector with rd = $10 pre-set to a marker.
func sp(name, rule string, insn uint32, rs, rt, want uint64) *B {
	return V(name, rule).Insn(insn).R(rs8, rs).R(rt9, rt).R(rd10, 0xDEAD).Want(rd10, want)
}

// special: SPECIAL funct table (§5.3), values derived by hand.
func special() []*B {
	sll := func(f, sa uint32) uint32 { return Sp(f, 0, rt9, rd10, sa) }
	v := func(f uint32) uint32 { return Sp(f, rs8, rt9, rd10, 0) }
	hilo := func(name, rule string, insn uint32) *B {
		return V(name, rule).Insn(insn).HiLo(0x1111_2222_3333_4444, 0x5555_6666_7777_8888)
	}
	return []*B{
		sp("sll-4", "§5.3 SLL: sx32((rt<<sa) & 0xFFFFFFFF)", sll(0x00, 4), 0, 0xFFFF_FFFF_0800_0001, 0xFFFF_FFFF_8000_0010),
		sp("sll-0-dirty-upper", "§5.3/§12.10 SLL sa=0 sign-extends lo32, upper garbage ignored", sll(0x00, 0), 0, 0x1234_5678_7FFF_FFFF, 0x7FFF_FFFF),
		sp("sll-31", "§5.3/§12.10 SLL sa=31", sll(0x00, 31), 0, 0xFFFF_FFFF_0000_0001, 0xFFFF_FFFF_8000_0000),
		V("nop", "§5.3 0x00000000 is SLL $0: nothing changes but pc").Insn(0),
		sp("srl-31", "§5.3/§12.10 SRL sa=31", sll(0x02, 31), 0, 0xFFFF_FFFF_8000_0000, 1),
		sp("srl-0-sign-extends", "§5.3 SRL sa=0 is a sign-extension of lo32", sll(0x02, 0), 0, 0x1_8000_0000, 0xFFFF_FFFF_8000_0000),
		sp("rotr-is-srl", "§5.3/§12.8 ROTR (rs field 1) executes as SRL", Sp(0x02, 1, rt9, rd10, 4), 0, 0x8000_0001, 0x0800_0000),
		sp("sra-4", "§5.3 SRA: int32 shift, sign-extended", sll(0x03, 4), 0, 0x8000_0000, 0xFFFF_FFFF_F800_0000),
		sp("sra-31-dirty-upper", "§5.3/§12.10 SRA sa=31 of a positive lo32", sll(0x03, 31), 0, 0xFFFF_FFFF_7FFF_FFFF, 0),
		sp("sllv-masked", "§5.3/§12.10 SLLV shift = rs & 31 (36 -> 4)", v(0x04), 0x24, 0x0800_0001, 0xFFFF_FFFF_8000_0010),
		sp("srlv-masked", "§5.3/§12.10 SRLV shift = rs & 31 (33 -> 1)", v(0x06), 0x21, 0xFFFF_FFFF_8000_0000, 0x4000_0000),
		sp("rotrv-is-srlv", "§5.3/§12.8 ROTRV (sa field 1) executes as SRLV", Sp(0x06, rs8, rt9, rd10, 1), 0x21, 0xFFFF_FFFF_8000_0001, 0x4000_0000),
		sp("srav-masked", "§5.3/§12.10 SRAV shift = rs & 31 (63 -> 31)", v(0x07), 0x3F, 0x8000_0000, neg1),
		sp("movz-moves", "§5.3 MOVZ: rt == 0 -> rd = rs", v(0x0A), 0x1234_5678_9ABC_DEF0, 0, 0x1234_5678_9ABC_DEF0),
		sp("movz-64bit-test", "§5.3 MOVZ tests all 64 bits: no move", v(0x0A), 0x77, 0x1_0000_0000, 0xDEAD),
		sp("movn-moves", "§5.3 MOVN: rt != 0 (upper half) -> rd = rs", v(0x0B), 0x77, 0x1_0000_0000, 0x77),
		sp("movn-no-move", "§5.3 MOVN rt == 0", v(0x0B), 0x77, 0, 0xDEAD),
		V("sync-canonical", "§5.3 SYNC 0x0000000F is a no-op").Insn(0x0F),
		sp("sync-rd-nonzero", "§5.3/§12.8 SYNC with rd != 0 writes rd = rs", Sp(0x0F, rs8, 0, rd10, 0), 0xABCD, 0, 0xABCD),
		hilo("mfhi", "§5.3 MFHI rd = HI", Sp(0x10, 0, 0, rd10, 0)).Want(rd10, 0x1111_2222_3333_4444),
		hilo("mflo", "§5.3 MFLO rd = LO", Sp(0x12, 0, 0, rd10, 0)).Want(rd10, 0x5555_6666_7777_8888),
		hilo("mthi", "§5.3 MTHI HI = rs", Sp(0x11, rs8, 0, 0, 0)).R(rs8, 0xABCD_0000_0000_0001).WantHiLo(0xABCD_0000_0000_0001, 0x5555_6666_7777_8888),
		hilo("mthi-rd-nonzero", "§5.3/§12.8 MTHI with rd != 0 zeroes rd", Sp(0x11, rs8, 0, rd10, 0)).R(rs8, 7).R(rd10, 0xDEAD).WantHiLo(7, 0x5555_6666_7777_8888).Want(rd10, 0),
		hilo("mtlo", "§5.3 MTLO LO = rs", Sp(0x13, rs8, 0, 0, 0)).R(rs8, 9).WantHiLo(0x1111_2222_3333_4444, 9),
		hilo("mtlo-rd-nonzero", "§5.3/§12.8 MTLO with rd != 0 zeroes rd", Sp(0x13, rs8, 0, rd10, 0)).R(rs8, 9).R(rd10, 0xDEAD).WantHiLo(0x1111_2222_3333_4444, 9).Want(rd10, 0),
		sp("dsllv-masked", "§5.3/§12.10 DSLLV shift = rs & 63 (68 -> 4)", v(0x14), 0x44, 0x0F00_0000_0000_0001, 0xF000_0000_0000_0010),
		sp("dsrlv-masked", "§5.3/§12.10 DSRLV shift = rs & 63 (127 -> 63)", v(0x16), 0x7F, 0x8000_0000_0000_0000, 1),
		sp("dsrav-masked", "§5.3/§12.10 DSRAV shift = rs & 63 (65 -> 1)", v(0x17), 0x41, 0x8000_0000_0000_0000, 0xC000_0000_0000_0000),
		hilo("mult", "§5.3/§12.11 MULT -2*3 from dirty upper halves: HI = sx32(p>>32), LO = sx32(p)", Sp(0x18, rs8, rt9, 0, 0)).R(rs8, 0x1234_5678_FFFF_FFFE).R(rt9, 0x3_0000_0003).WantHiLo(neg1, 0xFFFF_FFFF_FFFF_FFFA),
		hilo("mult-rd-nonzero", "§5.3/§12.8 MULT with rd != 0 zeroes rd", Sp(0x18, rs8, rt9, rd10, 0)).R(rs8, 2).R(rt9, 3).R(rd10, 0xDEAD).WantHiLo(0, 6).Want(rd10, 0),
		hilo("multu-sign-extends", "§5.3 MULTU 0xFFFFFFFF*2: HI = 1, LO = sx32(0xFFFFFFFE)", Sp(0x19, rs8, rt9, 0, 0)).R(rs8, 0xFFFF_FFFF).R(rt9, 2).WantHiLo(1, 0xFFFF_FFFF_FFFF_FFFE),
		hilo("div", "§5.3 DIV 7 / -2: q -3, r 1 (truncating)", Sp(0x1A, rs8, rt9, 0, 0)).R(rs8, 7).R(rt9, 0xFFFF_FFFE).WantHiLo(1, 0xFFFF_FFFF_FFFF_FFFD),
		hilo("div-negative-dividend", "§5.3 DIV -7 / 2: q -3, r -1 (sign of dividend)", Sp(0x1A, rs8, rt9, 0, 0)).R(rs8, 0xFFFF_FFF9).R(rt9, 2).WantHiLo(neg1, 0xFFFF_FFFF_FFFF_FFFD),
		hilo("div-int32-min-by-minus-1", "§5.3/§12.12 DIV INT32_MIN / -1: LO = sx32(0x80000000), HI = 0, no trap", Sp(0x1A, rs8, rt9, 0, 0)).R(rs8, 0x8000_0000).R(rt9, neg1).WantHiLo(0, 0xFFFF_FFFF_8000_0000),
		hilo("div-rd-nonzero", "§5.3/§12.8 DIV with rd != 0 zeroes rd", Sp(0x1A, rs8, rt9, rd10, 0)).R(rs8, 7).R(rt9, 2).R(rd10, 0xDEAD).WantHiLo(1, 3).Want(rd10, 0),
		V("div-by-zero", "§5.3/§5.8 DIV by zero is an exception").Insn(Sp(0x1A, rs8, rt9, 0, 0)).R(rs8, 7).R(rt9, 0).Exc(),
		V("div-by-low-word-zero", "§5.3/§12.12 DIV tests only lo32(rt): 0x1_0000_0000 is zero").Insn(Sp(0x1A, rs8, rt9, 0, 0)).R(rs8, 7).R(rt9, 0x1_0000_0000).Exc(),
		hilo("divu-sign-extends", "§5.3/§12.12 DIVU 0xFFFFFFFF/1: q sign-extended", Sp(0x1B, rs8, rt9, 0, 0)).R(rs8, 0xFFFF_FFFF).R(rt9, 1).WantHiLo(0, neg1),
		hilo("divu-remainder", "§5.3 DIVU 0x80000001 / 0x80000000: q 1 r 1", Sp(0x1B, rs8, rt9, 0, 0)).R(rs8, 0x8000_0001).R(rt9, 0x8000_0000).WantHiLo(1, 1),
		V("divu-by-low-word-zero", "§5.3/§12.12 DIVU by lo32(rt) == 0").Insn(Sp(0x1B, rs8, rt9, 0, 0)).R(rs8, 7).R(rt9, 0xFFFF_FFFF_0000_0000).Exc(),
		hilo("dmult-int64-min", "§5.3/§12.12 DMULT INT64_MIN * 2 = -2^64", Sp(0x1C, rs8, rt9, 0, 0)).R(rs8, 0x8000_0000_0000_0000).R(rt9, 2).WantHiLo(neg1, 0),
		hilo("dmult-zero-times-negative", "§5.3/§12.12 DMULT 0 * -1", Sp(0x1C, rs8, rt9, 0, 0)).R(rs8, 0).R(rt9, neg1).WantHiLo(0, 0),
		hilo("dmult-minus1-squared", "§5.3 DMULT -1 * -1 = 1", Sp(0x1C, rs8, rt9, 0, 0)).R(rs8, neg1).R(rt9, neg1).WantHiLo(0, 1),
		hilo("dmultu-max", "§5.3 DMULTU (2^64-1)^2: HI 2^64-2, LO 1", Sp(0x1D, rs8, rt9, 0, 0)).R(rs8, neg1).R(rt9, neg1).WantHiLo(0xFFFF_FFFF_FFFF_FFFE, 1),
		hilo("ddiv-int64-min-by-minus-1", "§5.3/§12.12 DDIV INT64_MIN / -1: LO INT64_MIN, HI 0", Sp(0x1E, rs8, rt9, 0, 0)).R(rs8, 0x8000_0000_0000_0000).R(rt9, neg1).WantHiLo(0, 0x8000_0000_0000_0000),
		hilo("ddiv-negative", "§5.3 DDIV -7 / 2: q -3, r -1", Sp(0x1E, rs8, rt9, 0, 0)).R(rs8, 0xFFFF_FFFF_FFFF_FFF9).R(rt9, 2).WantHiLo(neg1, 0xFFFF_FFFF_FFFF_FFFD),
		hilo("ddiv-upper-divisor", "§5.3 DDIV tests all 64 bits: 0x3_0000_0005 / 0x1_0000_0000 = 3 r 5", Sp(0x1E, rs8, rt9, 0, 0)).R(rs8, 0x3_0000_0005).R(rt9, 0x1_0000_0000).WantHiLo(5, 3),
		V("ddiv-by-zero", "§5.3/§5.8 DDIV by zero").Insn(Sp(0x1E, rs8, rt9, 0, 0)).R(rs8, 7).Exc(),
		hilo("ddivu", "§5.3 DDIVU ~0 / 16", Sp(0x1F, rs8, rt9, 0, 0)).R(rs8, neg1).R(rt9, 0x10).WantHiLo(0xF, 0x0FFF_FFFF_FFFF_FFFF),
		V("ddivu-by-zero", "§5.3/§5.8 DDIVU by zero").Insn(Sp(0x1F, rs8, rt9, 0, 0)).R(rs8, 7).Exc(),
		sp("add-no-trap", "§5.3 ADD: sx32, no overflow trap", v(0x20), 0x7FFF_FFFF, 1, 0xFFFF_FFFF_8000_0000),
		sp("addu-dirty-upper-2", "§5.3/§12.11 ADDU ignores upper halves", v(0x21), 0xFFFF_0000_0000_0001, 0x0000_FFFF_0000_0002, 3),
		sp("sub-dirty-upper", "§5.3/§12.11 SUB 0x80000000 - 1 from a dirty upper half, no trap", v(0x22), 0xFFFF_0000_8000_0000, 1, 0x7FFF_FFFF),
		sp("subu-negative", "§5.3 SUBU 0 - 1 = sx32(0xFFFFFFFF)", v(0x23), 0, 1, neg1),
		sp("and", "§5.3 AND 64-bit", v(0x24), 0xFF00_FF00_FF00_FF00, 0x0FF0_0FF0_0FF0_0FF0, 0x0F00_0F00_0F00_0F00),
		sp("or", "§5.3 OR 64-bit", v(0x25), 0xFF00_FF00_FF00_FF00, 0x0FF0_0FF0_0FF0_0FF0, 0xFFF0_FFF0_FFF0_FFF0),
		sp("xor", "§5.3 XOR 64-bit", v(0x26), 0xFF00_FF00_FF00_FF00, 0x0FF0_0FF0_0FF0_0FF0, 0xF0F0_F0F0_F0F0_F0F0),
		sp("nor", "§5.3 NOR 64-bit", v(0x27), 0xFF00_FF00_FF00_FF00, 0x0FF0_0FF0_0FF0_0FF0, 0x000F_000F_000F_000F),
		sp("slt-signed", "§5.3 SLT -1 < 1", v(0x2A), neg1, 1, 1),
		sp("sltu-unsigned", "§5.3 SLTU ~0 < 1 is false", v(0x2B), neg1, 1, 0),
		sp("dadd-no-trap", "§5.3 DADD wraps, no trap", v(0x2C), 0x7FFF_FFFF_FFFF_FFFF, 1, 0x8000_0000_0000_0000),
		sp("daddu-wrap", "§5.3 DADDU ~0 + 2 = 1", v(0x2D), neg1, 2, 1),
		sp("dsub-no-trap", "§5.3 DSUB INT64_MIN - 1 wraps", v(0x2E), 0x8000_0000_0000_0000, 1, 0x7FFF_FFFF_FFFF_FFFF),
		sp("dsubu-wrap", "§5.3 DSUBU 0 - 1", v(0x2F), 0, 1, neg1),
		sp("dsll-4", "§5.3 DSLL", sll(0x38, 4), 0, 0x0F00_0000_0000_0001, 0xF000_0000_0000_0010),
		sp("dsrl-4", "§5.3 DSRL logical", sll(0x3A, 4), 0, 0x8000_0000_0000_0010, 0x0800_0000_0000_0001),
		sp("drotr-is-dsrl", "§5.3/§12.8 DROTR executes as DSRL", Sp(0x3A, 1, rt9, rd10, 4), 0, 0x8000_0000_0000_0010, 0x0800_0000_0000_0001),
		sp("dsra-4", "§5.3 DSRA arithmetic", sll(0x3B, 4), 0, 0x8000_0000_0000_0010, 0xF800_0000_0000_0001),
		sp("dsll32-31", "§5.3/§12.10 DSLL32 sa=31 shifts by 63", sll(0x3C, 31), 0, 1, 0x8000_0000_0000_0000),
		sp("dsrl32-0", "§5.3 DSRL32 sa=0 shifts by 32", sll(0x3E, 0), 0, 0x8000_0000_0000_0000, 0x8000_0000),
		sp("drotr32-is-dsrl32", "§5.3/§12.8 DROTR32 executes as DSRL32", Sp(0x3E, 1, rt9, rd10, 0), 0, 0x8000_0000_0000_0000, 0x8000_0000),
		sp("dsra32-0", "§5.3 DSRA32 sa=0 arithmetic by 32", sll(0x3F, 0), 0, 0x8000_0000_0000_0000, 0xFFFF_FFFF_8000_0000),
		V("r0-nonzero-read-as-is", "§5.1/§12.6 a pre-state R[0] != 0 is read as stored").Insn(Sp(0x21, 0, 0, rd10, 0)).R(0, 5).Want(rd10, 10),
		V("r0-never-written", "§5.1 writes to register 0 are skipped").Insn(Sp(0x21, rs8, rt9, 0, 0)).R(rs8, 1).R(rt9, 2),
	}
}

// special2: SPECIAL2 (§5.4).
func special2() []*B {
	c := func(f uint32) uint32 { return Sp2(f, rs8, rt9, rd10) }
	return []*B{
		sp("mul-hilo-unchanged", "§5.4 MUL: sx32(lo32(int32*int32)), HI/LO unchanged", c(0x02), 0x1234_5678_FFFF_FFFF, 0x8000_0000, 0xFFFF_FFFF_8000_0000).HiLo(3, 4),
		sp("clz-zero-dirty-upper", "§5.4/§12.13 CLZ of lo32 = 0 is 32, upper bits ignored", c(0x20), 0xFFFF_FFFF_0000_0000, 0, 32),
		sp("clz-15", "§5.4 CLZ 0x00010000 = 15", c(0x20), 0x0001_0000, 0, 15),
		sp("clo-1", "§5.4 CLO sx32(0x80000000) = 1", c(0x21), 0xFFFF_FFFF_8000_0000, 0, 1),
		sp("clo-all-ones", "§5.4/§12.13 CLO 0xFFFFFFFF with zero upper = 32", c(0x21), 0xFFFF_FFFF, 0, 32),
		sp("dclz-zero", "§5.4/§12.13 DCLZ 0 = 64 (v7+)", c(0x24), 0, 0, 64),
		sp("dclz-31", "§5.4 DCLZ 0x1_0000_0000 = 31", c(0x24), 0x1_0000_0000, 0, 31),
		sp("dclo-all-ones", "§5.4/§12.13 DCLO ~0 = 64", c(0x25), neg1, 0, 64),
		sp("dclo-32", "§5.4 DCLO 0xFFFFFFFF00000000 = 32", c(0x25), 0xFFFF_FFFF_0000_0000, 0, 32),
	}
}

// invalid: every selector the tables mark invalid is an exception (§5.2–§5.4, §5.8, §12.9).
func invalid() []*B {
	var out []*B
	for op := uint32(0); op < 64; op++ {
		switch op {
		case 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x1D, 0x1E, 0x1F, 0x2F, 0x31, 0x32, 0x33, 0x35, 0x36, 0x39, 0x3A, 0x3B, 0x3D, 0x3E:
			// Memory-form encodings get a base with a mapped word: the word is read first (§5.1).
			out = append(out, V(fmt.Sprintf("invalid-op%02x", op), "§5.2 invalid primary opcode: exception (§12.9)").
				Insn(I(op, rs8, rt9, 0)).R(rs8, memBase).M(memBase, 0x1234).Exc())
		}
	}
	for f := uint32(0); f < 64; f++ {
		switch f {
		case 0x01, 0x05, 0x0D, 0x0E, 0x15, 0x28, 0x29, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x39, 0x3D:
			out = append(out, V(fmt.Sprintf("invalid-special%02x", f), "§5.3 invalid SPECIAL funct: exception (§12.9)").Insn(Sp(f, rs8, rt9, rd10, 0)).Exc())
		}
	}
	for f := uint32(0); f < 64; f++ {
		switch f {
		case 0x02, 0x20, 0x21, 0x24, 0x25:
			continue
		}
		out = append(out, V(fmt.Sprintf("invalid-special2-%02x", f), "§5.4 invalid SPECIAL2 funct (MADD, MSUB, …): exception (§12.9)").Insn(Sp2(f, rs8, rt9, rd10)).Exc())
	}
	out = append(out,
		V("misaligned-pc", "§5.1/§5.8 pc & 3 != 0 is an exception").PC(0x4002, 0x4006).M(0x4000, 0).Exc(),
	)
	return out
}
