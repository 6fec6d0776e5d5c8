package cli

import (
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// nmFunctions is GNU nm's view of an ELF's text symbols: name by address, and the names.
func nmFunctions(t *testing.T, path string) (byAddr map[uint64]string, names map[string]bool) {
	t.Helper()
	nm, err := exec.LookPath("mips64-linux-gnuabi64-nm")
	if err != nil {
		t.Fatalf("mips64-linux-gnuabi64-nm not found (%v): run `make deps`", err)
	}
	out, err := exec.Command(nm, "--defined-only", path).Output()
	require.NoError(t, err)
	byAddr, names = map[uint64]string{}, map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || (f[1] != "T" && f[1] != "t") {
			continue
		}
		a, err := strconv.ParseUint(f[0], 16, 64)
		require.NoError(t, err)
		byAddr[a] = f[2]
		names[f[2]] = true
	}
	return byAddr, names
}

// A divergence names the function of its pc (GNU nm's name for the entry point here), in
// the report, in the bundle, and again when the bundle is replayed without the ELF.
func TestDivergenceNamesTheFunction(t *testing.T) {
	hello := guests.MustBuild(t, "hello")
	f, err := elf.Open(hello)
	require.NoError(t, err)
	entry := f.Entry
	f.Close()
	byAddr, _ := nmFunctions(t, hello)
	want := byAddr[entry]
	require.NotEmpty(t, want, "nm has no symbol at the entry point")

	dir := t.TempDir()
	contract := writeFile(t, "liar.hex", alwaysInvalid+"\n")
	code, stdout, stderr := cli(t, "run", hello, "--contract", contract, "--bundle-dir", dir, "--quiet", "--max-steps", "5")
	require.Equal(t, exitDivergence, code, stderr)
	require.Contains(t, stdout, fmt.Sprintf("instruction: thread 0 pc 0x%x (%s) ", entry, want))

	bundle := filepath.Join(dir, "divergence-step-0.json")
	data, err := os.ReadFile(bundle)
	require.NoError(t, err)
	var b struct {
		Instruction struct{ Symbol string } `json:"instruction"`
	}
	require.NoError(t, json.Unmarshal(data, &b))
	require.Equal(t, want, b.Instruction.Symbol)

	code, replay, stderr := cli(t, "repro", bundle)
	require.Equal(t, exitDivergence, code, stderr)
	require.Contains(t, replay, "("+want+")")
}

// vm run's progress lines and its livelock report name functions GNU nm knows.
func TestVMRunNamesFunctions(t *testing.T) {
	hello := guests.MustBuild(t, "hello")
	_, names := nmFunctions(t, hello)
	code, _, stderr := cli(t, "vm", "run", hello, "--info-every", "5000")
	require.Equal(t, 0, code, stderr)
	at := regexp.MustCompile(`(?m)thread \d+ at 0x[0-9a-f]+ \((.+?)(\+0x[0-9a-f]+)?\)$`)
	lines := at.FindAllStringSubmatch(stderr, -1)
	require.NotEmpty(t, lines, stderr)
	for _, m := range lines {
		require.True(t, names[m[1]], "%q is not a function nm lists", m[1])
	}

	dead := guests.MustBuild(t, "deadlock")
	_, names = nmFunctions(t, dead)
	statsPath := filepath.Join(t.TempDir(), "stats.json")
	code, _, stderr = cli(t, "vm", "run", dead, "--livelock-window", "20M", "--stats", statsPath, "--max-steps", "200M")
	require.Equal(t, exitLivelock, code, stderr)
	require.Contains(t, stderr, "pc range ")
	st := readStats(t, statsPath)
	threads := st.Livelock["threads"].([]any)
	require.NotEmpty(t, threads)
	for _, th := range threads {
		m := th.(map[string]any)
		for _, k := range []string{"min_symbol", "max_symbol"} {
			name, _ := m[k].(string)
			require.True(t, names[strings.SplitN(name, "+", 2)[0]], "%s %q is not a function nm lists", k, name)
		}
	}
}
