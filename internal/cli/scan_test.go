package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// unsupportedELF assembles testdata/scan/unsupported.S; missing binutils fail the test.
func unsupportedELF(t *testing.T) string {
	t.Helper()
	as, errAs := exec.LookPath("mips64-linux-gnuabi64-as")
	ld, errLd := exec.LookPath("mips64-linux-gnuabi64-ld")
	if errAs != nil || errLd != nil {
		t.Fatalf("MIPS64 binutils not found (%v, %v): run `make deps`", errAs, errLd)
	}
	dir := t.TempDir()
	obj, elf := filepath.Join(dir, "u.o"), filepath.Join(dir, "unsupported.elf")
	out, err := exec.Command(as, "-EB", "-mabi=64", "-march=mips64r2", "-o", obj, filepath.Join("..", "..", "testdata", "scan", "unsupported.S")).CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(ld, "-static", "-nostdlib", "-e", "__start", "-o", elf, obj).CombinedOutput()
	require.NoError(t, err, "%s", out)
	return elf
}

func TestScanReportsUnsupportedCode(t *testing.T) {
	elf := unsupportedELF(t)
	jsonPath := filepath.Join(t.TempDir(), "scan.json")
	code, stdout, stderr := cli(t, "scan", elf, "--json", jsonPath)
	require.Equal(t, exitFindings, code, "stderr: %s", stderr)
	// One line per (kind, symbol, finding), written by hand from unsupported.S.
	for _, want := range [][]string{
		{"unsupported instruction", "accumulate", "madd", "2"},
		{"unsupported instruction", "accumulate", "msubu", "1"},
		{"unsupported instruction", "prefetch", "pref", "1"},
		{"unsupported instruction", "bitfield", "ext", "1"},
		{"unsupported instruction", "likely", "beql", "1"},
		{"unsupported instruction", "traps", "teq", "1"},
		{"unsupported instruction", "traps", "break", "1"},
		{"unsupported instruction", "fpu", "add.d", "1"},
		{"deviating instruction", "rotate", "rotr", "1"},
		{"unsupported syscall", "set_name", "syscall 5153 (prctl)", "1"},
		{"unsupported syscall", "big_number", "syscall 5041 (connect)", "1"},
		{"unsupported syscall", "send_signal", "syscall 5060 (kill) via raw_syscall", "1"},
	} {
		require.True(t, hasRow(stdout, want), "no line with %q in:\n%s", want, stdout)
	}
	require.Contains(t, stdout, "findings: 12")
	require.Contains(t, stdout, "computed at 0x")
	require.Contains(t, stdout, "NOT CLEAN")

	var res struct {
		Findings []struct {
			Kind, Symbol, Finding string
			Count                 int
			Addresses             []string
		}
	}
	raw, err := os.ReadFile(jsonPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &res))
	require.Len(t, res.Findings, 12)
	require.Equal(t, "accumulate", res.Findings[1].Symbol)
	require.Equal(t, "madd", res.Findings[1].Finding)
	require.Equal(t, 2, res.Findings[1].Count)
	require.True(t, strings.HasPrefix(res.Findings[1].Addresses[0], "0x"))
}

// hasRow reports a line of the table holding all cells, in order.
func hasRow(out string, cells []string) bool {
	for _, line := range strings.Split(out, "\n") {
		rest, ok := line, true
		for _, c := range cells {
			i := strings.Index(rest, c)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(c):]
		}
		if ok {
			return true
		}
	}
	return false
}

func TestScanGuestProgramsAreClean(t *testing.T) {
	for _, name := range []string{"hello", "exitcode", "mt", "preimage"} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := cli(t, "scan", guests.MustBuild(t, name))
			require.Equal(t, exitOK, code, "stdout:\n%s\nstderr: %s", stdout, stderr)
			require.Contains(t, stdout, "findings: 0")
			require.Contains(t, stdout, "clean: no unsupported instruction or syscall outside the allowlists")
			require.Contains(t, stdout, "runtime.abort")
		})
	}
	code, stdout, _ := cli(t, "scan", "--no-go-allowlist", guests.MustBuild(t, "hello"))
	require.Equal(t, exitFindings, code)
	require.True(t, hasRow(stdout, []string{"unsupported instruction", "runtime.memclrNoHeapPointers", "msa", "19"}), stdout)
}

func TestScanAllowFile(t *testing.T) {
	elf := unsupportedELF(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.allow")
	require.NoError(t, os.WriteFile(good, []byte("* * every finding audited for this test\n"), 0o644))
	code, stdout, stderr := cli(t, "scan", "--allow", good, elf)
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	require.Contains(t, stdout, "accepted by an allowlist: 12")

	bad := filepath.Join(dir, "bad.allow")
	require.NoError(t, os.WriteFile(bad, []byte("traps teq\n"), 0o644))
	code, _, stderr = cli(t, "scan", "--allow", bad, elf)
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "bad.allow:1", "reason")
}

func TestScanBadInput(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.elf")
	require.NoError(t, os.WriteFile(corrupt, []byte("\x7fELF\x02\x02\x01garbage"), 0o644))
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"corrupt ELF", []string{"scan", corrupt}, []string{"corrupt.elf", "not a readable ELF file"}},
		{"missing file", []string{"scan", filepath.Join(dir, "nope.elf")}, []string{"nope.elf", "no such file"}},
		{"no argument", []string{"scan"}, []string{"want ELF"}},
		{"two arguments", []string{"scan", corrupt, corrupt}, []string{"want ELF"}},
		{"unknown flag", []string{"scan", "--strict", corrupt}, []string{"strict"}},
		{"missing allowlist", []string{"scan", "--allow", filepath.Join(dir, "none.allow"), corrupt}, []string{"none.allow"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, tc.args...)
			require.Equal(t, exitUsage, code)
			require.Empty(t, stdout)
			requireOneLine(t, stderr, tc.want...)
		})
	}
}
