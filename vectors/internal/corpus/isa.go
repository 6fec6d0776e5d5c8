package corpus

import "fmt"

// Derived-by-hand expectations for the instruction tables (docs/spec.md §5.2 "Primary opcodes"
// to §5.7 "Loads and stores"). Conventions: rs = $8, rt = $9, rd = $10, pc 0x4000, nextPC
// 0x4004; a taken branch with imm 0x10 goes to 0x4004 + 0x40 = 0x4044, a not-taken one
// continues at 0x4008.

const (
	neg1    = 0xFFFF_FFFF_FFFF_FFFF
	taken   = 0x4044
	notTak  = 0x4008
	memBase = 0x10000
	// loadWord is the memory word every load vector reads: bytes 80 91 A2 B3 C4 D5 E6 F7.
	loadWord = 0x8091_A2B3_C4D5_E6F7
)

// ALU vectors of the primary opcode table (§5.2).
func primaryALU() []*B {
	return []*B{
		V("addi-no-trap", "§5.2 ADDI: sx32(lo32 rs + sx16 imm), no overflow trap").Insn(I(0x08, rs8, rt9, 1)).R(rs8, 0x1234_5678_7FFF_FFFF).Want(rt9, 0xFFFF_FFFF_8000_0000),
		V("addiu-wrap", "§5.2 ADDIU: lo32(rs)+sx16(-1) wraps to 0, upper half of rs ignored (§12.11)").Insn(I(0x09, rs8, rt9, 0xFFFF)).R(rs8, 0xAAAA_0000_0000_0001).Want(rt9, 0),
		V("slti-negative", "§5.2 SLTI: signed compare -2 < -1").Insn(I(0x0A, rs8, rt9, 0xFFFF)).R(rs8, 0xFFFF_FFFF_FFFF_FFFE).Want(rt9, 1),
		V("sltiu-negative-imm", "§5.2 SLTIU: imm sign-extended then unsigned compare (§12.11)").Insn(I(0x0B, rs8, rt9, 0xFFFF)).R(rs8, 0x7FFF_FFFF_FFFF_FFFF).Want(rt9, 1),
		V("sltiu-equal-max", "§5.2 SLTIU: ~0 < ~0 is false").Insn(I(0x0B, rs8, rt9, 0xFFFF)).R(rs8, neg1).Want(rt9, 0),
		V("andi-zero-extends", "§5.2 ANDI: imm zero-extended").Insn(I(0x0C, rs8, rt9, 0x8001)).R(rs8, neg1).Want(rt9, 0x8001),
		V("ori-keeps-upper", "§5.2 ORI: upper 48 bits of rs kept (§12.11)").Insn(I(0x0D, rs8, rt9, 0x8001)).R(rs8, 0x1234_0000_0000_0000).Want(rt9, 0x1234_0000_0000_8001),
		V("xori", "§5.2 XORI: rs ^ zx16(imm)").Insn(I(0x0E, rs8, rt9, 0x0F0F)).R(rs8, 0xFFFF_0000_0000_FFFF).Want(rt9, 0xFFFF_0000_0000_F0F0),
		V("lui-negative-rs-ignored", "§5.2 LUI: sx32(imm<<16), rs field ignored (§12.8)").Insn(I(0x0F, rs8, rt9, 0x8765)).R(rs8, 0x5555).Want(rt9, 0xFFFF_FFFF_8765_0000),
		V("lui-positive", "§5.2 LUI: 0x1234 << 16").Insn(I(0x0F, 0, rt9, 0x1234)).Want(rt9, 0x1234_0000),
		V("daddi-no-trap", "§5.2 DADDI: 64-bit wrap, no trap").Insn(I(0x18, rs8, rt9, 1)).R(rs8, 0x7FFF_FFFF_FFFF_FFFF).Want(rt9, 0x8000_0000_0000_0000),
		V("daddiu-negative", "§5.2 DADDIU: rs + sx16(-1)").Insn(I(0x19, rs8, rt9, 0xFFFF)).R(rs8, 0x1_0000_0000).Want(rt9, 0xFFFF_FFFF),
	}
}

// Branches and jumps (§5.2, §5.5, §5.6).
func branches() []*B {
	beq := I(0x04, rs8, rt9, 0x10)
	bne := I(0x05, rs8, rt9, 0x10)
	blez := I(0x06, rs8, rt9, 0x10) // rt field ignored
	bgtz := I(0x07, rs8, 0, 0x10)
	out := []*B{
		V("j", "§5.2 J: nextPC = region(nextPC) | target<<2; pc = nextPC").Insn(Jt(0x02, 0x12340)).WantPC(0x4004, 0x12340),
		V("j-region-of-delay-slot", "§5.2 J uses the 256 MiB region of the delay-slot address").PC(0x1FFF_FFFC, 0x2000_0000).Insn(Jt(0x02, 0x40)).WantPC(0x2000_0000, 0x2000_0040),
		V("j-in-delay-slot", "§5.6 jump in a delay slot (nextPC != pc+4) is an exception").PC(0x4000, 0x5000).Insn(Jt(0x02, 0x12340)).Exc(),
		V("jal-links", "§5.2 JAL: as J plus $ra = pc+8").Insn(Jt(0x03, 0x12340)).WantPC(0x4004, 0x12340).Want(31, 0x4008),
		V("jal-in-delay-slot", "§5.6 JAL in a delay slot").PC(0x4000, 0x5000).Insn(Jt(0x03, 0x12340)).Exc(),
		V("beq-taken", "§5.2 BEQ: 64-bit equal, taken").Insn(beq).R(rs8, 0xFFFF_0000_0000_0001).R(rt9, 0xFFFF_0000_0000_0001).WantPC(0x4004, taken),
		V("beq-not-taken-upper-differs", "§5.2 BEQ: full 64-bit compare").Insn(beq).R(rs8, 0x1_0000_0005).R(rt9, 5).WantPC(0x4004, notTak),
		V("beq-backwards", "§5.6 branch target pc+4+(sx16(imm)<<2), imm -1").Insn(I(0x04, rs8, rt9, 0xFFFF)).WantPC(0x4004, 0x4000),
		V("beq-in-delay-slot", "§5.6 branch in a delay slot").PC(0x4000, 0x5000).Insn(beq).Exc(),
		V("bne-taken-upper-differs", "§5.2 BNE: 64-bit compare").Insn(bne).R(rs8, 0x1_0000_0005).R(rt9, 5).WantPC(0x4004, taken),
		V("bne-not-taken", "§5.2 BNE equal").Insn(bne).R(rs8, 7).R(rt9, 7).WantPC(0x4004, notTak),
		V("bne-in-delay-slot", "§5.6 branch in a delay slot").PC(0x4000, 0x5000).Insn(bne).Exc(),
		V("blez-taken-zero", "§5.2 BLEZ: 0 <= 0, rt field ignored").Insn(blez).R(rs8, 0).R(rt9, 0x55).WantPC(0x4004, taken),
		V("blez-not-taken-64bit", "§5.2 BLEZ: 0x80000000 is positive as int64").Insn(blez).R(rs8, 0x8000_0000).WantPC(0x4004, notTak),
		V("blez-in-delay-slot", "1.6").PC(0x4000, 0x5000).Insn(blez).Exc(),
		V("bgtz-taken", "§5.2 BGTZ: int64 > 0").Insn(bgtz).R(rs8, 0x8000_0000).WantPC(0x4004, taken),
		V("bgtz-not-taken", "§5.2 BGTZ: -1").Insn(bgtz).R(rs8, neg1).WantPC(0x4004, notTak),
		V("bgtz-in-delay-slot", "1.6").PC(0x4000, 0x5000).Insn(bgtz).Exc(),
		V("bltz-taken", "§5.5 BLTZ int64 < 0").Insn(Regimm(0, rs8, 0x10)).R(rs8, 0x8000_0000_0000_0000).WantPC(0x4004, taken),
		V("bltz-not-taken", "§5.5 BLTZ: 0x80000000 is positive").Insn(Regimm(0, rs8, 0x10)).R(rs8, 0x8000_0000).WantPC(0x4004, notTak),
		V("bltz-in-delay-slot", "1.6").PC(0x4000, 0x5000).Insn(Regimm(0, rs8, 0x10)).Exc(),
		V("bgez-taken-zero", "§5.5 BGEZ 0 >= 0").Insn(Regimm(1, rs8, 0x10)).R(rs8, 0).WantPC(0x4004, taken),
		V("bgez-not-taken", "§5.5 BGEZ -1").Insn(Regimm(1, rs8, 0x10)).R(rs8, neg1).WantPC(0x4004, notTak),
		V("bgez-in-delay-slot", "1.6").PC(0x4000, 0x5000).Insn(Regimm(1, rs8, 0x10)).Exc(),
		V("bltzal-not-taken-links", "§5.5 BLTZAL links $ra = pc+8 even when not taken").Insn(Regimm(0x10, rs8, 0x10)).R(rs8, 1).WantPC(0x4004, notTak).Want(31, 0x4008),
		V("bltzal-taken", "§5.5 BLTZAL taken").Insn(Regimm(0x10, rs8, 0x10)).R(rs8, neg1).WantPC(0x4004, taken).Want(31, 0x4008),
		V("bltzal-in-delay-slot", "1.6").PC(0x4000, 0x5000).Insn(Regimm(0x10, rs8, 0x10)).Exc(),
		V("bal", "§5.5 BGEZAL with rs=0 (BAL) always taken, links").Insn(Regimm(0x11, 0, 0x10)).WantPC(0x4004, taken).Want(31, 0x4008),
		V("bgezal-rs-ra-read-before-link", "§5.5 condition reads $ra before the link write").Insn(Regimm(0x11, 31, 0x10)).R(31, neg1).WantPC(0x4004, notTak).Want(31, 0x4008),
		V("bgezal-in-delay-slot", "1.6").PC(0x4000, 0x5000).Insn(Regimm(0x11, rs8, 0x10)).Exc(),
		V("jr", "§5.3 JR: nextPC = rs").Insn(Sp(0x08, rs8, 0, 0, 0)).R(rs8, 0x12340).WantPC(0x4004, 0x12340),
		V("jr-rd-nonzero", "§5.3 JR ignores rd/hint bits (§12.8)").Insn(Sp(0x08, rs8, 0, rd10, 0)).R(rs8, 0x12340).R(rd10, 0x77).WantPC(0x4004, 0x12340),
		V("jr-in-delay-slot", "1.6").PC(0x4000, 0x5000).Insn(Sp(0x08, rs8, 0, 0, 0)).R(rs8, 0x12340).Exc(),
		V("jalr", "§5.3 JALR: rd = pc+8").Insn(Sp(0x09, rs8, 0, 31, 0)).R(rs8, 0x12340).WantPC(0x4004, 0x12340).Want(31, 0x4008),
		V("jalr-rd-equals-rs", "§5.3 JALR reads the target before the link (rd==rs safe)").Insn(Sp(0x09, rs8, 0, rs8, 0)).R(rs8, 0x12340).WantPC(0x4004, 0x12340).Want(rs8, 0x4008),
		V("jalr-rd-zero", "§5.3 JALR with rd=0 links nothing").Insn(Sp(0x09, rs8, 0, 0, 0)).R(rs8, 0x12340).WantPC(0x4004, 0x12340),
		V("jalr-in-delay-slot", "1.6").PC(0x4000, 0x5000).Insn(Sp(0x09, rs8, 0, 31, 0)).Exc(),
		V("alu-in-delay-slot", "§5.6 a non-branch in a delay slot runs: pc'=nextPC, nextPC'=nextPC+4").PC(0x4000, 0x5000).Insn(Sp(0x21, rs8, rt9, rd10, 0)).R(rs8, 1).R(rt9, 2).Want(rd10, 3).WantPC(0x5000, 0x5004),
	}
	// Every REGIMM rt without a mnemonic is a never-taken branch (§5.5), in a delay slot an
	// exception.
	for rt := uint32(0); rt < 32; rt++ {
		switch rt {
		case 0x00, 0x01, 0x10, 0x11:
			continue
		}
		out = append(out, V(fmt.Sprintf("regimm-rt%02x-never-taken", rt), "§5.5 REGIMM unknown rt: never taken, no exception").
			Insn(Regimm(rt, rs8, 0x10)).R(rs8, neg1).WantPC(0x4004, notTak))
	}
	out = append(out,
		V("regimm-rt02-in-delay-slot", "§5.5/§5.6 unknown REGIMM rt in a delay slot is still a branch: exception (§12.7)").PC(0x4000, 0x5000).Insn(Regimm(0x02, rs8, 0x10)).Exc(),
		V("regimm-rt1f-in-delay-slot", "§5.5/§5.6 (§12.7)").PC(0x4000, 0x5000).Insn(Regimm(0x1F, rs8, 0x10)).Exc(),
	)
	return out
}

// Loads and stores (§5.2, §5.7).
func memOps() []*B {
	ld := func(name, rule string, op uint32, imm uint16, r9, want uint64) *B {
		return V(name, rule).Insn(I(op, rs8, rt9, imm)).R(rs8, memBase).R(rt9, r9).M(memBase, loadWord).Want(rt9, want)
	}
	const r9 = 0x1111_1111_2233_4455
	st := func(name, rule string, op uint32, imm uint16, r9, want uint64) *B {
		return V(name, rule).Insn(I(op, rs8, rt9, imm)).R(rs8, memBase).R(rt9, r9).M(memBase, neg1).WantM(memBase, want)
	}
	return []*B{
		ld("lb-sign-extends", "§5.2/§5.7 LB byte 1 = 0x91 sign-extended", 0x20, 1, r9, 0xFFFF_FFFF_FFFF_FF91),
		ld("lbu", "§5.2 LBU zero-extends", 0x24, 1, r9, 0x91),
		ld("lh-unaligned", "§5.7 LH at +3 is aligned down to +2: 0xA2B3 sign-extended (§12.14)", 0x21, 3, r9, 0xFFFF_FFFF_FFFF_A2B3),
		ld("lhu", "§5.2 LHU at +6: 0xE6F7", 0x25, 6, r9, 0xE6F7),
		ld("lw-unaligned", "§5.7 LW at +6 aligned down to +4 (§12.14)", 0x23, 6, r9, 0xFFFF_FFFF_C4D5_E6F7),
		ld("lwu", "§5.2 LWU at +1 aligned down to +0, zero-extended", 0x27, 1, r9, 0x8091_A2B3),
		ld("ld-unaligned", "§5.7 LD at +5 aligned down to +0", 0x37, 5, r9, loadWord),
		ld("lwl-a1", "§5.7 LWL a=1: (W<<8)|(r&0xFF), sign-extended", 0x22, 1, r9, 0xFFFF_FFFF_91A2_B355),
		ld("lwl-a0", "§5.7 LWL a=0 loads W, always sign-extends", 0x22, 4, r9, 0xFFFF_FFFF_C4D5_E6F7),
		ld("lwl-a3", "§5.7 LWL a=3: (W<<24)|(r&0xFFFFFF) = 0xF7334455 sign-extended", 0x22, 7, r9, 0xFFFF_FFFF_F733_4455),
		ld("lwr-a1-keeps-upper", "§5.7 LWR a=1: upper word of rt preserved (Cannon-specific)", 0x26, 5, r9, 0x1111_1111_2233_C4D5),
		ld("lwr-a3-sign-extends", "§5.7 LWR a=3 loads W sign-extended", 0x26, 7, r9, 0xFFFF_FFFF_C4D5_E6F7),
		ld("lwr-a0", "§5.7 LWR a=0: (r & 0xFFFFFF00) | W>>24, upper word kept", 0x26, 0, r9, 0x1111_1111_2233_4480),
		ld("ldl-b3", "§5.7 LDL b=3: (M<<24) | (rt & 0xFFFFFF)", 0x1A, 3, 0xAAAA_AAAA_AAAA_AAAA, 0xB3C4_D5E6_F7AA_AAAA),
		ld("ldl-b0", "§5.7 LDL b=0 loads M", 0x1A, 0, 0xAAAA_AAAA_AAAA_AAAA, loadWord),
		ld("ldr-b3", "§5.7 LDR b=3: M>>32 | (rt & ~0<<32)", 0x1B, 3, 0xAAAA_AAAA_AAAA_AAAA, 0xAAAA_AAAA_8091_A2B3),
		ld("ldr-b7-full", "§5.7 LDR b=7 loads M", 0x1B, 7, 0xAAAA_AAAA_AAAA_AAAA, loadWord),
		ld("ldr-b0", "§5.7 LDR b=0: M>>56 | (rt & ~0<<8)", 0x1B, 0, 0xAAAA_AAAA_AAAA_AAAA, 0xAAAA_AAAA_AAAA_AA80),
		st("sb-0", "§5.7 SB @+0 (spec example)", 0x28, 0, 0x12345678, 0x78FF_FFFF_FFFF_FFFF),
		st("sb-5", "§5.7 SB @+5, upper bits of rt ignored", 0x28, 5, 0xDEAD_BEEF_1234_5678, 0xFFFF_FFFF_FF78_FFFF),
		st("sh-0", "§5.7 SH @+0 (spec example)", 0x29, 0, 0x12345678, 0x5678_FFFF_FFFF_FFFF),
		st("sh-unaligned", "§5.7 SH @+3 aligned down to +2 (§12.14)", 0x29, 3, 0x12345678, 0xFFFF_5678_FFFF_FFFF),
		st("sw-unaligned", "§5.7 SW @+5 aligned down to +4, low 32 bits of rt", 0x2B, 5, 0xDEAD_BEEF_1234_5678, 0xFFFF_FFFF_1234_5678),
		st("sd-unaligned", "§5.7 SD @+3 aligned down to +0", 0x3F, 3, 0xDEAD_BEEF_1234_5678, 0xDEAD_BEEF_1234_5678),
		st("swl-0", "§5.7 SWL @+0 (spec example)", 0x2A, 0, 0x12345678, 0x1234_5678_FFFF_FFFF),
		st("swl-4", "§5.7 SWL @+4 (spec example)", 0x2A, 4, 0x12345678, 0xFFFF_FFFF_1234_5678),
		st("swl-1", "§5.7 SWL @+1: top 3 bytes of r to bytes 1..3", 0x2A, 1, 0x12345678, 0xFF12_3456_FFFF_FFFF),
		st("swr-0", "§5.7 SWR @+0 (spec example)", 0x2E, 0, 0x12345678, 0x78FF_FFFF_FFFF_FFFF),
		st("swr-4", "§5.7 SWR @+4 (spec example)", 0x2E, 4, 0x12345678, 0xFFFF_FFFF_78FF_FFFF),
		st("swr-6", "§5.7 SWR @+6: low 3 bytes of r to bytes 4..6", 0x2E, 6, 0x12345678, 0xFFFF_FFFF_3456_78FF),
		st("sdl-3", "§5.7 SDL b=3: (rt>>24) | (M & ~(~0>>24))", 0x2C, 3, 0x0011_2233_4455_6677, 0xFFFF_FF00_1122_3344),
		st("sdl-0", "§5.7 SDL b=0 stores rt", 0x2C, 0, 0x0011_2233_4455_6677, 0x0011_2233_4455_6677),
		st("sdr-3", "§5.7 SDR b=3: (rt<<32) | (M & 0xFFFFFFFF)", 0x2D, 3, 0x0011_2233_4455_6677, 0x4455_6677_FFFF_FFFF),
		st("sdr-7", "§5.7 SDR b=7 stores rt", 0x2D, 7, 0x0011_2233_4455_6677, 0x0011_2233_4455_6677),
		V("ea-wraps", "§5.2 EA = rs + sx16(imm) wraps mod 2^64").Insn(I(0x37, rs8, rt9, 0xFFF8)).R(rs8, 0x0).M(0xFFFF_FFFF_FFFF_FFF8, 0x0102_0304_0506_0708).Want(rt9, 0x0102_0304_0506_0708),
		V("sw-over-own-instruction", "§12.3 a store overwriting the word of its own instruction").Insn(I(0x2B, rs8, rt9, 4)).R(rs8, 0x4000).R(rt9, 0xCAFE_BABE).WantM(0x4000, uint64(I(0x2B, rs8, rt9, 4))<<32|0xCAFE_BABE),
		V("store-in-delay-slot", "§12.7 a store in a delay slot runs normally").PC(0x4000, 0x5000).Insn(I(0x2B, rs8, rt9, 0)).R(rs8, memBase).R(rt9, 0x1234_5678).M(memBase, 0).WantM(memBase, 0x1234_5678_0000_0000).WantPC(0x5000, 0x5004),
	}
}

// LL/SC (§6, §12.15). Thread id 3 so the owner field is visible.
func llsc() []*B {
	const m = loadWord
	return []*B{
		V("ll", "§6 LL: sx32 load, status 1, exact address, owner = thread").TID(3).Insn(I(0x30, rs8, rt9, 4)).R(rs8, memBase).M(memBase, m).Want(rt9, 0xFFFF_FFFF_C4D5_E6F7).WantLL(1, memBase+4, 3),
		V("ll-unaligned-keeps-address", "§6 LL at +6 loads the word at +4, llAddress keeps the low bits").TID(3).Insn(I(0x30, rs8, rt9, 6)).R(rs8, memBase).M(memBase, m).Want(rt9, 0xFFFF_FFFF_C4D5_E6F7).WantLL(1, memBase+6, 3),
		V("ll-overwrites-reservation", "§6 LL overwrites another thread's reservation").TID(3).LL(2, 0x20000, 7).Insn(I(0x30, rs8, rt9, 0)).R(rs8, memBase).M(memBase, m).Want(rt9, 0xFFFF_FFFF_8091_A2B3).WantLL(1, memBase, 3),
		V("lld", "§6 LLD: 64-bit load, status 2").TID(3).Insn(I(0x34, rs8, rt9, 0)).R(rs8, memBase).M(memBase, m).Want(rt9, m).WantLL(2, memBase, 3),
		V("sc-success", "§6 SC success: stores lo32(rt) at addr&~3, rt=1, reservation cleared").TID(3).LL(1, memBase+4, 3).Insn(I(0x38, rs8, rt9, 4)).R(rs8, memBase).R(rt9, 0xAAAA_AAAA_1234_5678).M(memBase, m).Want(rt9, 1).WantM(memBase, 0x8091_A2B3_1234_5678).WantLL(0, 0, 0),
		V("sc-fail-low-bits-differ", "§6/§12.15 SC fails when the address differs only in low bits; no memory access").TID(3).LL(1, memBase+5, 3).Insn(I(0x38, rs8, rt9, 4)).R(rs8, memBase).R(rt9, 0x1234).M(memBase, m).Want(rt9, 0),
		V("sc-fail-other-thread", "§6/§12.15 SC by a thread that does not own the reservation fails").TID(3).LL(1, memBase+4, 4).Insn(I(0x38, rs8, rt9, 4)).R(rs8, memBase).R(rt9, 0x1234).M(memBase, m).Want(rt9, 0),
		V("sc-fail-after-lld", "§6/§12.15 SC after LLD (status 2) fails").TID(3).LL(2, memBase+4, 3).Insn(I(0x38, rs8, rt9, 4)).R(rs8, memBase).R(rt9, 0x1234).M(memBase, m).Want(rt9, 0),
		V("sc-fail-no-reservation", "§6 SC without a reservation fails, no memory proof needed").TID(3).Insn(I(0x38, rs8, rt9, 4)).R(rs8, memBase).R(rt9, 0x1234).Want(rt9, 0),
		V("sc-rt-zero", "§6 SC with rt=0: the result is discarded").TID(3).LL(1, memBase, 3).Insn(I(0x38, rs8, 0, 0)).R(rs8, memBase).M(memBase, m).WantM(memBase, m&0xFFFF_FFFF).WantLL(0, 0, 0),
		V("scd-success", "§6 SCD success: 8-byte store, rt=1, cleared").TID(3).LL(2, memBase, 3).Insn(I(0x3C, rs8, rt9, 0)).R(rs8, memBase).R(rt9, 0x0102_0304_0506_0708).M(memBase, m).Want(rt9, 1).WantM(memBase, 0x0102_0304_0506_0708).WantLL(0, 0, 0),
		V("scd-fail-after-ll", "§6/§12.15 SCD after LL (status 1) fails").TID(3).LL(1, memBase, 3).Insn(I(0x3C, rs8, rt9, 0)).R(rs8, memBase).R(rt9, 0x55).M(memBase, m).Want(rt9, 0),
		V("sw-other-half-clears", "§6/§12.15 a store to the other 4-byte half of the reserved word clears the reservation").TID(3).LL(1, memBase+4, 3).Insn(I(0x2B, rs8, rt9, 0)).R(rs8, memBase).R(rt9, 0x1111_2222).M(memBase, m).WantM(memBase, 0x1111_2222_C4D5_E6F7).WantLL(0, 0, 0),
		V("sb-by-other-thread-clears", "§6 a store by any thread to the reserved word clears it").TID(3).LL(1, memBase+4, 9).Insn(I(0x28, rs8, rt9, 7)).R(rs8, memBase).R(rt9, 0x11).M(memBase, m).WantM(memBase, 0x8091_A2B3_C4D5_E611).WantLL(0, 0, 0),
		V("sd-other-word-keeps", "§6 a store to another word leaves the reservation").TID(3).LL(1, memBase+4, 3).Insn(I(0x3F, rs8, rt9, 8)).R(rs8, memBase).R(rt9, 0x42).M(memBase+8, 0).WantM(memBase+8, 0x42),
		V("load-keeps-reservation", "§6 loads never clear").TID(3).LL(1, memBase+4, 3).Insn(I(0x23, rs8, rt9, 4)).R(rs8, memBase).M(memBase, m).Want(rt9, 0xFFFF_FFFF_C4D5_E6F7),
		V("sc-in-delay-slot", "§12.7 SC in a delay slot runs normally").TID(3).PC(0x4000, 0x5000).LL(1, memBase, 3).Insn(I(0x38, rs8, rt9, 0)).R(rs8, memBase).R(rt9, 0x0000_0000_0A0B_0C0D).M(memBase, m).Want(rt9, 1).WantM(memBase, 0x0A0B_0C0D_C4D5_E6F7).WantLL(0, 0, 0).WantPC(0x5000, 0x5004),
	}
}
