package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// cli runs the CLI in-process and returns exit code, stdout and stderr.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// requireOneLine checks that a usage error is one clear line, not a dump.
func requireOneLine(t *testing.T, stderr string, contains ...string) {
	t.Helper()
	require.Equal(t, 1, strings.Count(stderr, "\n"), "want exactly one line, got:\n%s", stderr)
	require.NotContains(t, stderr, "goroutine")
	for _, c := range contains {
		require.Contains(t, stderr, c)
	}
}

// tinyELF is a hand-assembled big-endian MIPS64 executable whose code is the given
// instruction words, loaded at 0x10000 and entered at its first instruction.
func tinyELF(t *testing.T, code ...uint32) string {
	t.Helper()
	const vaddr, hdr, phdr = 0x10000, 64, 56
	be := binary.BigEndian
	b := make([]byte, hdr+phdr, hdr+phdr+4*len(code))
	copy(b, "\x7fELF")
	b[4], b[5], b[6] = 2, 2, 1 // ELFCLASS64, ELFDATA2MSB, EV_CURRENT
	be.PutUint16(b[16:], 2)    // ET_EXEC
	be.PutUint16(b[18:], 8)    // EM_MIPS
	be.PutUint32(b[20:], 1)    // EV_CURRENT
	be.PutUint64(b[24:], vaddr+hdr+phdr)
	be.PutUint64(b[32:], hdr) // phoff
	be.PutUint16(b[52:], hdr) // ehsize
	be.PutUint16(b[54:], phdr)
	be.PutUint16(b[56:], 1) // phnum
	for _, w := range code {
		b = be.AppendUint32(b, w)
	}
	p := b[hdr:]
	be.PutUint32(p[0:], 1)               // PT_LOAD
	be.PutUint32(p[4:], 5)               // R+X
	be.PutUint64(p[16:], vaddr)          // vaddr
	be.PutUint64(p[24:], vaddr)          // paddr
	be.PutUint64(p[32:], uint64(len(b))) // filesz
	be.PutUint64(p[40:], uint64(len(b))) // memsz
	be.PutUint64(p[48:], 0x1000)
	path := filepath.Join(t.TempDir(), "tiny.elf")
	require.NoError(t, os.WriteFile(path, b, 0o644))
	return path
}

// Instruction words for tinyELF, encoded by hand (docs/spec.md §5.2 "Primary opcodes", §5.3
// "SPECIAL", §7.2 "Supported syscalls").
const (
	insnSyscall         = 0x0000000C
	insnLoadV0Bad       = 0x6402176F // daddiu $v0, $zero, 5999: no such syscall
	insnLoadV0ExitGroup = 0x64021455 // daddiu $v0, $zero, 5205
	insnLoadA0Five      = 0x64040005 // daddiu $a0, $zero, 5
	insnLoop            = 0x1000FFFF // b . (branch to itself)
	insnNop             = 0x00000000
)

func TestHelp(t *testing.T) {
	code, stdout, _ := cli(t, "help")
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "vm run")
	require.Contains(t, stdout, "vm bench")

	code, stdout, _ = cli(t, "help", "vm", "run")
	require.Equal(t, exitOK, code)
	for _, flag := range []string{"-preimages", "-max-steps", "-stop-at", "-info-every", "-json"} {
		require.Contains(t, stdout, flag)
	}

	code, stdout, _ = cli(t, "help", "vm")
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "vm run")

	code, stdout, _ = cli(t, "vm", "run", "-h")
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "Usage: fpvmdiff vm run ELF")
}

func TestUsageErrors(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.elf")
	require.NoError(t, os.WriteFile(garbage, []byte("this is not an ELF file at all, just text"), 0o644))
	badJSON := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(badJSON, []byte(`{"0x01": "0x00"}`), 0o644))
	elf := tinyELF(t, insnLoop, insnNop)

	tests := []struct {
		name     string
		args     []string
		contains []string
	}{
		{"unknown command", []string{"frobnicate"}, []string{`unknown command "frobnicate"`}},
		{"group without subcommand", []string{"vm"}, []string{"fpvmdiff vm", "subcommand"}},
		{"unknown help topic", []string{"help", "nope"}, []string{"unknown command"}},
		{"missing ELF argument", []string{"vm", "run"}, []string{"want ELF, got 0"}},
		{"two ELF arguments", []string{"vm", "run", elf, elf}, []string{"want ELF, got 2"}},
		{"unknown flag", []string{"vm", "run", elf, "--frob"}, []string{"unknown flag --frob"}},
		{"bad step count", []string{"vm", "run", "--max-steps", "lots", elf}, []string{`"lots" is not a step count`}},
		{"missing ELF file", []string{"vm", "run", "/nonexistent/prog.elf"}, []string{"reading ELF", "/nonexistent/prog.elf"}},
		{"corrupt ELF", []string{"vm", "run", garbage}, []string{"garbage.elf", "load ELF", "bad magic"}},
		{"missing preimage file", []string{"vm", "run", elf, "--preimages", "/nonexistent/p.json"}, []string{"pre-image file", "/nonexistent/p.json"}},
		{"bad preimage file", []string{"vm", "run", elf, "--preimages", badJSON}, []string{"bad.json", "0x01"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, tc.args...)
			require.Equal(t, exitUsage, code, "stderr: %s", stderr)
			require.Empty(t, stdout)
			requireOneLine(t, stderr, tc.contains...)
		})
	}
}

func TestNoArgumentsPrintsOverview(t *testing.T) {
	code, stdout, stderr := cli(t)
	require.Equal(t, exitUsage, code)
	require.Empty(t, stdout)
	require.Contains(t, stderr, "Commands:")
}

func TestRunFaultExits3(t *testing.T) {
	elf := tinyELF(t, insnLoadV0Bad, insnSyscall)
	jsonPath := filepath.Join(t.TempDir(), "sum.json")
	code, _, stderr := cli(t, "vm", "run", elf, "--json", jsonPath)
	require.Equal(t, exitFault, code, stderr)
	require.Contains(t, stderr, "unimplemented syscall")
	require.NotContains(t, stderr, "goroutine")

	sum := readSummary(t, jsonPath)
	require.Equal(t, outcomeFault, sum.Outcome)
	require.Contains(t, sum.Fault, "unimplemented syscall")
	require.Equal(t, exitFault, sum.ProcessExit)
	require.Empty(t, sum.StateHash)
}

func TestRunPassesGuestExitCode(t *testing.T) {
	// exit_group(5): docs/spec.md §7.2 "Supported syscalls", exit code a0 & 0xFF.
	elf := tinyELF(t, insnLoadA0Five, insnLoadV0ExitGroup, insnSyscall)
	code, _, stderr := cli(t, "vm", "run", elf)
	require.Equal(t, 5, code, stderr)
	require.Contains(t, stderr, "exited with code 5")
	// Three instructions, three steps.
	require.Contains(t, stderr, "steps       3\n")
}

func TestRunStopAtAndMaxSteps(t *testing.T) {
	elf := tinyELF(t, insnLoop, insnNop) // never exits
	dir := t.TempDir()

	stopJSON := filepath.Join(dir, "stop.json")
	code, _, stderr := cli(t, "vm", "run", "--stop-at", "1_000", elf, "--json", stopJSON)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stderr, "stopped after step 1000")
	sum := readSummary(t, stopJSON)
	require.Equal(t, outcomeStopped, sum.Outcome)
	require.Equal(t, uint64(1000), sum.Steps)

	limitJSON := filepath.Join(dir, "limit.json")
	code, _, stderr = cli(t, "vm", "run", elf, "--max-steps", "2k", "--json", limitJSON)
	require.Equal(t, exitNoFinish, code, stderr)
	sum = readSummary(t, limitJSON)
	require.Equal(t, outcomeStepLimit, sum.Outcome)
	require.Equal(t, uint64(2000), sum.Steps)

	// Whichever of the two comes first wins.
	code, _, _ = cli(t, "vm", "run", elf, "--max-steps", "500", "--stop-at", "1000")
	require.Equal(t, exitNoFinish, code)
	code, _, _ = cli(t, "vm", "run", elf, "--max-steps", "5000", "--stop-at", "1000")
	require.Equal(t, exitOK, code)
}

func TestRunInfoEvery(t *testing.T) {
	elf := tinyELF(t, insnLoop, insnNop)
	code, _, stderr := cli(t, "vm", "run", elf, "--stop-at", "1M", "--info-every", "250k")
	require.Equal(t, exitOK, code)
	// Progress at 250k, 500k and 750k; at 1M the run stops instead.
	require.Equal(t, 3, strings.Count(stderr, "fpvmdiff vm run: step "), stderr)
	require.Contains(t, stderr, "step 750000,")
}

func TestRunGuests(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		guest      string
		extra      []string
		wantCode   int
		wantStdout string // hand-written from the guest's source
	}{
		{guest: "hello", wantCode: 0, wantStdout: "hello from stdout\n"},
		{guest: "exitcode", wantCode: 7, wantStdout: "exitcode: leaving with 7\n"},
		{guest: "preimage", extra: []string{"--preimages", "../../testdata/programs/preimage/preimages.json"}, wantCode: 0},
	}
	for _, tc := range tests {
		t.Run(tc.guest, func(t *testing.T) {
			elf := guests.MustBuild(t, tc.guest)
			jsonPath := filepath.Join(dir, tc.guest+".json")
			args := append([]string{"vm", "run", elf, "--json", jsonPath}, tc.extra...)
			code, stdout, stderr := cli(t, args...)
			require.Equal(t, tc.wantCode, code, stderr)
			if tc.wantStdout != "" {
				require.Equal(t, tc.wantStdout, stdout)
			}
			sum := readSummary(t, jsonPath)
			require.Equal(t, outcomeExited, sum.Outcome)
			require.Equal(t, tc.wantCode, sum.ExitCode)
			require.Equal(t, tc.wantCode, sum.ProcessExit)
			require.Greater(t, sum.Steps, uint64(1000))
			require.GreaterOrEqual(t, sum.ThreadsCreated, uint64(1))
			require.Greater(t, sum.Pages, 0)
			require.Equal(t, uint64(sum.Pages)*4096, sum.MemoryBytes)
			require.Regexp(t, `^0x[0-9a-f]{64}$`, sum.StateHash)
		})
	}
	// Only the summaries are left in the directory: no temporary files.
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		require.True(t, strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), "."), "stray file %s", e.Name())
	}
}

func TestPreimageGuestWithoutOracleFaults(t *testing.T) {
	elf := guests.MustBuild(t, "preimage")
	code, _, stderr := cli(t, "vm", "run", elf)
	require.Equal(t, exitFault, code, stderr)
	require.Contains(t, stderr, "pre-image")
}

// An unwritable --json path is an error before the guest runs: the guest would print its
// summary on stderr, so a single line there shows that nothing ran.
func TestJSONPathCheckedBeforeTheRun(t *testing.T) {
	elf := tinyELF(t, insnLoadA0Five, insnLoadV0ExitGroup, insnSyscall)
	code, _, stderr := cli(t, "vm", "run", elf, "--json", "/nonexistent-dir/sum.json")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "--json /nonexistent-dir/sum.json: directory /nonexistent-dir does not exist")
}

func TestStepCount(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		bad  bool
	}{
		{in: "0", want: 0},
		{in: "5000", want: 5000},
		{in: "20_000_000", want: 20_000_000},
		{in: "20M", want: 20_000_000},
		{in: "3k", want: 3000},
		{in: "2G", want: 2_000_000_000},
		{in: "18446744073709551615", want: 1<<64 - 1},
		{in: "18446744073709551616", bad: true},
		{in: "20000000000G", bad: true},
		{in: "-1", bad: true},
		{in: "M", bad: true},
		{in: "", bad: true},
		{in: "1.5M", bad: true},
	}
	for _, tc := range tests {
		var s stepCount
		err := s.Set(tc.in)
		if tc.bad {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, uint64(s), tc.in)
	}
}

func readSummary(t *testing.T, path string) runSummary {
	t.Helper()
	var s runSummary
	readJSON(t, path, &s)
	return s
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, v))
}
