package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/stretchr/testify/require"
)

// alwaysInvalid is creation code (written by hand) for a "step contract" whose runtime is
// the single byte 0xFE (INVALID): every step call fails.
//
//	PUSH2 1, PUSH2 15, PUSH1 0, CODECOPY, PUSH2 1, PUSH1 0, RETURN, <runtime 0xFE>
const alwaysInvalid = "0x61000161000f6000396100016000f3fe"

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func exitGuest(t *testing.T) string {
	return tinyELF(t, insnLoadV0ExitGroup, insnLoadA0Five, insnSyscall)
}

func TestDiffRunAgrees(t *testing.T) {
	dir := t.TempDir()
	jsonPath, junitPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	code, stdout, stderr := cli(t, "run", exitGuest(t), "--json", jsonPath, "--junit", junitPath, "--quiet", "--bundle-dir", dir)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "no divergence")
	require.Contains(t, stdout, "steps checked  3 (mode all")
	require.Contains(t, stdout, "exited with code 5")

	var res map[string]any
	data, err := os.ReadFile(jsonPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &res))
	require.EqualValues(t, 3, res["steps_checked"])
	xml, err := os.ReadFile(junitPath)
	require.NoError(t, err)
	require.Contains(t, string(xml), `failures="0"`)
}

func TestDiffRunDivergenceAndRepro(t *testing.T) {
	dir := t.TempDir()
	junitPath := filepath.Join(dir, "r.xml")
	contract := writeFile(t, "liar.hex", alwaysInvalid+"\n")
	code, stdout, stderr := cli(t, "run", exitGuest(t), "--contract", contract, "--bundle-dir", dir, "--junit", junitPath, "--quiet")
	require.Equal(t, exitDivergence, code, stderr)
	require.Contains(t, stdout, "DIVERGENCE at step 0")
	require.Contains(t, stdout, "Go step succeeded but the EVM step reverted")
	require.Contains(t, stdout, "daddiu v0, zero, 5205")
	bundle := filepath.Join(dir, "divergence-step-0.json")
	require.FileExists(t, bundle)
	xml, err := os.ReadFile(junitPath)
	require.NoError(t, err)
	require.Contains(t, string(xml), `failures="2"`)

	code, replay, stderr := cli(t, "repro", bundle)
	require.Equal(t, exitDivergence, code, stderr)
	require.Contains(t, replay, "DIVERGENCE at step 0")
	require.Contains(t, replay, "Go step succeeded but the EVM step reverted")
	require.NotContains(t, replay, "note:", "the replay matches the recording")

	// Against our own contract the recorded witness agrees.
	ours := filepath.Join("..", "..", "contracts", "artifacts", "MIPS64.json")
	code, replay, stderr = cli(t, "repro", bundle, "--contract", ours)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, replay, "both sides agree")
}

func TestDiffRunUsageErrors(t *testing.T) {
	guest := exitGuest(t)
	corrupt := writeFile(t, "bundle.json", `{"format":"fpvmdiff-divergence-bundle","version":1,"witness":{"state":"0x00"}}`)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no ELF", []string{"run"}, "want ELF"},
		{"missing ELF", []string{"run", "/nonexistent.elf"}, "reading ELF"},
		{"bad check", []string{"run", guest, "--check", "most"}, `--check "most"`},
		{"bad range", []string{"run", guest, "--range", "5"}, "not a step range"},
		{"empty range", []string{"run", guest, "--range", "5:5"}, "is empty"},
		{"bad workers", []string{"run", guest, "--workers", "0"}, "--workers 0"},
		{"contract not hex", []string{"run", guest, "--contract", writeFile(t, "c.hex", "xyz")}, "neither a JSON artifact nor creation bytecode"},
		{"contract cannot deploy", []string{"run", guest, "--contract", writeFile(t, "c.hex", "0xfe")}, "deploying step contract"},
		{"bad pre-image file", []string{"run", guest, "--preimages", writeFile(t, "p.json", "[]")}, "pre-image file"},
		{"repro without bundle", []string{"repro"}, "want BUNDLE"},
		{"repro missing bundle", []string{"repro", "/nonexistent.json"}, "reading bundle"},
		{"repro corrupt bundle", []string{"repro", corrupt}, "corrupt bundle: witness.state: is 1 bytes"},
		{"repro non-JSON", []string{"repro", writeFile(t, "b.json", "not json")}, "corrupt bundle: not valid bundle JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := cli(t, c.args...)
			require.Equal(t, exitUsage, code)
			requireOneLine(t, stderr, c.want)
			require.False(t, strings.Contains(stderr, "panic"))
		})
	}
}

func TestShardOf(t *testing.T) {
	r := check.StepRange{Start: 100, End: 110, Set: true}
	var got []check.StepRange
	for _, spec := range []string{"0/3", "1/3", "2/3"} {
		s, err := shardOf(r, spec)
		require.NoError(t, err)
		got = append(got, s)
	}
	require.Equal(t, []check.StepRange{{Start: 100, End: 104, Set: true}, {Start: 104, End: 107, Set: true}, {Start: 107, End: 110, Set: true}}, got)
	for _, bad := range []string{"3/3", "1", "a/b", "0/0", "1/2x", "0/11"} {
		_, err := shardOf(r, bad)
		require.Error(t, err, bad)
	}
	_, err := shardOf(check.StepRange{}, "0/2")
	require.ErrorContains(t, err, "needs --range")
}

func TestDiffRunTamper(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "r.json")
	code, stdout, stderr := cli(t, "run", exitGuest(t), "--tamper", "--tamper-words", "3", "--json", jsonPath, "--quiet", "--bundle-dir", dir)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "tamper         3 steps")
	require.Contains(t, stdout, "0 findings (0 soundness)")
	var res struct {
		Tamper *check.TamperStats `json:"tamper"`
	}
	data, err := os.ReadFile(jsonPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &res))
	require.NotNil(t, res.Tamper)
	require.NotZero(t, res.Tamper.Rejected)
	require.EqualValues(t, 3, res.Tamper.Words)

	code, _, stderr = cli(t, "run", exitGuest(t), "--tamper", "--tamper-words", "-1", "--quiet")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "--tamper-words -1")
}
