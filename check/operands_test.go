package check

import (
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Instruction words encoded by hand (docs/spec.md §5.1 "Decoding and common rules").
func TestRuleOf(t *testing.T) {
	cases := []struct {
		word uint32
		want specRule
	}{
		{0x01095021, ruleSpecial},  // addu a6, a4, a5
		{0x0000000C, ruleSyscalls}, // syscall
		{0x11090004, ruleBranch},   // beq a4, a5, +4
		{0x01000008, ruleBranch},   // jr a4
		{0x08000010, ruleBranch},   // j
		{0x8D0A0000, ruleMemory},   // lw a6, 0(a4)
		{0x6A0A0000, ruleMemory},   // ldl
		{0xC10A0000, ruleLLSC},     // ll a6, 0(a4)
		{0xF10A0000, ruleLLSC},     // scd
		{0x71005020, ruleSpecial2}, // clz a6, a4
		{0x05000004, ruleRegimm},   // bltz a4, +4
		{0x250A0001, rulePrimary},  // addiu a6, a4, 1
		{0x3C0A1234, rulePrimary},  // lui a6, 0x1234
		{0x44000000, rulePrimary},  // COP1: invalid, its row is in the primary table
	}
	for _, c := range cases {
		require.Equal(t, c.want, ruleOf(c.word), "0x%08x", c.word)
	}
}

// Every rule's number and title is a heading of docs/spec.md.
func TestSpecRulesNameExistingSections(t *testing.T) {
	doc, err := os.ReadFile("../docs/spec.md")
	require.NoError(t, err)
	for _, r := range []specRule{ruleDecode, rulePrimary, ruleSpecial, ruleSpecial2, ruleRegimm, ruleBranch, ruleMemory, ruleLLSC, ruleSyscalls} {
		n := strings.TrimPrefix(r.section, "§")
		heading := "## " + n + " " + r.title + "\n"
		if strings.Contains(n, ".") {
			heading = "#" + heading
		}
		require.Contains(t, string(doc), "\n"+heading, "docs/spec.md has no section %s %q", r.section, r.title)
	}
}

// The operands come from the witness: registers from the thread, the memory word from the
// leaf of proof slot 1 at the effective address.
func TestOperands(t *testing.T) {
	thread := make([]byte, ThreadSize)
	setReg := func(i int, v uint64) { binary.BigEndian.PutUint64(thread[42+8*i:], v) }
	setReg(8, 0x10010)                            // t0
	setReg(9, 0x7)                                // t1
	binary.BigEndian.PutUint64(thread[34:], 0x11) // hi
	binary.BigEndian.PutUint64(thread[26:], 0x22) // lo
	proof := make([]byte, ThreadSize+32+3*1920)
	leaf := proof[ThreadSize+32+1920:]
	binary.BigEndian.PutUint64(leaf[24:], 0xCAFE_F00D_0000_0001) // word at 0x10018 (leaf 0x10000, offset 24)

	require.Equal(t, []string{"a4(r8)=0x10010", "a5(r9)=0x7"}, operands(thread, proof, 0x01095021))
	// lw a5, 8(a4): ea = 0x10018
	require.Equal(t, []string{"a4(r8)=0x10010", "a5(r9)=0x7", "ea=0x10018", "mem[0x10018]=0xcafef00d00000001"},
		operands(thread, proof, 0x8D090008))
	// mthi a4
	require.Equal(t, []string{"a4(r8)=0x10010", "hi=0x11", "lo=0x22"}, operands(thread, proof, 0x01000011))
	// syscall: v0, a0, a1, a2
	require.Len(t, operands(thread, proof, 0x0000000C), 4)
	require.Nil(t, operands(thread, proof, 0x08000010), "j reads no register")
}
