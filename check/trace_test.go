package check

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

// A post-state divergence against our own contract (the Go side's post-state altered, as a
// Go-side bug would) still shows the Solidity side: the source lines the step ran, among
// them the ADDIU case of contracts/src/MIPS64.sol, which the report picks out by mnemonic;
// the bundle keeps them, so a replay prints them too.
func TestDivergenceShowsTheSolidityLinesRun(t *testing.T) {
	in := oneStep(t, 0x24080005) // addiu a4, zero, 5
	in.GoPost = append([]byte(nil), in.GoPost...)
	in.GoPost[75] ^= 1 // heap: a Go-side bug
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	rep := CheckStep(s, in)
	require.False(t, rep.Agree())
	require.False(t, rep.EVM.Reverted)
	require.Greater(t, len(rep.EVM.Executed), 20, "a step of our contract runs many lines")
	b := NewBundle(in, rep, s, "addiu")

	var sb strings.Builder
	FormatBundle(&sb, b)
	text := sb.String()
	require.Contains(t, text, "solidity: ")
	require.Regexp(t, `contracts/src/MIPS64\.sol:\d+: case 0x09 \{ v := sx32\(add\(rsv, simm\)\) \} // ADDIU`, text)

	data := mustMarshal(t, b)
	back, err := DecodeBundle(data)
	require.NoError(t, err)
	require.Equal(t, b.EVM.Executed, back.EVM.Executed, "the bundle carries the lines with their text")
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return data
}

// Replaying a Go-side divergence after the "fix" (the stateless replay computes the right
// post-state) says which field agrees now; replaying against raw bytecode without a source
// map still prints the Solidity lines, as recorded.
func TestReproSaysWhatChangedAndKeepsTheLines(t *testing.T) {
	in := oneStep(t, 0x24080005)
	in.GoPost = append([]byte(nil), in.GoPost...)
	in.GoPost[75] ^= 1
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	b := NewBundle(in, CheckStep(s, in), s, "addiu")

	rep, err := Repro(b, nil)
	require.NoError(t, err)
	require.Contains(t, rep.Notes, "post-state fields agree now but differed when recorded: heap")

	raw := &evmharness.Artifact{Name: "raw", Creation: s.Contract.Creation}
	rep, err = Repro(b, raw)
	require.NoError(t, err)
	require.Equal(t, b.EVM.Executed, rep.EVM.Executed)
	require.Contains(t, rep.Notes, "Solidity lines as recorded: this build has no source map for the bundle's contract")
}
