package mips64

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Assemble inverts Disassemble on 200 random canonical words of every encoding with
// operand syntax, each at a random word-aligned pc (branch and jump targets are absolute).
func TestAssembleInvertsDisassemble(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for _, e := range Encodings() {
		for range 200 {
			w := e.Encode(randomFields(e, r))
			pc := r.Uint64() &^ 3
			text := Disassemble(w, pc)
			got, err := Assemble(text, pc)
			require.NoError(t, err, "%s (0x%08x)", text, w)
			require.Equal(t, w, got, "%s: got 0x%08x want 0x%08x", text, got, w)
		}
	}
}

// Words without operand syntax disassemble to a .word that assembles back.
func TestAssembleWordDirective(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	seen := 0
	for range 100000 {
		w := r.Uint32()
		text := Disassemble(w, 0)
		if !strings.HasPrefix(text, ".word") {
			continue
		}
		got, err := Assemble(text, 0)
		require.NoError(t, err, text)
		require.Equal(t, w, got, text)
		seen++
	}
	require.Greater(t, seen, 1000)
}

// Texts written by hand, encodings derived by hand from docs/spec.md §5.1 "Decoding and common
// rules" (rs<<21 | rt<<16 | rd<<11 | sa<<6 | funct, op<<26 | rs<<21 | rt<<16 | imm).
func TestAssembleKnownTexts(t *testing.T) {
	tests := []struct {
		text string
		pc   uint64
		want uint32
	}{
		{"srav v0, a0, a1", 0, 0x00A4_1007}, // rs=5 rt=4 rd=2 funct 7
		{"srav $2, $4, $5", 0, 0x00A4_1007}, // numbered registers
		{"SRAV $v0,$a0,$a1", 0, 0x00A4_1007},
		{"\tsrav\tv0, a0, a1 ", 0, 0x00A4_1007},   // case, $names, no spaces
		{"addiu a4, zero, 5", 0, 0x2408_0005},     // op 9, rt=8
		{"addiu a5, a4, -1", 0, 0x2509_FFFF},      // negative decimal
		{"addiu a5, a4, -0x8000", 0, 0x2509_8000}, // negative hex, the lowest
		{"ori a5, a4, 0xffff", 0, 0x3509_FFFF},    // zero-extended
		{"ori a5, a4, 65535", 0, 0x3509_FFFF},     // the same in decimal
		{"lui at, 0xffff", 0, 0x3C01_FFFF},
		{"ld a5, 8(sp)", 0, 0xDFA9_0008},
		{"ld a5, (sp)", 0, 0xDFA9_0000}, // offset omitted
		{"sd a5, -8($29)", 0, 0xFFA9_FFF8},
		{"beq a0, a1, 0x18", 0x8, 0x1085_0003},     // (0x18 - 0xC) / 4 = 3
		{"bgez v0, 0x100", 0x100, 0x0441_FFFF},     // a branch to itself: -1
		{"bgezal zero, 0x10", 0, 0x0411_0003},      // BAL: (0x10 - 4) / 4 = 3
		{"jal 0x120000", 0x10, 0x0C04_8000},        // 0x120000 >> 2 = 0x48000
		{"j 0x10000010", 0x1000_0000, 0x0800_0004}, // region of pc+4
		{"jalr ra, t9", 0, 0x0320_F809},
		{"jalr t9", 0, 0x0320_F809},    // GNU shorthand
		{"clz v0, v1", 0, 0x7062_1020}, // rt repeats rd
		{"dsll32 v0, v1, 4", 0, 0x0003_113C},
		{"rotr v0, v0, 1", 0, 0x0022_1042},   // SRL with the rotate bit
		{"rotrv v0, a1, a0", 0, 0x0085_1046}, // SRLV with the rotate bit
		{"mfhi v1", 0, 0x0000_1810},
		{"syscall", 0, 0x0000_000C},
		{"sync # a comment", 0, 0x0000_000F},
		{"nop", 0, 0},
		{".word 0x041f0000  # regimm.0x1f", 0, 0x041F_0000},
		{"madd a0, a1", 0, 0x7085_0000}, // rejected by the spec, still encodable
		{"sc a1, 4(a2)", 0, 0xE0C5_0004},
	}
	for _, tc := range tests {
		got, err := Assemble(tc.text, tc.pc)
		require.NoError(t, err, tc.text)
		require.Equal(t, tc.want, got, "%s: got 0x%08x", tc.text, got)
	}
}

// Bad input gets an error naming the instruction and what is wrong.
func TestAssembleErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"", "no instruction"},
		{"frob a0, a1", `unknown mnemonic "frob"`},
		{"addu v0, a0", "addu takes 3 operands (rd, rs, rt), got 2"},
		{"syscall 5", "syscall takes 0 operands (none), got 1"},
		{"addu v0, a0, a9", `operand 3 (rt): "a9" is not a register`},
		{"addu v0, a0, $32", `operand 3 (rt): "$32" is not a register`},
		{"addiu v0, a0, 32768", "operand 3 (imm): 32768 out of range -32768..32767"},
		{"addiu v0, a0, 0xffff", "operand 3 (imm): 0xffff out of range -32768..32767"},
		{"ori v0, a0, -1", "operand 3 (imm): -1 out of range 0..65535"},
		{"sll v0, a0, 32", "operand 3 (sa): 32 out of range 0..31"},
		{"addiu v0, a0, ten", `operand 3 (imm): "ten" is not a number`},
		{"lw v0, 8", `operand 2 (offset(base)): "8" is not offset(base)`},
		{"lw v0, 8(x)", `operand 2 (offset(base)): "x" is not a register`},
		{"beq a0, a1, 0x1002", "operand 3 (target): target 0x1002 is not word-aligned"},
		{"beq a0, a1, 0x40000", "operand 3 (target): target 0x40000 is out of branch range of pc 0x0"},
		{"j 0x10000000", "operand 1 (target): target 0x10000000 is outside the 256 MiB region of the delay slot 0x4"},
		{"special3", "special3 has no operand syntax here"},
		{"synci 0(a0)", "synci has no operand syntax here"},
		{".word 0x100000000", `.word: "0x100000000" is not a 32-bit number`},
		{"nop 1", "nop takes no operands"},
	}
	_, err := Assemble("nop", 2)
	require.EqualError(t, err, `mips64: assemble "nop": pc 0x2 is not word-aligned`)
	for _, tc := range tests {
		_, err := Assemble(tc.text, 0)
		require.Error(t, err, tc.text)
		require.Contains(t, err.Error(), tc.want, tc.text)
		require.Contains(t, err.Error(), "mips64: assemble", tc.text)
		require.NotContains(t, err.Error(), "\n", tc.text)
	}
}
