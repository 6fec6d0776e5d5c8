package fuzz

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Outputs of `go test -fuzz`, as the engine prints them. deadlineFlake is the failure CI
// printed for FuzzPreimageJSON on a loaded machine (golang/go#75804): no input failed.
const (
	cleanRun = `fuzz: elapsed: 0s, gathering baseline coverage: 0/72 completed
fuzz: elapsed: 3s, execs: 10161 (3387/sec), new interesting: 19 (total: 91)
PASS
ok  	example/fuzz	3.1s
`
	deadlineFlake = `fuzz: elapsed: 0s, gathering baseline coverage: 0/72 completed
fuzz: elapsed: 1s, gathering baseline coverage: 72/72 completed, now fuzzing with 1 workers
fuzz: elapsed: 3s, execs: 10161 (3387/sec), new interesting: 19 (total: 91)
fuzz: elapsed: 3s, execs: 10161 (0/sec), new interesting: 19 (total: 91)
--- FAIL: FuzzPreimageJSON (3.08s)
    context deadline exceeded
FAIL
exit status 1
FAIL	example/fuzz	3.116s
`
	finding = `fuzz: elapsed: 2s, execs: 812 (406/sec), new interesting: 3 (total: 40)
fuzz: minimizing 57-byte failing input file
fuzz: elapsed: 2s, minimizing
--- FAIL: FuzzPreimageJSON (2.31s)
    --- FAIL: FuzzPreimageJSON (0.00s)
        parsers_test.go:97: entry 0: key type 9 accepted

    Failing input written to testdata/fuzz/FuzzPreimageJSON/0f1e2d
    To re-run:
    go test -run=FuzzPreimageJSON/0f1e2d
FAIL
exit status 1
`
	// A target's own failure message next to the deadline line is a finding, not the race.
	messageAndDeadline = `fuzz: elapsed: 3s, execs: 400 (133/sec), new interesting: 1 (total: 9)
--- FAIL: FuzzTamper (3.02s)
    tamper_test.go:88: forged word accepted
    context deadline exceeded
FAIL
`
	// CI on a busy machine: the seeds of FuzzTamper are slow, the time ran out on the baseline.
	baselineOnly = `fuzz: elapsed: 0s, gathering baseline coverage: 0/104 completed
fuzz: elapsed: 3s, gathering baseline coverage: 88/104 completed
fuzz: elapsed: 3s, gathering baseline coverage: 88/104 completed
PASS
ok  	example/fuzz	3.157s
`
	baselineNone = `fuzz: elapsed: 0s, gathering baseline coverage: 0/104 completed
fuzz: elapsed: 3s, gathering baseline coverage: 0/104 completed
PASS
`
	noTarget = `testing: warning: no fuzz tests to fuzz
PASS
ok  	example/fuzz	0.01s
`
	noExecs = `fuzz: elapsed: 0s, gathering baseline coverage: 0/3 completed
fuzz: elapsed: 3s, execs: 0 (0/sec), new interesting: 0 (total: 3)
PASS
`
)

// TestRunScript runs fuzz/run.sh against a stub go command that prints one scripted output
// per call, and checks which runs pass, which are retried and which fail.
func TestRunScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	fail := func(out string) []string { return []string{out, "1"} }
	pass := func(out string) []string { return []string{out, "0"} }
	tests := []struct {
		name      string
		flags     []string
		calls     [][]string // output and exit status of each call, in order
		wantOK    bool
		wantCalls int
		wantOut   string
	}{
		{name: "clean", calls: [][]string{pass(cleanRun)}, wantOK: true, wantCalls: 1,
			wantOut: "ok: 3s, execs: 10161"},
		{name: "deadline race, then clean", calls: [][]string{fail(deadlineFlake), pass(cleanRun)},
			wantOK: true, wantCalls: 2, wantOut: "golang/go#75804"},
		{name: "deadline race every time", calls: [][]string{fail(deadlineFlake), fail(deadlineFlake), fail(deadlineFlake)},
			wantOK: false, wantCalls: 3, wantOut: "FAILED"},
		{name: "failing input", calls: [][]string{fail(finding)}, wantOK: false, wantCalls: 1,
			wantOut: "Failing input written to"},
		{name: "message beside deadline", calls: [][]string{fail(messageAndDeadline)}, wantOK: false, wantCalls: 1,
			wantOut: "forged word accepted"},
		{name: "seeds only", calls: [][]string{pass(baselineOnly)}, wantOK: true, wantCalls: 1,
			wantOut: "88/104 completed (no time left to fuzz beyond the seeds)"},
		{name: "not one seed", calls: [][]string{pass(baselineNone)}, wantOK: false, wantCalls: 1,
			wantOut: "executed no input"},
		{name: "no target", calls: [][]string{pass(noTarget)}, wantOK: false, wantCalls: 1,
			wantOut: "matched no fuzz function"},
		{name: "no execs", calls: [][]string{pass(noExecs)}, wantOK: false, wantCalls: 1,
			wantOut: "executed no input"},
		{name: "no target, execs not required", flags: []string{"--quiet"}, calls: [][]string{pass(noTarget)},
			wantOK: true, wantCalls: 1, wantOut: "no progress line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for i, c := range tc.calls {
				n := strconv.Itoa(i + 1)
				writeFile(t, filepath.Join(dir, "out"+n), c[0])
				writeFile(t, filepath.Join(dir, "rc"+n), c[1])
			}
			stub := filepath.Join(dir, "go")
			writeFile(t, stub, `#!/usr/bin/env bash
d=$(dirname "$0")
n=$(( $(cat "$d/calls" 2>/dev/null || echo 0) + 1 ))
echo $n >"$d/calls"
[ -f "$d/out$n" ] || { echo "stub: no call $n scripted" >&2; exit 3; }
cat "$d/out$n"
exit $(cat "$d/rc$n")
`)
			if err := os.Chmod(stub, 0o755); err != nil {
				t.Fatal(err)
			}
			flags := tc.flags
			if flags == nil {
				flags = []string{"--quiet", "--require-execs"}
			}
			args := append([]string{"run.sh"}, flags...)
			args = append(args, "3s", "200ms", "1", "./fuzz:FuzzPreimageJSON")
			cmd := exec.Command("bash", args...)
			cmd.Env = append(os.Environ(), "GO="+stub)
			out, err := cmd.CombinedOutput()
			if ok := err == nil; ok != tc.wantOK {
				t.Errorf("passed=%v, want %v; output:\n%s", ok, tc.wantOK, out)
			}
			calls, _ := os.ReadFile(filepath.Join(dir, "calls"))
			if got := strings.TrimSpace(string(calls)); got != strconv.Itoa(tc.wantCalls) {
				t.Errorf("go test ran %s times, want %d; output:\n%s", got, tc.wantCalls, out)
			}
			if !strings.Contains(string(out), tc.wantOut) {
				t.Errorf("output lacks %q:\n%s", tc.wantOut, out)
			}
		})
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
