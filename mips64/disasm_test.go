package mips64

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Expected texts were derived by hand from the encodings (docs/spec.md §5 "Instructions") and
// agree with mips64-linux-gnuabi64-objdump up to spacing and number formatting.
func TestDisassemble(t *testing.T) {
	cases := []struct {
		insn uint32
		pc   uint64
		want string
	}{
		{0x24080005, 0, "addiu a4, zero, 5"},
		{0xDFA90008, 0, "ld a5, 8(sp)"},
		{0x10850003, 0x8, "beq a0, a1, 0x18"},
		{0x0C048000, 0x10, "jal 0x120000"},
		{0x0000000C, 0, "syscall"},
		{0x0000000F, 0, "sync"},
		{0x00001810, 0, "mfhi v1"},
		{0x70621024, 0, "dclz v0, v1"},
		{0xE0C50004, 0, "sc a1, 4(a2)"},
		{0x0320F809, 0, "jalr ra, t9"},
		{0x0003113C, 0, "dsll32 v0, v1, 4"},
		{0x00000000, 0, "nop"},
		{0x3C01FFFF, 0, "lui at, 0xffff"},
		{0x0441FFFF, 0x100, "bgez v0, 0x100"},
		{0x00221042, 0, "rotr v0, v0, 1"},
		{0x7C000000, 0, "special3"},
		{0x0000003A | 1<<6, 0, "dsrl zero, zero, 1"},
		{0x00000005, 0, ".word 0x00000005  # special.0x05"},
		{0x041F0000, 0, ".word 0x041f0000  # regimm.0x1f"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, Disassemble(c.insn, c.pc), "0x%08x", c.insn)
	}
}

// Behaviour classes and coverage rows are named by the selector alone: the row's name when
// the disassembler gives it operands or it is a rejected group, else table and code.
func TestSelectorName(t *testing.T) {
	cases := []struct {
		insn uint32
		want string
	}{
		{0x0000_0000, "sll"},           // not "nop": the class covers every SLL
		{0x0022_1042, "srl"},           // a rotate: still the SRL selector
		{0x4624_1000, "cop1"},          // add.d: the group
		{0x7C82_20C0, "special3"},      // ext: the group
		{0x7400_0000, "op.0x1d"},       // jalx: no operand syntax here
		{0xEC00_0000, "op.0x3b"},       // no instruction
		{0x0000_0001, "special.0x01"},  // movf
		{0x7000_003F, "special2.0x3f"}, // sdbbp
		{0x0482_0003, "bltzl"},         // REGIMM rt 2
		{0x049F_0000, "regimm.0x1f"},   // synci
		{0x0411_0003, "bgezal"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, SelectorName(c.insn), "0x%08x", c.insn)
	}
}
