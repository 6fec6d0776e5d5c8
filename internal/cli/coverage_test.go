package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCoverageGate is the coverage gate: every spec row must have at least one
// differential check in the vector corpus. On failure it lists the uncovered rows.
func TestCoverageGate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cov.json")
	code, stdout, stderr := cli(t, "coverage", "--gate", "--vectors", corpusDir, "--json", out)
	var m struct {
		Covered   int      `json:"covered"`
		Uncovered []string `json:"uncovered"`
	}
	data, err := os.ReadFile(out)
	require.NoError(t, err, stderr)
	require.NoError(t, json.Unmarshal(data, &m))
	require.Empty(t, m.Uncovered, "spec rows without a differential check:\n  %s", strings.Join(m.Uncovered, "\n  "))
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "0 uncovered")
}

func TestCoverageProgramsSummary(t *testing.T) {
	dir := t.TempDir()
	sum := filepath.Join(dir, "sum.json")
	require.NoError(t, os.WriteFile(sum, []byte(`{"classes":{"addu":{"run":10,"checked":4},"syscall/brk":{"run":1,"checked":0}},"preimage_reads":{"type2":3}}`), 0o644))
	v := writeVector(t, `{"name":"nop","rule":"1.3","pre":{"insn":["0x0"]},"expect":{}}`)
	out := filepath.Join(dir, "cov.json")
	code, stdout, stderr := cli(t, "coverage", "--vectors", v, "--programs", sum, "--json", out)
	require.Equal(t, exitOK, code, stderr)
	var m struct {
		Rows []struct {
			Row    string            `json:"row"`
			Counts map[string]uint64 `json:"counts"`
		} `json:"rows"`
		Uncovered []string `json:"uncovered"`
	}
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &m))
	got := map[string]map[string]uint64{}
	for _, r := range m.Rows {
		got[r.Row] = r.Counts
	}
	require.Equal(t, uint64(4), got["insn/addu"]["programs"])
	require.Equal(t, uint64(1), got["insn/sll"]["vectors"])
	require.Equal(t, uint64(3), got["preimage/type2"]["programs"])
	require.Contains(t, m.Uncovered, "syscall/brk", "run but unchecked steps do not count")
	require.Contains(t, stdout, "UNCOVERED")

	code, _, _ = cli(t, "coverage", "--vectors", v, "--gate")
	require.Equal(t, exitDivergence, code)

	require.NoError(t, os.WriteFile(sum, []byte(`{"steps":1}`), 0o644))
	code, _, stderr = cli(t, "coverage", "--vectors", v, "--programs", sum)
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "sum.json", "classes")
}
