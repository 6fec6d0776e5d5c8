package check

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

// renderInChromium loads page in Debian's headless Chromium and returns the DOM it built
// and what Chromium logged. A missing browser fails: `make test-deps` installs it.
func renderInChromium(t *testing.T, page []byte) (dom, log string) {
	t.Helper()
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium not found (%v): run `make test-deps` (apt-get install -y chromium)", err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	require.NoError(t, os.WriteFile(file, page, 0o644))
	cmd := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--enable-logging=stderr", "--v=0", "--dump-dom", "file://"+file)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "chromium: %s", stderr.String())
	return string(out), stderr.String()
}

// The page of a run with a divergence renders in a real browser without errors and shows
// the gas histogram, the classes, the divergence with its differing field marked, the
// independent opinion and the Solidity lines, the instruction's own line marked.
func TestHTMLReportRendersInChromium(t *testing.T) {
	in := oneStep(t, 0x24080005) // addiu a4, zero, 5
	in.GoPost = append([]byte(nil), in.GoPost...)
	in.GoPost[75] ^= 1 // heap: a Go-side bug
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	b := NewBundle(in, CheckStep(s, in), s, "addiu")
	b.Opinion = &BundleOpinion{Source: "qemu-mips64", SidesWith: "evm", Summary: "addiu: sides with the EVM step contract"}
	r := &RunResult{SchemaVersion: SummarySchemaVersion, Identity: b.Identity, Program: "guest.elf", Mode: "all",
		StepsRun: 100, StepsChecked: 100, Classes: map[string]*ClassStats{"addiu": {Run: 60, Checked: 60}, "sll": {Run: 40, Checked: 40}},
		GasHistogram: GasHistogram{{4271, 30}, {13233, 60}, {24301, 9}}, Gas: GasStats{Count: 99, Min: 4271, Median: 13233, P99: 24301, Max: 24301},
		Divergence: b}
	page, err := HTML(r)
	require.NoError(t, err)
	require.NotContains(t, string(page), "<script", "the page is static")
	require.NotContains(t, string(page), "http://", "no external resource")
	require.NotContains(t, string(page), "https://", "no external resource")
	dom, log := renderInChromium(t, page)
	require.NotContains(t, log, "Uncaught")
	require.NotContains(t, log, ":ERROR:CONSOLE")
	for _, want := range []string{
		`id="gas"`, `class="bar"`, `id="classes"`, `<code>addiu</code>`,
		`id="divergence"`, `id="opinion"`, "sides with the EVM step contract",
		`<tr class="differs"><td class="field">heap</td>`,
		`id="solidity"`, `<li class="match">contracts/src/MIPS64.sol:`,
		`id="identity"`, b.StepCodeHash,
	} {
		require.Contains(t, dom, want)
	}

	replay, err := BundleHTML(b)
	require.NoError(t, err)
	dom, _ = renderInChromium(t, replay)
	require.Contains(t, dom, `id="divergence"`)
	require.NotContains(t, dom, `id="gas"`, "a replay has no run to summarize")
}
