package vectors

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// resolveJSON loads one vector from JSON text through the same path as a file.
func resolveJSON(t *testing.T, text string) (*Case, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v.json")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	vs, err := LoadFile(path)
	if err != nil {
		return nil, err
	}
	return Resolve(vs[0])
}

// TestAsmPlacesTheSameWords: an instruction given as text lands in memory as the word GNU as
// gives for it (the words below are from mips64-linux-gnuabi64-as, written down once; the
// assembler itself is checked against GNU as in mips64/binutils_test.go), at pc and pc+4,
// with pc-relative branch targets taken from the address each instruction is placed at.
func TestAsmPlacesTheSameWords(t *testing.T) {
	cases := []struct {
		name string
		pc   string
		asm  string
		want []uint32
	}{
		{"one string", "0x4000", `"srav v0, a0, a1"`, []uint32{0x00a41007}},
		{"array, both halves of a word", "0x4000", `["dsrav $2, $4, $5", "nop"]`, []uint32{0x00a41017, 0}},
		{"odd half first", "0x4004", `["ld t0, -8(sp)", "syscall"]`, []uint32{0xdfacfff8, 0x0000000c}},
		{"branch target relative to its own address", "0x4004", `["nop", "beq a0, a1, 0x401c"]`, []uint32{0, 0x10850004}},
		{"word directive and comment", "0x4000", `[".word 0x7c000000 # not an instruction here"]`, []uint32{0x7c000000}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := resolveJSON(t, `{"name": "a", "rule": "§5.1", "pre": {"thread": {"pc": "`+tc.pc+`"}, "asm": `+tc.asm+`}, "expect": "exception"}`)
			require.NoError(t, err)
			require.Equal(t, tc.want, c.insns)
			pc := c.State.ActiveThread().PC
			for i, w := range tc.want {
				a := pc + 4*uint64(i)
				word := c.State.Memory.GetWord(a &^ 7)
				got := uint32(word >> 32)
				if a&4 != 0 {
					got = uint32(word)
				}
				require.Equalf(t, w, got, "word at 0x%x", a)
			}
		})
	}
}

// TestAsmEqualsInsn: a vector written with "asm" resolves to exactly the pre-state of the
// same vector written with "insn" words.
func TestAsmEqualsInsn(t *testing.T) {
	const tmpl = `{"name": "a", "rule": "§5.3", "pre": {"thread": {"pc": "0x4000", "regs": {"a0": "0x80000000", "a1": "35"}}, %s}, "expect": {"thread": {"regs": {"v0": "0xFFFFFFFFFFFFFFFF"}}}}`
	a, err := resolveJSON(t, strings.Replace(tmpl, "%s", `"asm": "srav v0, a0, a1"`, 1))
	require.NoError(t, err)
	w, err := resolveJSON(t, strings.Replace(tmpl, "%s", `"insn": ["0x00a41007"]`, 1))
	require.NoError(t, err)
	require.Equal(t, w.State.EncodeWitness(), a.State.EncodeWitness())
	require.Equal(t, w.State.Memory.Root(), a.State.Memory.Root())
	require.Equal(t, w.insns, a.insns)
}

// TestAsmErrors: bad assembly text is a load error naming the vector, the field and what is
// wrong with the instruction.
func TestAsmErrors(t *testing.T) {
	cases := []struct {
		name, pre string
		want      []string
	}{
		{"unknown mnemonic", `"asm": ["nop", "sravv v0, a0, a1"]`, []string{`pre.asm[1]`, `unknown mnemonic "sravv"`}},
		{"operand count", `"asm": "srav v0, a0"`, []string{`pre.asm[0]`, "srav takes 3 operands"}},
		{"bad register", `"asm": "srav v0, a0, q7"`, []string{`pre.asm[0]`, "q7"}},
		{"both forms", `"asm": "nop", "insn": ["0x0"]`, []string{"pre.asm", "not both"}},
		{"not text", `"asm": 5`, []string{"pre.asm", "want an instruction as a string"}},
		{"array of numbers", `"asm": [1, 2]`, []string{"pre.asm", "array of strings"}},
		{"misaligned pc", `"thread": {"pc": "0x4002"}, "asm": "nop"`, []string{"pre.asm", "not 4-aligned"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := resolveJSON(t, `{"name": "bad-asm", "rule": "§5.1", "pre": {`+tc.pre+`}, "expect": "exception"}`)
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.Contains(t, err.Error(), "bad-asm")
		})
	}
}

// TestAsmRoundTripsThroughJSON: a vector re-encoded (as the variant and bundle code does)
// keeps its assembly text.
func TestAsmRoundTripsThroughJSON(t *testing.T) {
	var v Vector
	require.NoError(t, json.Unmarshal([]byte(`{"name": "a", "rule": "r", "pre": {"asm": ["srav v0, a0, a1", "nop"]}, "expect": "exception"}`), &v))
	b, err := json.Marshal(&v)
	require.NoError(t, err)
	var back Vector
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, AsmText{"srav v0, a0, a1", "nop"}, back.Pre.Asm)
}
