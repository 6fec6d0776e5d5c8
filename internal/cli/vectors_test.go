package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

const corpusDir = "../../testdata/vectors"

func writeVector(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "v.json")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

func TestVectorsCommand(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		code     int
		contains []string
	}{
		{"pass", `{"name":"addu","rule":"1.3","pre":{"insn":["0x01095021"],"thread":{"regs":{"8":"1","9":"2"}}},"expect":{"thread":{"regs":{"10":"0x3"}}}}`, exitOK, []string{"all passed"}},
		{"wrong expectation fails on both sides", `{"name":"addu","rule":"1.3","pre":{"insn":["0x01095021"],"thread":{"regs":{"8":"1","9":"2"}}},"expect":{"thread":{"regs":{"10":"0x4"}}}}`, exitDivergence, []string{"FAIL addu", "go: thread 0 r10", "evm: leftThreadStack"}},
		{"exception expected but none", `{"name":"nop","rule":"1.3","pre":{"insn":["0x0"]},"expect":"exception"}`, exitDivergence, []string{"want an exception"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, "vectors", writeVector(t, tc.body))
			require.Equal(t, tc.code, code, stdout+stderr)
			for _, c := range tc.contains {
				require.Contains(t, stdout, c)
			}
		})
	}
}

func TestVectorsBadInput(t *testing.T) {
	cases := []struct {
		name, body string
		contains   []string
	}{
		{"bad hex", `{"name":"x","rule":"r","pre":{"step":"0xZZ"},"expect":{}}`, []string{"v.json", "pre.step", "0xZZ"}},
		{"unknown field", `{"name":"x","rule":"r","pre":{"stepp":"1"},"expect":{}}`, []string{"v.json", "stepp"}},
		{"bad register", `{"name":"x","rule":"r","pre":{"thread":{"regs":{"q9":"1"}}},"expect":{}}`, []string{"pre.thread.regs", "q9"}},
		{"unaligned memory", `{"name":"x","rule":"r","pre":{"memory":{"0x1004":"1"}},"expect":{}}`, []string{"pre.memory", "aligned"}},
		{"missing rule", `{"name":"x","pre":{},"expect":{}}`, []string{`"rule"`}},
		{"bad expect", `{"name":"x","rule":"r","pre":{},"expect":"boom"}`, []string{"expect", "boom"}},
		{"unknown new thread", `{"name":"x","rule":"r","pre":{},"expect":{"threads":{"7":{"pc":"0"}}}}`, []string{"expect.threads.7", "from"}},
		{"not json", `{`, []string{"v.json", "not JSON"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := cli(t, "vectors", writeVector(t, tc.body))
			require.Equal(t, exitUsage, code, stderr)
			requireOneLine(t, stderr, tc.contains...)
		})
	}
}

func TestVectorsNewSkeletonRuns(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := cli(t, "vectors", "new", "my-vector", "--dir", dir)
	require.Equal(t, exitOK, code, stderr)
	code, stdout, stderr := cli(t, "vectors", filepath.Join(dir, "my-vector.json"))
	require.Equal(t, exitOK, code, stdout+stderr)
	code, _, stderr = cli(t, "vectors", "new", "my-vector", "--dir", dir)
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "already exists")
}

// The corpus passes on both sides, with randomized variants.
func TestVectorsCorpus(t *testing.T) {
	code, stdout, stderr := cli(t, "vectors", "--variants", "2", "--seed", "7", corpusDir)
	require.Equal(t, exitOK, code, stdout+stderr)
	require.Contains(t, stdout, "all passed")
}

// A step contract that disagrees with the Go VM: the vector fails and the divergence report
// (the evmharness bundle format) is printed.
func TestVectorsOtherContractDivergence(t *testing.T) {
	v := writeVector(t, `{"name":"addu","rule":"1.3","pre":{"insn":["0x01095021"],"thread":{"regs":{"8":"1","9":"2"}}},"expect":{"thread":{"regs":{"10":"0x3"}}}}`)
	code, stdout, stderr := cli(t, "vectors", "--contract", "../../contracts/artifacts/PreimageOracle.json", v)
	require.Equal(t, exitDivergence, code, stdout+stderr)
	require.Contains(t, stdout, "DIVERGENCE at step 0")
	require.Contains(t, stdout, "go vs evm:")
	require.Contains(t, stdout, "addu a6, a4, a5")
}
