package cli

import (
	"encoding/json"
	"encoding/xml"
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
		{"pass", `{"name":"addu","rule":"§5.3","pre":{"insn":["0x01095021"],"thread":{"regs":{"8":"1","9":"2"}}},"expect":{"thread":{"regs":{"10":"0x3"}}}}`, exitOK, []string{"all passed"}},
		{"wrong expectation fails on both sides", `{"name":"addu","rule":"§5.3","pre":{"insn":["0x01095021"],"thread":{"regs":{"8":"1","9":"2"}}},"expect":{"thread":{"regs":{"10":"0x4"}}}}`, exitDivergence, []string{"FAIL addu", "go: thread 0 r10", "evm: leftThreadStack"}},
		{"exception expected but none", `{"name":"nop","rule":"§5.3","pre":{"insn":["0x0"]},"expect":"exception"}`, exitDivergence, []string{"want an exception"}},
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
	v := writeVector(t, `{"name":"addu","rule":"§5.3","pre":{"insn":["0x01095021"],"thread":{"regs":{"8":"1","9":"2"}}},"expect":{"thread":{"regs":{"10":"0x3"}}}}`)
	code, stdout, stderr := cli(t, "vectors", "--contract", "../../contracts/artifacts/PreimageOracle.json", v)
	require.Equal(t, exitDivergence, code, stdout+stderr)
	require.Contains(t, stdout, "DIVERGENCE at step 0")
	require.Contains(t, stdout, "go vs evm:")
	require.Contains(t, stdout, "addu a6, a4, a5")
}

// vectors --json/--junit/--summary-md: one verdict per variant, failures named, identity
// included; "-" puts one of them on stdout.
func TestVectorsReports(t *testing.T) {
	dir := t.TempDir()
	good := `{"name":"addu","rule":"§5.3","pre":{"insn":["0x01095021"],"thread":{"regs":{"8":"1","9":"2"}}},"expect":{"thread":{"regs":{"10":"0x3"}}}}`
	bad := `{"name":"addu-wrong","rule":"§5.3","pre":{"insn":["0x01095021"],"thread":{"regs":{"8":"1","9":"2"}}},"expect":{"thread":{"regs":{"10":"0x4"}}}}`
	file := filepath.Join(dir, "two.json")
	require.NoError(t, os.WriteFile(file, []byte("["+good+","+bad+"]"), 0o644))
	junitPath, mdPath := filepath.Join(dir, "v.xml"), filepath.Join(dir, "v.md")

	code, stdout, stderr := cli(t, "vectors", file, "--json", "-", "--junit", junitPath, "--summary-md", mdPath)
	require.Equal(t, exitDivergence, code, stderr)
	require.Contains(t, stderr, "FAIL addu-wrong", "the text report moves to stderr")
	var sum struct {
		SchemaVersion int    `json:"schema_version"`
		StateVersion  int    `json:"state_version"`
		StepCodeHash  string `json:"step_contract_code_hash"`
		Runs, Failed  int
		Results       []struct {
			Name     string
			File     string
			Pass     bool
			Failures []string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &sum), stdout)
	require.Equal(t, 1, sum.SchemaVersion)
	require.Equal(t, 8, sum.StateVersion)
	require.NotEmpty(t, sum.StepCodeHash)
	require.Equal(t, 2, sum.Runs)
	require.Equal(t, 1, sum.Failed)
	require.Len(t, sum.Results, 2)
	require.True(t, sum.Results[0].Pass)
	require.False(t, sum.Results[1].Pass)
	require.Equal(t, "two.json", sum.Results[1].File, "an absolute path outside the working directory becomes its base name")
	require.NotEmpty(t, sum.Results[1].Failures)

	data, err := os.ReadFile(junitPath)
	require.NoError(t, err)
	var suites struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(data, &suites))
	s := suites.Suites[0]
	require.Equal(t, 2, s.Tests)
	require.Equal(t, 1, s.Failures)
	require.Equal(t, "addu-wrong", s.Cases[1].Name)
	require.NotNil(t, s.Cases[1].Failure)
	require.Nil(t, s.Cases[0].Failure)

	md, err := os.ReadFile(mdPath)
	require.NoError(t, err)
	require.Contains(t, string(md), "### fpvmdiff vectors: **1 FAILED**")
	require.Contains(t, string(md), "| `addu-wrong` | `two.json` |")
}
