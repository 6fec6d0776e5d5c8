package corpus

import (
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/vectors"
)

// Edge cases of docs/spec.md §12 "Edge cases" beyond the table rows, values derived by hand.

// allOffsets: LDL/LDR/SDL/SDR at every byte offset b and LWL/LWR/SWL/SWR at every a (§5.7,
// §12.14). Load word bytes 80 91 A2 B3 C4 D5 E6 F7; rt AA×8 (LDL/LDR), 1111_1111_2233_4455
// (LWL/LWR); store word FF×8, rt 00 11 22 33 44 55 66 77 (SDL/SDR), 0x12345678 (SWL/SWR).
func allOffsets() []*B {
	ldl := []uint64{
		0x8091_A2B3_C4D5_E6F7, 0x91A2_B3C4_D5E6_F7AA, 0xA2B3_C4D5_E6F7_AAAA, 0xB3C4_D5E6_F7AA_AAAA,
		0xC4D5_E6F7_AAAA_AAAA, 0xD5E6_F7AA_AAAA_AAAA, 0xE6F7_AAAA_AAAA_AAAA, 0xF7AA_AAAA_AAAA_AAAA,
	}
	ldr := []uint64{
		0xAAAA_AAAA_AAAA_AA80, 0xAAAA_AAAA_AAAA_8091, 0xAAAA_AAAA_AA80_91A2, 0xAAAA_AAAA_8091_A2B3,
		0xAAAA_AA80_91A2_B3C4, 0xAAAA_8091_A2B3_C4D5, 0xAA80_91A2_B3C4_D5E6, 0x8091_A2B3_C4D5_E6F7,
	}
	sdl := []uint64{
		0x0011_2233_4455_6677, 0xFF00_1122_3344_5566, 0xFFFF_0011_2233_4455, 0xFFFF_FF00_1122_3344,
		0xFFFF_FFFF_0011_2233, 0xFFFF_FFFF_FF00_1122, 0xFFFF_FFFF_FFFF_0011, 0xFFFF_FFFF_FFFF_FF00,
	}
	sdr := []uint64{
		0x77FF_FFFF_FFFF_FFFF, 0x6677_FFFF_FFFF_FFFF, 0x5566_77FF_FFFF_FFFF, 0x4455_6677_FFFF_FFFF,
		0x3344_5566_77FF_FFFF, 0x2233_4455_6677_FFFF, 0x1122_3344_5566_77FF, 0x0011_2233_4455_6677,
	}
	lwl := []uint64{0xFFFF_FFFF_8091_A2B3, 0xFFFF_FFFF_91A2_B355, 0xFFFF_FFFF_A2B3_4455, 0xFFFF_FFFF_B333_4455}
	lwr := []uint64{0x1111_1111_2233_4480, 0x1111_1111_2233_8091, 0x1111_1111_2280_91A2, 0xFFFF_FFFF_8091_A2B3}
	swl := []uint64{0x1234_5678_FFFF_FFFF, 0xFF12_3456_FFFF_FFFF, 0xFFFF_1234_FFFF_FFFF, 0xFFFF_FF12_FFFF_FFFF}
	swr := []uint64{0x78FF_FFFF_FFFF_FFFF, 0x5678_FFFF_FFFF_FFFF, 0x3456_78FF_FFFF_FFFF, 0x1234_5678_FFFF_FFFF}
	var out []*B
	for b := range 8 {
		imm := uint16(b)
		out = append(out,
			V(fmt.Sprintf("ldl-all-b%d", b), "§5.7/§12.14 LDL at every byte offset").Insn(I(0x1A, rs8, rt9, imm)).R(rs8, memBase).R(rt9, 0xAAAA_AAAA_AAAA_AAAA).M(memBase, loadWord).Want(rt9, ldl[b]),
			V(fmt.Sprintf("ldr-all-b%d", b), "§5.7/§12.14 LDR at every byte offset").Insn(I(0x1B, rs8, rt9, imm)).R(rs8, memBase).R(rt9, 0xAAAA_AAAA_AAAA_AAAA).M(memBase, loadWord).Want(rt9, ldr[b]),
			V(fmt.Sprintf("sdl-all-b%d", b), "§5.7/§12.14 SDL at every byte offset").Insn(I(0x2C, rs8, rt9, imm)).R(rs8, memBase).R(rt9, 0x0011_2233_4455_6677).M(memBase, neg1).WantM(memBase, sdl[b]),
			V(fmt.Sprintf("sdr-all-b%d", b), "§5.7/§12.14 SDR at every byte offset").Insn(I(0x2D, rs8, rt9, imm)).R(rs8, memBase).R(rt9, 0x0011_2233_4455_6677).M(memBase, neg1).WantM(memBase, sdr[b]),
		)
	}
	for a := range 4 {
		imm := uint16(a)
		out = append(out,
			V(fmt.Sprintf("lwl-all-a%d", a), "§5.7/§12.14 LWL at every offset, always sign-extending").Insn(I(0x22, rs8, rt9, imm)).R(rs8, memBase).R(rt9, 0x1111_1111_2233_4455).M(memBase, loadWord).Want(rt9, lwl[a]),
			V(fmt.Sprintf("lwr-all-a%d", a), "§5.7/§12.14 LWR at every offset: a != 3 keeps rt's upper word").Insn(I(0x26, rs8, rt9, imm)).R(rs8, memBase).R(rt9, 0x1111_1111_2233_4455).M(memBase, loadWord).Want(rt9, lwr[a]),
			V(fmt.Sprintf("swl-all-a%d", a), "§5.7/§12.14 SWL at every offset").Insn(I(0x2A, rs8, rt9, imm)).R(rs8, memBase).R(rt9, 0x1234_5678).M(memBase, neg1).WantM(memBase, swl[a]),
			V(fmt.Sprintf("swr-all-a%d", a), "§5.7/§12.14 SWR at every offset").Insn(I(0x2E, rs8, rt9, imm)).R(rs8, memBase).R(rt9, 0x1234_5678).M(memBase, neg1).WantM(memBase, swr[a]),
		)
	}
	return out
}

func edges() []*B {
	hilo := func(name, rule string, insn uint32) *B {
		return V(name, rule).Insn(insn).HiLo(0x1111_2222_3333_4444, 0x5555_6666_7777_8888)
	}
	return []*B{
		hilo("multu-rd-nonzero", "§5.3/§12.8 MULTU with rd != 0 zeroes rd", Sp(0x19, rs8, rt9, rd10, 0)).R(rs8, 2).R(rt9, 3).R(rd10, 0xDEAD).WantHiLo(0, 6).Want(rd10, 0),
		hilo("divu-rd-nonzero", "§5.3/§12.8 DIVU with rd != 0 zeroes rd", Sp(0x1B, rs8, rt9, rd10, 0)).R(rs8, 7).R(rt9, 2).R(rd10, 0xDEAD).WantHiLo(1, 3).Want(rd10, 0),
		hilo("dmult-rd-nonzero", "§5.3/§12.8 DMULT with rd != 0 zeroes rd", Sp(0x1C, rs8, rt9, rd10, 0)).R(rs8, 2).R(rt9, 3).R(rd10, 0xDEAD).WantHiLo(0, 6).Want(rd10, 0),
		hilo("dmultu-rd-nonzero", "§5.3/§12.8 DMULTU with rd != 0 zeroes rd", Sp(0x1D, rs8, rt9, rd10, 0)).R(rs8, 2).R(rt9, 3).R(rd10, 0xDEAD).WantHiLo(0, 6).Want(rd10, 0),
		hilo("ddiv-rd-nonzero", "§5.3/§12.8 DDIV with rd != 0 zeroes rd", Sp(0x1E, rs8, rt9, rd10, 0)).R(rs8, 7).R(rt9, 2).R(rd10, 0xDEAD).WantHiLo(1, 3).Want(rd10, 0),
		hilo("ddivu-rd-nonzero", "§5.3/§12.8 DDIVU with rd != 0 zeroes rd", Sp(0x1F, rs8, rt9, rd10, 0)).R(rs8, 7).R(rt9, 2).R(rd10, 0xDEAD).WantHiLo(1, 3).Want(rd10, 0),
		hilo("div-dirty-upper", "§5.3/§12.11 DIV ignores the upper halves: lo32 -8 / 3 = -2 r -2", Sp(0x1A, rs8, rt9, 0, 0)).R(rs8, 0x7777_7777_FFFF_FFF8).R(rt9, 0x1_0000_0003).WantHiLo(0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFE),
		sp("drotrv-is-dsrlv", "§5.3/§12.8 DROTRV (sa field 1) executes as DSRLV", Sp(0x16, rs8, rt9, rd10, 1), 4, 0x8000_0000_0000_0010, 0x0800_0000_0000_0001),
		sp("sra-0", "§5.3/§12.10 SRA sa=0 sign-extends lo32", Sp(0x03, 0, rt9, rd10, 0), 0, 0x1234_5678_8000_0001, 0xFFFF_FFFF_8000_0001),
		sp("sllv-rs-32", "§5.3/§12.10 SLLV with rs = 32 shifts by 0", Sp(0x04, rs8, rt9, rd10, 0), 32, 0xFFFF_FFFF_7FFF_FFFF, 0x7FFF_FFFF),
		sp("dsllv-rs-64", "§5.3/§12.10 DSLLV with rs = 64 shifts by 0", Sp(0x14, rs8, rt9, rd10, 0), 64, 0x1234_5678_9ABC_DEF0, 0x1234_5678_9ABC_DEF0),
		sp("clz-all-ones-dirty", "§5.4/§12.13 CLZ of 0xFFFFFFFF with garbage upper = 0", Sp2(0x20, rs8, rt9, rd10), 0x0000_1234_FFFF_FFFF, 0, 0),
		sp("clo-all-ones-dirty", "§5.4/§12.13 CLO of 0xFFFFFFFF with garbage upper = 32", Sp2(0x21, rs8, rt9, rd10), 0x1234_5678_FFFF_FFFF, 0, 32),
		sp("clo-zero", "§5.4/§12.13 CLO of 0 = 0", Sp2(0x21, rs8, rt9, rd10), 0xFFFF_FFFF_0000_0000, 0, 0),
		sp("dclz-all-ones", "§5.4/§12.13 DCLZ ~0 = 0", Sp2(0x24, rs8, rt9, rd10), neg1, 0, 0),
		sp("dclo-zero", "§5.4/§12.13 DCLO 0 = 0", Sp2(0x25, rs8, rt9, rd10), 0, 0, 0),
		sp("mul-dirty-upper", "§5.4/§12.11 MUL ignores upper halves: 3 * -5", Sp2(0x02, rs8, rt9, rd10), 0x7FFF_0000_0000_0003, 0x0000_0001_FFFF_FFFB, 0xFFFF_FFFF_FFFF_FFF1),
		sp("subu-dirty-upper", "§5.3/§12.11 SUBU ignores upper halves", Sp(0x23, rs8, rt9, rd10, 0), 0x1234_0000_0000_0005, 0xFFFF_0000_0000_0007, 0xFFFF_FFFF_FFFF_FFFE),
		V("ld-own-instruction-word", "§12.3 a load of the word holding its own instruction").Insn(I(0x37, rs8, rt9, 0)).R(rs8, 0x4000).M(0x4000, 0x0000_0000_CAFE_BABE).Want(rt9, uint64(I(0x37, rs8, rt9, 0))<<32|0xCAFE_BABE),
		V("ll-in-delay-slot", "§12.7 LL in a delay slot runs normally").TID(3).PC(0x4000, 0x5000).Insn(I(0x30, rs8, rt9, 0)).R(rs8, memBase).M(memBase, loadWord).Want(rt9, 0xFFFF_FFFF_8091_A2B3).WantLL(1, memBase, 3).WantPC(0x5000, 0x5004),
		V("clock-leaf-offset-8", "§12.2 a1&31 = 8: both words in one leaf").Step(0x1234_5677, 3).Sys(5222, 1, bufAddr+8).M(bufAddr+8, neg1).M(bufAddr+16, neg1).Ret(0).WantM(bufAddr+8, 0x1E).WantM(bufAddr+16, 0x204E_1AE0),
		V("read-preimage-offset-7", "§8.2/§12.16 offset 7: the last length byte then the data").Sys(5000, 5, bufAddr, 8).M(bufAddr, 0xEEEE_EEEE_FFFF_FFFF).
			Pre("0x1234567898765432", "keccak256", 7).Ret(8).WantM(bufAddr, 0x0812_3456_7898_7654).WantOff(15),
		V("read-preimage-unaligned-4", "§7.4/§12.16 read at +4 reads 4 bytes").Sys(5000, 5, bufAddr+4, 8).M(bufAddr, 0xEEEE_EEEE_FFFF_FFFF).
			Pre("0x1234567898765432", "keccak256", 8).Ret(4).WantM(bufAddr, 0xEEEE_EEEE_1234_5678).WantOff(12),
		V("read-preimage-unaligned-5-count-2", "§7.4/§12.16 read at +5, count 2").Sys(5000, 5, bufAddr+5, 2).M(bufAddr, 0xEEEE_EEEE_FFFF_FFFF).
			Pre("0x1234567898765432", "keccak256", 10).Ret(2).WantM(bufAddr, 0xEEEE_EEEE_FF56_78FF).WantOff(12),
		V("read-preimage-unaligned-6", "§7.4/§12.16 read at +6 reads 2 bytes").Sys(5000, 5, bufAddr+6, 8).M(bufAddr, 0xEEEE_EEEE_FFFF_FFFF).
			Pre("0x1234567898765432", "keccak256", 8).Ret(2).WantM(bufAddr, 0xEEEE_EEEE_FFFF_1234).WantOff(10),
		V("read-preimage-precompile", "§8.1/§8.3 a type-6 precompile key: identity(0x0102) -> status 1 ‖ 01 02").Covers("preimage/precompile").
			Sys(5000, 5, bufAddr, 8).M(bufAddr, 0xEEEE_EEEE_FFFF_FFFF).
			PreCompile("0x0000000000000000000000000000000000000004"+"0000000000000064"+"0102", "0x010102", 8).Ret(3).WantM(bufAddr, 0x0101_02EE_FFFF_FFFF).WantOff(11),
		V("read-preimage-past-end-plus-1", "§8.2 read at offset 8+len+1 is an exception").Sys(5000, 5, bufAddr, 8).M(bufAddr, 0).Pre("0x1234567898765432", "keccak256", 17).Exc(),
		V("getrandom-align0-len0-no-reservation", "§7.2/§12.17 getrandom len 0 at +3 leaves the word").Step(0x1a2b_3c4d_5e6f_7530, 3).Sys(5313, bufAddr+3, 0, 0).M(bufAddr, 0xEEEE_EEEE_EEEE_EEEE).Ret(0),
		V("getrandom-align2-len9", "§7.2/§12.17 k=2 len 9 -> n=6").Step(0x1a2b_3c4d_5e6f_7530, 3).Sys(5313, bufAddr+2, 9, 0).M(bufAddr, 0xEEEE_EEEE_EEEE_EEEE).Ret(6).WantM(bufAddr, 0xEEEE_3027_68C9_E9D0),
		V("write-key-unaligned-7", "§7.4/§12.16 key write at +7: one byte").Sys(5001, 6, bufAddr+7, 8).M(bufAddr, 0x0011_2233_4455_6677).Key("0x01", 5).Ret(1).WantKey("0x0177", 0),
		V("exit-not-last-other-stack", "§7.2/§4 exit with the other thread on the inactive stack: not last").
			Stacks([]*vectors.Thread{T(0)}, []*vectors.Thread{T(1)}, false).Sys(5058, 9).WantPC(0x4000, 0x4004).ThreadExit(9).Covers("syscall/exit/not-last"),
	}
}

// PreCompile adds a precompile pre-image (input = address ‖ requiredGas ‖ call input).
func (b *B) PreCompile(input, data string, off uint64) *B {
	b.v.Pre.Preimages = append(b.v.Pre.Preimages, vectors.Preimage{Type: "precompile", Input: input, Data: data})
	b.v.Pre.PreimageKey, b.v.Pre.PreimageOffset = "@0", h(off)
	return b
}
