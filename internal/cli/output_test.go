package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

// Output paths are checked before any work: the error is one line naming the flag, and
// stdout stays empty (a run that had started would have printed its summary there).
func TestOutputPathsCheckedBeforeWork(t *testing.T) {
	guest := exitGuest(t)
	dir := t.TempDir()
	notDir := writeFile(t, "plain-file", "x")
	bundle := writeFile(t, "b.json", "{}")
	summary := writeFile(t, "s.json", "{}")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"run --json in a missing dir", []string{"run", guest, "--json", "/nonexistent-dir/r.json"}, "--json /nonexistent-dir/r.json: directory /nonexistent-dir does not exist"},
		{"run --junit is a directory", []string{"run", guest, "--junit", dir}, "--junit " + dir + ": is a directory"},
		{"run --summary-md under a file", []string{"run", guest, "--summary-md", filepath.Join(notDir, "s.md")}, "not a directory"},
		{"run --bundle-dir under a file", []string{"run", guest, "--bundle-dir", filepath.Join(notDir, "bundles")}, "--bundle-dir"},
		{"run two outputs on stdout", []string{"run", guest, "--json", "-", "--junit", "-"}, "--json - and --junit - both write to standard output"},
		{"run two outputs in one file", []string{"run", guest, "--json", filepath.Join(dir, "x"), "--junit", filepath.Join(dir, "x")}, "--json and --junit both write"},
		{"vectors --json in a missing dir", []string{"vectors", "--go-only", "--json", "/nonexistent-dir/v.json"}, "--json /nonexistent-dir/v.json"},
		{"vectors --junit is a directory", []string{"vectors", "--go-only", "--junit", dir}, "is a directory"},
		{"merge --json in a missing dir", []string{"merge", summary, "--json", "/nonexistent-dir/m.json"}, "--json /nonexistent-dir/m.json"},
		{"repro --json in a missing dir", []string{"repro", bundle, "--json", "/nonexistent-dir/r.json"}, "--json /nonexistent-dir/r.json"},
		{"vm run --stats in a missing dir", []string{"vm", "run", guest, "--stats", "/nonexistent-dir/s.json"}, "--stats /nonexistent-dir/s.json"},
		{"vm run --json on stdout", []string{"vm", "run", guest, "--json", "-"}, "the guest's output goes to standard output"},
		{"scan --json in a missing dir", []string{"scan", guest, "--json", "/nonexistent-dir/s.json"}, "--json /nonexistent-dir/s.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, c.args...)
			require.Equal(t, exitUsage, code, stderr)
			require.Empty(t, stdout)
			requireOneLine(t, stderr, c.want)
		})
	}
}

// "-" is standard output: the JSON, JUnit or Markdown report is all of stdout, the report
// for people moves to stderr, and no file named "-" appears.
func TestDashIsStandardOutput(t *testing.T) {
	guest := exitGuest(t)
	t.Chdir(t.TempDir())

	code, stdout, stderr := cli(t, "run", guest, "--quiet", "--json", "-")
	require.Equal(t, exitOK, code, stderr)
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &res), "stdout must be exactly the JSON summary")
	require.EqualValues(t, 3, res["steps_checked"])
	require.Contains(t, stderr, "no divergence", "the text summary goes to stderr")

	code, stdout, stderr = cli(t, "run", guest, "--quiet", "--junit", "-")
	require.Equal(t, exitOK, code, stderr)
	var suites struct {
		Suites []struct {
			Tests int `xml:"tests,attr"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal([]byte(stdout), &suites), stdout)
	require.Greater(t, suites.Suites[0].Tests, 0)

	code, stdout, stderr = cli(t, "run", guest, "--quiet", "--summary-md", "-")
	require.Equal(t, exitOK, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "### fpvmdiff run `"), stdout)

	_, err := os.Stat("-")
	require.True(t, os.IsNotExist(err), "a file named - was written")
}

// --summary-md appends, as $GITHUB_STEP_SUMMARY is shared by a job's steps.
func TestSummaryMarkdownAppends(t *testing.T) {
	guest := exitGuest(t)
	md := writeFile(t, "summary.md", "earlier step\n")
	for range 2 {
		code, _, stderr := cli(t, "run", guest, "--quiet", "--summary-md", md)
		require.Equal(t, exitOK, code, stderr)
	}
	data, err := os.ReadFile(md)
	require.NoError(t, err)
	text := string(data)
	require.True(t, strings.HasPrefix(text, "earlier step\n"))
	require.Equal(t, 2, strings.Count(text, "### fpvmdiff run `"), text)
	require.Contains(t, text, "no divergence")
	require.Contains(t, text, "| steps checked | 3 (mode all")
	require.Contains(t, text, "| state_version | `8` |")
}

// Every report carries the identity: the ELF's sha256 computed here from the file, the code
// hashes of the contracts as deployed, the state version, the tool version and a schema
// version; `fpvmdiff version` prints the same contract hashes.
func TestReportsCarryTheIdentity(t *testing.T) {
	guest := exitGuest(t)
	elf, err := os.ReadFile(guest)
	require.NoError(t, err)
	sum := sha256.Sum256(elf)
	wantELF := "0x" + hex.EncodeToString(sum[:])
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	wantStep := crypto.Keccak256Hash(s.DeployedCode(s.MIPS)).Hex()
	wantOracle := crypto.Keccak256Hash(s.DeployedCode(s.Oracle)).Hex()

	dir := t.TempDir()
	jsonPath, junitPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	code, _, stderr := cli(t, "run", guest, "--quiet", "--json", jsonPath, "--junit", junitPath)
	require.Equal(t, exitOK, code, stderr)
	var res map[string]any
	data, err := os.ReadFile(jsonPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &res))
	require.EqualValues(t, 1, res["schema_version"])
	require.EqualValues(t, 8, res["state_version"])
	require.NotEmpty(t, res["tool_version"])
	require.Equal(t, wantELF, res["elf_sha256"])
	require.Equal(t, wantStep, res["step_contract_code_hash"])
	require.Equal(t, wantOracle, res["oracle_code_hash"])

	xmlData, err := os.ReadFile(junitPath)
	require.NoError(t, err)
	for _, prop := range []string{`name="schema_version" value="1"`, `name="state_version" value="8"`,
		`name="elf_sha256" value="` + wantELF + `"`, `name="step_contract_code_hash" value="` + wantStep + `"`,
		`name="oracle_code_hash" value="` + wantOracle + `"`, `name="tool_version"`} {
		require.Contains(t, string(xmlData), prop)
	}

	code, stdout, stderr := cli(t, "version")
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "state version            8")
	require.Contains(t, stdout, wantStep)
	require.Contains(t, stdout, wantOracle)
	require.Contains(t, stdout, res["tool_version"].(string))

	// vm run's summary carries what applies without an EVM.
	vmJSON := filepath.Join(dir, "vm.json")
	code, _, stderr = cli(t, "vm", "run", guest, "--json", vmJSON)
	require.Equal(t, 5, code, stderr)
	data, err = os.ReadFile(vmJSON)
	require.NoError(t, err)
	var vmRes map[string]any
	require.NoError(t, json.Unmarshal(data, &vmRes))
	require.EqualValues(t, 1, vmRes["schema_version"])
	require.Equal(t, wantELF, vmRes["elf_sha256"])
	require.NotContains(t, vmRes, "step_contract_code_hash")
}

// Reports and bundles name files as given when relative, by base name when absolute
// outside the working directory: nothing records where the writing machine keeps them.
func TestNoAbsolutePathsInOutputs(t *testing.T) {
	guestDir := t.TempDir()
	guest := filepath.Join(guestDir, "exit5.elf")
	data, err := os.ReadFile(exitGuest(t))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(guest, data, 0o644))
	out := t.TempDir()
	contract := writeFile(t, "liar.hex", alwaysInvalid+"\n")
	jsonPath, junitPath, mdPath := filepath.Join(out, "r.json"), filepath.Join(out, "r.xml"), filepath.Join(out, "r.md")
	code, stdout, stderr := cli(t, "run", guest, "--contract", contract, "--bundle-dir", out, "--quiet",
		"--json", jsonPath, "--junit", junitPath, "--summary-md", mdPath)
	require.Equal(t, exitDivergence, code, stderr)
	require.Contains(t, stdout, filepath.Join(out, "divergence-step-0.json"), "the text summary names the bundle where it can be opened")
	for _, p := range []string{jsonPath, junitPath, mdPath, filepath.Join(out, "divergence-step-0.json")} {
		text, err := os.ReadFile(p)
		require.NoError(t, err)
		for _, abs := range []string{guestDir, out, filepath.Dir(contract)} {
			require.NotContains(t, string(text), abs, "%s records an absolute path", filepath.Base(p))
		}
		require.Contains(t, string(text), "exit5.elf", "%s names the program", filepath.Base(p))
	}
}

// Shards of different builds, guests or contracts do not merge; the error names the field.
func TestMergeRefusesDifferentIdentities(t *testing.T) {
	guest := exitGuest(t)
	dir := t.TempDir()
	var paths []string
	for _, shard := range []string{"0/2", "1/2"} {
		p := filepath.Join(dir, "s"+shard[:1]+".json")
		code, _, stderr := cli(t, "run", guest, "--range", "0:2", "--shard", shard, "--json", p, "--quiet", "--workers", "1")
		require.Equal(t, exitOK, code, stderr)
		paths = append(paths, p)
	}
	code, _, stderr := cli(t, "merge", paths[0], paths[1])
	require.Equal(t, exitOK, code, "identical identities merge: %s", stderr)

	for _, field := range []string{"tool_version", "elf_sha256", "step_contract_code_hash", "oracle_code_hash", "state_version"} {
		t.Run(field, func(t *testing.T) {
			var shard map[string]any
			data, err := os.ReadFile(paths[1])
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(data, &shard))
			if field == "state_version" {
				shard[field] = 7
			} else {
				shard[field] = "0xother"
			}
			edited := filepath.Join(t.TempDir(), "edited.json")
			data, err = json.Marshal(shard)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(edited, data, 0o644))
			code, stdout, stderr := cli(t, "merge", paths[0], edited)
			require.Equal(t, exitUsage, code)
			require.Empty(t, stdout)
			requireOneLine(t, stderr, "differ in "+field)
		})
	}

	// A summary from before schema versions cannot show its identity: re-run it.
	var old map[string]any
	data, err := os.ReadFile(paths[1])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &old))
	delete(old, "schema_version")
	data, err = json.Marshal(old)
	require.NoError(t, err)
	oldPath := filepath.Join(dir, "old.json")
	require.NoError(t, os.WriteFile(oldPath, data, 0o644))
	code, _, stderr = cli(t, "merge", paths[0], oldPath)
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "schema_version 0")
}

// --html on run, repro and merge writes one self-contained page each (rendering in Chromium
// is tested in check); its path is checked up front like the others.
func TestHTMLReports(t *testing.T) {
	dir := t.TempDir()
	contract := writeFile(t, "liar.hex", alwaysInvalid+"\n")
	runHTML, reproHTML, mergeHTML := filepath.Join(dir, "run.html"), filepath.Join(dir, "repro.html"), filepath.Join(dir, "merge.html")
	summary := filepath.Join(dir, "s.json")
	code, _, stderr := cli(t, "run", exitGuest(t), "--contract", contract, "--bundle-dir", dir, "--quiet", "--html", runHTML, "--json", summary)
	require.Equal(t, exitDivergence, code, stderr)
	code, _, stderr = cli(t, "repro", filepath.Join(dir, "divergence-step-0.json"), "--html", reproHTML)
	require.Equal(t, exitDivergence, code, stderr)
	code, _, stderr = cli(t, "merge", summary, "--html", mergeHTML)
	require.Equal(t, exitDivergence, code, stderr)
	for _, p := range []string{runHTML, reproHTML, mergeHTML} {
		page, err := os.ReadFile(p)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(string(page), "<!DOCTYPE html>"), p)
		require.Contains(t, string(page), `id="divergence"`, p)
		require.Contains(t, string(page), "sides with the Go VM", p)
		require.NotContains(t, string(page), dir, "%s records an absolute path", p)
	}
	code, _, stderr = cli(t, "run", exitGuest(t), "--html", "/nonexistent-dir/r.html")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "--html /nonexistent-dir/r.html")
}
