package vm

import (
	"fmt"
	"testing"
)

// Loads and stores, docs/spec.md §5.2 "Primary opcodes", §5.7 "Loads and stores", §6 "LL/SC
// reservation" (clearing) and §12.14 "Alignment". Most cases use the data word memWord at
// 0x10000, base register $4 = 0x10000 and offsets 0..7, so every byte offset of every access
// width is exercised. Its bytes are 81 72 A3 34 | 45 56 17 F8: both signs in each byte,
// halfword and word position.
const (
	memBase   = 0x10000
	memWord   = 0x8172A334_455617F8
	loadPreRt = 0x01020304_05060708 // pre-value of rt ($2) for loads that merge into it
	storeRt   = 0xC1C2C3C4_D1D2D3D4 // rt ($5) for stores
)

// offsetCases builds the eight cases "mnemonic $rt,k($4)" for k = 0..7 from an encoding with
// offset 0 and the hand-derived result for each k: the value of $2 for loads, the new word
// at 0x10000 for stores. Every store also clears a reservation held by another thread on
// the other half of the same word.
func offsetCases(mnemonic string, insn0 uint32, store bool, want [8]uint64) []isaCase {
	cases := make([]isaCase, 8)
	for k := range 8 {
		c := isaCase{
			insn:  insn0 | uint32(k),
			regs:  regs{2: loadPreRt, 4: memBase, 5: storeRt},
			mem:   words{memBase: memWord},
			slot1: u64(memBase),
		}
		if store {
			c.name = fmt.Sprintf("%s $5,%d($4)", mnemonic, k)
			c.ll = llRes{status: 1, addr: memBase + 4 + uint64(k&1), owner: 3}
			c.wantLL = &llRes{}
			c.wantMem = words{memBase: want[k]}
		} else {
			c.name = fmt.Sprintf("%s $2,%d($4)", mnemonic, k)
			c.want = regs{2: want[k]}
		}
		cases[k] = c
	}
	return cases
}

func loadCases() []isaCase {
	var cs []isaCase
	cs = append(cs, offsetCases("lb", 0x80820000, false, [8]uint64{
		0xFFFFFFFF_FFFFFF81, 0x72, 0xFFFFFFFF_FFFFFFA3, 0x34, 0x45, 0x56, 0x17, 0xFFFFFFFF_FFFFFFF8})...)
	cs = append(cs, offsetCases("lbu", 0x90820000, false, [8]uint64{
		0x81, 0x72, 0xA3, 0x34, 0x45, 0x56, 0x17, 0xF8})...)
	cs = append(cs, offsetCases("lh", 0x84820000, false, [8]uint64{
		0xFFFFFFFF_FFFF8172, 0xFFFFFFFF_FFFF8172, 0xFFFFFFFF_FFFFA334, 0xFFFFFFFF_FFFFA334,
		0x4556, 0x4556, 0x17F8, 0x17F8})...)
	cs = append(cs, offsetCases("lhu", 0x94820000, false, [8]uint64{
		0x8172, 0x8172, 0xA334, 0xA334, 0x4556, 0x4556, 0x17F8, 0x17F8})...)
	cs = append(cs, offsetCases("lw", 0x8C820000, false, [8]uint64{
		0xFFFFFFFF_8172A334, 0xFFFFFFFF_8172A334, 0xFFFFFFFF_8172A334, 0xFFFFFFFF_8172A334,
		0x455617F8, 0x455617F8, 0x455617F8, 0x455617F8})...)
	cs = append(cs, offsetCases("lwu", 0x9C820000, false, [8]uint64{
		0x8172A334, 0x8172A334, 0x8172A334, 0x8172A334,
		0x455617F8, 0x455617F8, 0x455617F8, 0x455617F8})...)
	cs = append(cs, offsetCases("ld", 0xDC820000, false, [8]uint64{
		memWord, memWord, memWord, memWord, memWord, memWord, memWord, memWord})...)
	cs = append(cs, offsetCases("lwl", 0x88820000, false, [8]uint64{
		0xFFFFFFFF_8172A334, 0x00000000_72A33408, 0xFFFFFFFF_A3340708, 0x00000000_34060708,
		0x00000000_455617F8, 0x00000000_5617F808, 0x00000000_17F80708, 0xFFFFFFFF_F8060708})...)
	cs = append(cs, offsetCases("lwr", 0x98820000, false, [8]uint64{
		0x01020304_05060781, 0x01020304_05068172, 0x01020304_058172A3, 0xFFFFFFFF_8172A334,
		0x01020304_05060745, 0x01020304_05064556, 0x01020304_05455617, 0x00000000_455617F8})...)
	cs = append(cs, offsetCases("ldl", 0x68820000, false, [8]uint64{
		0x8172A334_455617F8, 0x72A33445_5617F808, 0xA3344556_17F80708, 0x34455617_F8060708,
		0x455617F8_05060708, 0x5617F804_05060708, 0x17F80304_05060708, 0xF8020304_05060708})...)
	cs = append(cs, offsetCases("ldr", 0x6C820000, false, [8]uint64{
		0x01020304_05060781, 0x01020304_05068172, 0x01020304_058172A3, 0x01020304_8172A334,
		0x01020381_72A33445, 0x01028172_A3344556, 0x018172A3_34455617, 0x8172A334_455617F8})...)
	return cs
}

func storeCases() []isaCase {
	var cs []isaCase
	cs = append(cs, offsetCases("sb", 0xA0850000, true, [8]uint64{
		0xD472A334_455617F8, 0x81D4A334_455617F8, 0x8172D434_455617F8, 0x8172A3D4_455617F8,
		0x8172A334_D45617F8, 0x8172A334_45D417F8, 0x8172A334_4556D4F8, 0x8172A334_455617D4})...)
	cs = append(cs, offsetCases("sh", 0xA4850000, true, [8]uint64{
		0xD3D4A334_455617F8, 0xD3D4A334_455617F8, 0x8172D3D4_455617F8, 0x8172D3D4_455617F8,
		0x8172A334_D3D417F8, 0x8172A334_D3D417F8, 0x8172A334_4556D3D4, 0x8172A334_4556D3D4})...)
	cs = append(cs, offsetCases("sw", 0xAC850000, true, [8]uint64{
		0xD1D2D3D4_455617F8, 0xD1D2D3D4_455617F8, 0xD1D2D3D4_455617F8, 0xD1D2D3D4_455617F8,
		0x8172A334_D1D2D3D4, 0x8172A334_D1D2D3D4, 0x8172A334_D1D2D3D4, 0x8172A334_D1D2D3D4})...)
	cs = append(cs, offsetCases("sd", 0xFC850000, true, [8]uint64{
		storeRt, storeRt, storeRt, storeRt, storeRt, storeRt, storeRt, storeRt})...)
	cs = append(cs, offsetCases("swl", 0xA8850000, true, [8]uint64{
		0xD1D2D3D4_455617F8, 0x81D1D2D3_455617F8, 0x8172D1D2_455617F8, 0x8172A3D1_455617F8,
		0x8172A334_D1D2D3D4, 0x8172A334_45D1D2D3, 0x8172A334_4556D1D2, 0x8172A334_455617D1})...)
	cs = append(cs, offsetCases("swr", 0xB8850000, true, [8]uint64{
		0xD472A334_455617F8, 0xD3D4A334_455617F8, 0xD2D3D434_455617F8, 0xD1D2D3D4_455617F8,
		0x8172A334_D45617F8, 0x8172A334_D3D417F8, 0x8172A334_D2D3D4F8, 0x8172A334_D1D2D3D4})...)
	cs = append(cs, offsetCases("sdl", 0xB0850000, true, [8]uint64{
		0xC1C2C3C4_D1D2D3D4, 0x81C1C2C3_C4D1D2D3, 0x8172C1C2_C3C4D1D2, 0x8172A3C1_C2C3C4D1,
		0x8172A334_C1C2C3C4, 0x8172A334_45C1C2C3, 0x8172A334_4556C1C2, 0x8172A334_455617C1})...)
	cs = append(cs, offsetCases("sdr", 0xB4850000, true, [8]uint64{
		0xD472A334_455617F8, 0xD3D4A334_455617F8, 0xD2D3D434_455617F8, 0xD1D2D3D4_455617F8,
		0xC4D1D2D3_D45617F8, 0xC3C4D1D2_D3D417F8, 0xC2C3C4D1_D2D3D4F8, 0xC1C2C3C4_D1D2D3D4})...)
	return cs
}

// memEdgeCases are the remaining address and register edge cases.
var memEdgeCases = []isaCase{
	// The worked stores of docs/spec.md §5.7 "Loads and stores": rt = 0x12345678, memory all ones.
	{name: "sb $5,0($4) / spec §5.7 example", insn: 0xA0850000,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: 0xFFFFFFFF_FFFFFFFF},
		wantMem: words{memBase: 0x78FFFFFF_FFFFFFFF}, slot1: u64(memBase)},
	{name: "sh $5,0($4) / spec §5.7 example", insn: 0xA4850000,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: 0xFFFFFFFF_FFFFFFFF},
		wantMem: words{memBase: 0x5678FFFF_FFFFFFFF}, slot1: u64(memBase)},
	{name: "swl $5,0($4) / spec §5.7 example", insn: 0xA8850000,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: 0xFFFFFFFF_FFFFFFFF},
		wantMem: words{memBase: 0x12345678_FFFFFFFF}, slot1: u64(memBase)},
	{name: "swr $5,0($4) / spec §5.7 example", insn: 0xB8850000,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: 0xFFFFFFFF_FFFFFFFF},
		wantMem: words{memBase: 0x78FFFFFF_FFFFFFFF}, slot1: u64(memBase)},
	{name: "swl $5,4($4) / spec §5.7 example", insn: 0xA8850004,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: 0xFFFFFFFF_FFFFFFFF},
		wantMem: words{memBase: 0xFFFFFFFF_12345678}, slot1: u64(memBase)},
	{name: "swr $5,4($4) / spec §5.7 example", insn: 0xB8850004,
		regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase: 0xFFFFFFFF_FFFFFFFF},
		wantMem: words{memBase: 0xFFFFFFFF_78FFFFFF}, slot1: u64(memBase)},

	{name: "lwr $2,0($4) / a != 3 keeps the upper word even with bit 31 set", insn: 0x98820000,
		regs: regs{2: 0x01020304_85060708, 4: memBase}, mem: words{memBase: memWord},
		want: regs{2: 0x01020304_85060781}, slot1: u64(memBase)},
	{name: "lwl $2,1($4) / upper word replaced by the sign of the merged word", insn: 0x88820001,
		regs: regs{2: 0xFFFFFFFF_05060708, 4: memBase}, mem: words{memBase: memWord},
		want: regs{2: 0x00000000_72A33408}, slot1: u64(memBase)},
	{name: "lw $2,-4($4) / negative offset", insn: 0x8C82FFFC,
		regs: regs{4: memBase + 8}, mem: words{memBase: memWord},
		want: regs{2: 0x455617F8}, slot1: u64(memBase)},
	{name: "lh $2,2($4) / unaligned base, address aligned down", insn: 0x84820002,
		regs: regs{4: memBase + 3}, mem: words{memBase: memWord},
		want: regs{2: 0x4556}, slot1: u64(memBase)},
	{name: "ld $2,-8($4) / address wraps below 0", insn: 0xDC82FFF8,
		regs: regs{4: 0}, mem: words{0xFFFFFFFF_FFFFFFF8: 0x11223344_55667788},
		want: regs{2: 0x11223344_55667788}, slot1: u64(0xFFFFFFFF_FFFFFFF8)},
	{name: "ld $2,0($4) / untouched memory reads 0", insn: 0xDC820000,
		regs: regs{4: 0x00007000_00000000}, want: regs{2: 0}, slot1: u64(0x00007000_00000000)},
	{name: "lb $0,0($4) / R0 not written, memory still read", insn: 0x80800000,
		regs: regs{4: memBase}, mem: words{memBase: memWord}, slot1: u64(memBase)},
	{name: "lwl $0,1($4) / R0 not written, memory still read", insn: 0x88800001,
		regs: regs{4: memBase}, mem: words{memBase: memWord}, slot1: u64(memBase)},
	{name: "lw $2,0($4) / reads its own instruction word", insn: 0x8C820000,
		regs: regs{4: 0x4000}, want: regs{2: 0xFFFFFFFF_8C820000}, slot1: u64(0x4000)},
	{name: "lw $2,0($4) / loads never clear a reservation", insn: 0x8C820000,
		regs: regs{4: memBase}, mem: words{memBase: memWord}, ll: llRes{1, memBase, 0},
		want: regs{2: 0xFFFFFFFF_8172A334}, slot1: u64(memBase)},

	{name: "sw $5,4($4) / overwrites the other half of its own instruction word", insn: 0xAC850004,
		regs:    regs{4: 0x4000, 5: storeRt},
		wantMem: words{0x4000: 0xAC850004_D1D2D3D4}, slot1: u64(0x4000)},
	{name: "sw $5,0($4) / overwrites its own instruction", insn: 0xAC850000,
		regs:    regs{4: 0x4000, 5: storeRt},
		wantMem: words{0x4000: 0xD1D2D3D4_00000000}, slot1: u64(0x4000)},
	{name: "sw $5,0($4) / reservation on another word survives", insn: 0xAC850000,
		regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord}, ll: llRes{1, memBase + 8, 0},
		wantMem: words{memBase: 0xD1D2D3D4_455617F8}, slot1: u64(memBase)},
	{name: "sb $5,7($4) / reservation owner's own store clears it", insn: 0xA0850007,
		regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord}, tid: 4, ll: llRes{2, memBase, 4},
		wantMem: words{memBase: 0x8172A334_455617D4}, wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "sd $5,0($4) / store of an unchanged value still clears", insn: 0xFC850000,
		regs: regs{4: memBase, 5: memWord}, mem: words{memBase: memWord}, ll: llRes{1, memBase + 3, 0},
		wantLL: &llRes{}, slot1: u64(memBase)},
	{name: "sw $5,0($4) / in a delay slot", insn: 0xAC850000,
		pc: 0x4000, nextPC: 0x6000, regs: regs{4: memBase, 5: storeRt}, mem: words{memBase: memWord},
		wantMem: words{memBase: 0xD1D2D3D4_455617F8}, slot1: u64(memBase), wantPC: 0x6000, wantNextPC: 0x6004},
	{name: "sd $5,-8($4) / address wraps below 0", insn: 0xFC85FFF8,
		regs:    regs{4: 0, 5: storeRt},
		wantMem: words{0xFFFFFFFF_FFFFFFF8: storeRt}, slot1: u64(0xFFFFFFFF_FFFFFFF8)},
}

func TestLoads(t *testing.T)       { runISACases(t, loadCases()) }
func TestStores(t *testing.T)      { runISACases(t, storeCases()) }
func TestMemoryEdges(t *testing.T) { runISACases(t, memEdgeCases) }
