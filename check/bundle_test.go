package check

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/evmharness"

	"github.com/stretchr/testify/require"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// sampleBundle is a real divergence: a fixed-answer contract that logs the Go post-state
// with one flipped byte.
func sampleBundle(t testing.TB) []byte {
	in := oneStep(t, 0x24080005)
	flipped := append([]byte(nil), in.GoPost...)
	flipped[75] ^= 1
	h := fpvm.StateHash(flipped)
	s, err := evmharness.NewSession(&evmharness.Artifact{Name: "liar", Creation: initcode(liar{logs: [][]byte{flipped}, ret: h[:]}.runtime())}, dummyOracle())
	require.NoError(t, err)
	rep := CheckStep(s, in)
	require.False(t, rep.Agree())
	data, err := json.Marshal(NewBundle(in, rep, s, "addiu"))
	require.NoError(t, err)
	return data
}

func TestBundle_RoundTripAndRepro(t *testing.T) {
	data := sampleBundle(t)
	b, err := DecodeBundle(data)
	require.NoError(t, err)
	require.Equal(t, "heap", b.StateDiff[0].Field)
	require.Equal(t, "addiu a4, zero, 5", b.Instruction.Disasm)

	rep, err := Repro(b, nil)
	require.NoError(t, err)
	require.Equal(t, b.Mismatches, rep.Mismatches)
	require.Equal(t, b.StateDiff, rep.StateDiff)
	require.Empty(t, rep.Notes)

	var sb strings.Builder
	FormatBundle(&sb, rep)
	require.Contains(t, sb.String(), "DIVERGENCE at step 0")
	require.Contains(t, sb.String(), "heap")
}

func TestBundle_CorruptInputsGetClearErrors(t *testing.T) {
	good := sampleBundle(t)
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(good, &m))
		f(m)
		out, err := json.Marshal(m)
		require.NoError(t, err)
		return out
	}
	witness := func(m map[string]any) map[string]any { return m["witness"].(map[string]any) }
	cases := []struct {
		name, want string
		data       []byte
	}{
		{"empty file", "not valid bundle JSON", nil},
		{"truncated", "not valid bundle JSON", good[:len(good)/2]},
		{"trailing data", "data after the JSON object", append(append([]byte(nil), good...), []byte(" {}")...)},
		{"other format", "format", edit(func(m map[string]any) { m["format"] = "something-else" })},
		{"newer version", "version", edit(func(m map[string]any) { m["version"] = 99 })},
		{"short state", "witness.state: is 100 bytes", edit(func(m map[string]any) { witness(m)["state"] = "0x" + strings.Repeat("00", 100) })},
		{"state not hex", "not valid bundle JSON", edit(func(m map[string]any) { witness(m)["state"] = "zz" })},
		{"step disagrees with the witness", "step: is 5", edit(func(m map[string]any) { m["step"] = 5 })},
		{"no contract code", "contract.creation_code", edit(func(m map[string]any) { m["contract"].(map[string]any)["creation_code"] = "0x" })},
		{"oracle calldata too short", "oracle_calldata", edit(func(m map[string]any) {
			witness(m)["preimage"] = map[string]any{"key": "0x" + strings.Repeat("02", 32), "offset": 0, "data": "0x", "oracle_calldata": "0x01"}
		})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeBundle(c.data)
			require.Error(t, err)
			var be *BundleError
			require.True(t, errors.As(err, &be))
			require.Contains(t, err.Error(), c.want)
			require.True(t, strings.HasPrefix(err.Error(), "corrupt bundle"))
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := ReadBundle(filepath.Join(t.TempDir(), "none.json"))
		require.ErrorContains(t, err, "reading bundle")
	})
	t.Run("written and read back", func(t *testing.T) {
		b, err := DecodeBundle(good)
		require.NoError(t, err)
		path, err := WriteBundle(t.TempDir(), b)
		require.NoError(t, err)
		_, err = os.Stat(path)
		require.NoError(t, err)
		back, err := ReadBundle(path)
		require.NoError(t, err)
		require.Equal(t, b.Witness, back.Witness)
	})
}

// FuzzBundle: decoding never panics, and neither does the Go half of a replay of whatever
// decodes (the EVM half is exercised by the tests above).
func FuzzBundle(f *testing.F) {
	f.Add(sampleBundle(f))
	f.Add([]byte(`{"format":"fpvmdiff-divergence-bundle","version":1}`))
	f.Add([]byte(`{"format":"fpvmdiff-divergence-bundle","version":1,"witness":{"state":"0x00","proof":"0x"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeBundle(data)
		if err != nil {
			return
		}
		in := b.Input()
		_, _ = fpvm.ReplayWitness(in.State, in.Proof, nil)
		_ = describeInsn(in, "")
		_ = DiffStates(b.Witness.State, b.Go.Post)
		_ = DescribeState(b.Witness.State)
		var sb strings.Builder
		FormatBundle(&sb, b)
	})
}
