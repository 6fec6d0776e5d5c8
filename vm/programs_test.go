package vm_test

// Whole guest programs must behave under our VM as under an independent oracle:
// qemu-mips64 (QEMU's MIPS64 user-mode emulator) for ordinary programs, and a hand-written
// expected output for the pre-image program, which needs the VM's oracle file descriptors.

import (
	"bytes"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// guestRun is what one execution of a guest produced.
type guestRun struct {
	stdout, stderr []byte
	exitCode       int
	state          *vm.State // VM runs only
}

// runInVM loads the ELF, runs it to completion and returns its output and final state.
func runInVM(t *testing.T, elfPath string, oracle vm.PreimageOracle) guestRun {
	t.Helper()
	file, err := os.ReadFile(elfPath)
	require.NoError(t, err)
	state, err := vm.Load(file)
	require.NoError(t, err)
	var stdout, stderr bytes.Buffer
	machine := vm.New(state, oracle, &stdout, &stderr)
	start := time.Now()
	res, err := machine.Run(math.MaxUint64)
	require.NoError(t, err, "guest stdout so far:\n%s\nstderr:\n%s", stdout.Bytes(), stderr.Bytes())
	require.True(t, res.Exited, "Run returned without the guest exiting")
	t.Logf("%s: %d steps, %d threads created, %d pages, %.1fM steps/s", filepath.Base(elfPath),
		state.Step, state.NextThreadID, state.Memory.PageCount(),
		float64(state.Step)/time.Since(start).Seconds()/1e6)
	return guestRun{stdout: stdout.Bytes(), stderr: stderr.Bytes(), exitCode: int(res.ExitCode), state: state}
}

// runInQemu runs the ELF under qemu-mips64. A missing qemu fails the test: it is part of
// the toolchain that `make deps` installs, and skipping would hide the comparison.
func runInQemu(t *testing.T, elfPath string) guestRun {
	t.Helper()
	qemu, err := exec.LookPath("qemu-mips64")
	if err != nil {
		t.Fatalf("qemu-mips64 not found (%v): run `make deps` to install qemu-user", err)
	}
	cmd := exec.Command(qemu, elfPath)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
		require.GreaterOrEqual(t, code, 0, "qemu-mips64 killed by a signal: %v\nstderr:\n%s", err, stderr.Bytes())
	} else {
		require.NoError(t, err)
	}
	return guestRun{stdout: stdout.Bytes(), stderr: stderr.Bytes(), exitCode: code}
}

func TestProgramsMatchQemu(t *testing.T) {
	tests := []struct {
		name         string
		wantExitCode int  // hand-written: what the program's source says it exits with
		sameStderr   bool // stderr is deterministic and must match too
		minSteps     uint64
		minThreads   uint64 // lower bound for NextThreadID
	}{
		{name: "hello", wantExitCode: 0, sameStderr: true},
		{name: "exitcode", wantExitCode: 7, sameStderr: true},
		{name: "mt", wantExitCode: 0, sameStderr: true, minSteps: 20_000_000, minThreads: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			elfPath := guests.MustBuild(t, tc.name)
			want := runInQemu(t, elfPath)
			require.Equal(t, tc.wantExitCode, want.exitCode, "qemu exit code; qemu stderr:\n%s", want.stderr)
			require.NotEmpty(t, want.stdout, "the program prints to stdout under qemu")

			got := runInVM(t, elfPath, nil)
			require.Equal(t, string(want.stdout), string(got.stdout), "stdout")
			if tc.sameStderr {
				require.Equal(t, string(want.stderr), string(got.stderr), "stderr")
			}
			require.Equal(t, want.exitCode, got.exitCode, "exit code")
			require.GreaterOrEqual(t, got.state.Step, tc.minSteps, "steps")
			require.GreaterOrEqual(t, got.state.NextThreadID, tc.minThreads, "threads created (NextThreadID)")
		})
	}
}

func TestPreimageProgramMatchesExpected(t *testing.T) {
	elfPath := guests.MustBuild(t, "preimage")
	dir := filepath.Join("..", "testdata", "programs", "preimage")
	oracle, err := vm.ReadPreimageFile(filepath.Join(dir, "preimages.json"))
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join(dir, "expected.txt"))
	require.NoError(t, err)

	got := runInVM(t, elfPath, oracle)
	require.Equal(t, string(want), string(got.stdout), "stdout")
	require.Equal(t, 0, got.exitCode, "exit code; stderr:\n%s", got.stderr)
	require.Equal(t, [][]byte{[]byte(preimageHint)}, oracle.Hints, "hints received by the oracle")
}

// preimageHint is the hint the preimage program sends (see its main.go).
const preimageHint = "fpvmdiff-hint l1-block 0x2a"
