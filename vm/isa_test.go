package vm

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// Invalid encodings (docs/spec.md §5.2 "Primary opcodes" to §5.4 "SPECIAL2", §5.8
// "Exceptions", §12.9 "Invalid opcodes") and a check that the instruction tests together cover
// every row of the decode tables.

// Selector lists copied from the tables of docs/spec.md, not from isa.go.
var (
	invalidPrimaryNoLoad = []uint32{0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x1D, 0x1E, 0x1F}
	invalidPrimaryLoad   = []uint32{0x2F, 0x31, 0x32, 0x33, 0x35, 0x36, 0x39, 0x3A, 0x3B, 0x3D, 0x3E}
	invalidSpecial       = []uint32{0x01, 0x05, 0x0D, 0x0E, 0x15, 0x28, 0x29,
		0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x39, 0x3D}
	validSpecial2 = []uint32{0x02, 0x20, 0x21, 0x24, 0x25}
)

// invalidSweepCases: every invalid selector with rs=$4=0x10000, rt=$5, rd=$2 and offset 9.
// Opcodes >= 0x20 read their data word (0x10008) before failing; nothing else touches memory.
func invalidSweepCases() []isaCase {
	base := isaCase{regs: regs{4: memBase, 5: 0x12345678}, mem: words{memBase + 8: memWord}}
	var cs []isaCase
	add := func(name string, insn uint32, slot1 *uint64) {
		c := base
		c.name, c.insn, c.fault, c.slot1 = name, insn, FaultInvalidInstruction, slot1
		cs = append(cs, c)
	}
	for _, op := range invalidPrimaryNoLoad {
		add(fmt.Sprintf("raw opcode 0x%02x", op), op<<26|0x00850009, nil)
	}
	for _, op := range invalidPrimaryLoad {
		add(fmt.Sprintf("raw opcode 0x%02x / data word read before the fault", op), op<<26|0x00850009, u64(memBase+8))
	}
	for _, f := range invalidSpecial {
		add(fmt.Sprintf("raw special funct 0x%02x", f), 0x00851000|f, nil)
	}
	for f := uint32(0); f < 64; f++ {
		if !slices.Contains(validSpecial2, f) {
			add(fmt.Sprintf("raw special2 funct 0x%02x", f), 0x70851000|f, nil)
		}
	}
	return cs
}

// invalidNamedCases are real instructions a compiler or hand-written assembly may emit.
var invalidNamedCases = []isaCase{
	{name: "break", insn: 0x0000000D},
	{name: "raw special funct 0x0e / sdbbp of release 6", insn: 0x0000000E},
	{name: "teq $0,$0", insn: 0x00000034},
	{name: "tne $4,$5", insn: 0x00850036},
	{name: "movf $2,$4,$fcc0", insn: 0x00801001},
	{name: "madd $4,$5", insn: 0x70850000},
	{name: "msub $4,$5", insn: 0x70850004},
	{name: "seb $2,$5", insn: 0x7C051420},
	{name: "dext $2,$4,0,8", insn: 0x7C823803},
	{name: "rdhwr $3,$29", insn: 0x7C03E83B},
	{name: "mfc1 $2,$f0", insn: 0x44020000},
	{name: "mfc0 $2,$12", insn: 0x40026000},
	{name: "beql $4,$5,0x10 / branch-likely is not supported", insn: 0x50850010, regs: regs{4: 1, 5: 1}},
	{name: "bnel $4,$5,0x10", insn: 0x54850010},
	{name: "pref 0x0,0($4) / data word read first", insn: 0xCC800000,
		regs: regs{4: memBase}, slot1: u64(memBase)},
	{name: "pref 0x0,-8($4) / negative offset", insn: 0xCC80FFF8,
		regs: regs{4: memBase}, slot1: u64(memBase - 8)},
	{name: "cache 0x14,7($4) / data word read first", insn: 0xBC940007,
		regs: regs{4: memBase}, slot1: u64(memBase)},
	{name: "lwc1 $f0,0($4)", insn: 0xC4800000, regs: regs{4: memBase}, slot1: u64(memBase)},
	{name: "ldc1 $f2,16($4)", insn: 0xD4820010, regs: regs{4: memBase}, slot1: u64(memBase + 16)},
	{name: "swc1 $f0,0($4)", insn: 0xE4800000, regs: regs{4: memBase}, slot1: u64(memBase)},
	{name: "sdc1 $f0,0($4)", insn: 0xF4800000, regs: regs{4: memBase}, slot1: u64(memBase)},
}

func init() {
	for k := range invalidNamedCases {
		invalidNamedCases[k].fault = FaultInvalidInstruction
	}
}

func TestInvalidSweep(t *testing.T) { runISACases(t, invalidSweepCases()) }
func TestInvalidNamed(t *testing.T) { runISACases(t, invalidNamedCases) }

// TestInvalidFaultNamesTheEncoding: the fault says which selector was rejected.
func TestInvalidFaultNamesTheEncoding(t *testing.T) {
	for insn, want := range map[uint32]string{
		0xCC800000: "opcode 0x33 (pref) is not supported",
		0xEC800000: "opcode 0x3b is not defined",
		0x00000005: "SPECIAL funct 0x05 is not defined",
		0x0000000D: "SPECIAL funct 0x0d (break) is not supported",
		0x70850000: "SPECIAL2 funct 0x00 (madd) is not supported",
	} {
		c := isaCase{insn: insn, regs: regs{4: memBase}}
		_, err := c.newVM(t).Step(false)
		var f *Fault
		require.True(t, errors.As(err, &f), "0x%08x: %v", insn, err)
		require.Equal(t, FaultInvalidInstruction, f.Kind)
		require.Equal(t, want, f.Detail, "0x%08x", insn)
		require.Equal(t, uint64(defaultPC), f.PC)
		require.Equal(t, uint64(0x77), f.Step, "fault carries the pre-state step")
	}
}

// allISACases is every table-driven instruction case in the package.
func allISACases() []isaCase {
	var cs []isaCase
	for _, l := range [][]isaCase{
		immALUCases, regALUCases, shiftCases, special2Cases, hiloCases,
		branchCases, delaySlotFaultCases, regimmUnknownCases(),
		loadCases(), storeCases(), memEdgeCases, llscCases,
		invalidSweepCases(), invalidNamedCases,
	} {
		cs = append(cs, l...)
	}
	return cs
}

// TestISACoverage: every primary opcode, SPECIAL funct (but SYSCALL, which the syscall tests
// own), SPECIAL2 funct and REGIMM selector is exercised by at least one case; every valid
// encoding also by at least one successful case.
func TestISACoverage(t *testing.T) {
	var primary, special, special2 [64]int
	var regimm [32]int
	var primaryOK, specialOK, special2OK [64]int
	for _, c := range allISACases() {
		i := inst(c.insn)
		primary[i.op()]++
		ok := 0
		if c.fault == "" {
			ok = 1
			primaryOK[i.op()]++
		}
		switch i.op() {
		case 0x00:
			special[i.funct()]++
			specialOK[i.funct()] += ok
		case 0x01:
			regimm[i.rt()]++
		case 0x1C:
			special2[i.funct()]++
			special2OK[i.funct()] += ok
		}
	}
	for k := range 64 {
		require.NotZero(t, primary[k], "no case for opcode 0x%02x", k)
		if !slices.Contains(invalidPrimaryNoLoad, uint32(k)) && !slices.Contains(invalidPrimaryLoad, uint32(k)) {
			require.NotZero(t, primaryOK[k], "no successful case for opcode 0x%02x", k)
		}
		if k != 0x0C {
			require.NotZero(t, special[k], "no case for SPECIAL funct 0x%02x", k)
			if !slices.Contains(invalidSpecial, uint32(k)) {
				require.NotZero(t, specialOK[k], "no successful case for SPECIAL funct 0x%02x", k)
			}
		}
		require.NotZero(t, special2[k], "no case for SPECIAL2 funct 0x%02x", k)
		if slices.Contains(validSpecial2, uint32(k)) {
			require.NotZero(t, special2OK[k], "no successful case for SPECIAL2 funct 0x%02x", k)
		}
	}
	for k := range 32 {
		require.NotZero(t, regimm[k], "no case for REGIMM rt 0x%02x", k)
	}
}
