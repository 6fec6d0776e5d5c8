package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// buildBinary builds the fpvmdiff command, for tests that signal a real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	root, err := guests.RepoRoot()
	require.NoError(t, err)
	bin := filepath.Join(t.TempDir(), "fpvmdiff")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/fpvmdiff")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// startRun starts bin with args; its stderr collects in the returned buffer.
func startRun(t *testing.T, bin string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, &stderr
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

// SIGTERM to a real `fpvmdiff run` stops it with its summary so far (stderr, --json,
// --junit) and exit 130; --resume continues it, and the continuation, alone or merged with
// the interrupted part, equals the run nobody interrupted.
func TestRunInterruptedBySignalAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs about 80k checked steps three times")
	}
	bin := buildBinary(t)
	hello := guests.MustBuild(t, "hello")
	dir := t.TempDir()
	// One worker: ~80k checked steps take several seconds on any machine, so the signal
	// arrives mid-run.
	args := []string{"run", hello, "--range", "380k:end", "--workers", "1", "--quiet"}
	path := func(name string) string { return filepath.Join(dir, name) }

	cmd, stderr := startRun(t, bin, append(args, "--json", path("part.json"), "--junit", path("part.xml"))...)
	time.Sleep(2 * time.Second)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitInterrupted, exitCode(t, cmd.Wait()), stderr.String())
	require.Contains(t, stderr.String(), "terminated: stopping after the steps already handed")
	require.Contains(t, stderr.String(), "steps run")
	require.Contains(t, stderr.String(), "INTERRUPTED before step")
	part := readRunResult(t, path("part.json"))
	require.True(t, part.Interrupted)
	require.NotNil(t, part.LastCheckedInOrder)
	require.Equal(t, part.LastStep-1, *part.LastCheckedInOrder)
	require.Equal(t, part.LastStep-part.FirstStep, part.StepsChecked, "every step before the last one checked")
	xml, err := os.ReadFile(path("part.xml"))
	require.NoError(t, err)
	require.Contains(t, string(xml), `errors="1"`)
	require.Contains(t, string(xml), `<error message="interrupted`)

	code, _, errText := cli(t, "run", hello, "--resume", path("part.json"), "--workers", "1", "--quiet", "--json", path("rest.json"))
	require.Equal(t, exitOK, code, errText)
	code, _, errText = cli(t, append(args, "--json", path("whole.json"))...)
	require.Equal(t, exitOK, code, errText)
	whole, rest := readRunResult(t, path("whole.json")), readRunResult(t, path("rest.json"))
	requireSameTrace(t, whole, rest)
	require.Equal(t, part.LastStep, *rest.ResumedAt)

	code, _, errText = cli(t, "merge", "--json", path("merged.json"), path("part.json"), path("rest.json"))
	require.Equal(t, exitOK, code, errText)
	requireSameTrace(t, whole, readRunResult(t, path("merged.json")))
	code, _, errText = cli(t, "merge", path("part.json"))
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errText, "was interrupted at step")
}

func requireSameTrace(t *testing.T, want, got *check.RunResult) {
	t.Helper()
	require.Equal(t, want.FirstStep, got.FirstStep)
	require.Equal(t, want.LastStep, got.LastStep)
	require.Equal(t, want.StepsRun, got.StepsRun)
	require.Equal(t, want.StepsChecked, got.StepsChecked)
	require.Equal(t, want.Classes, got.Classes)
	require.Equal(t, want.PreimageReads, got.PreimageReads)
	require.Equal(t, want.GasHistogram, got.GasHistogram)
	require.Equal(t, want.Gas, got.Gas)
	require.Equal(t, want.Exited, got.Exited)
	require.Equal(t, want.Range, got.Range)
	require.False(t, got.Interrupted)
}

// A second signal kills at once, even while the run cannot stop yet (here: fast-forwarding
// to its range without checks, which runs to the range's start before it looks at a stop).
func TestRunSecondSignalKills(t *testing.T) {
	bin := buildBinary(t)
	mt := guests.MustBuild(t, "mt")
	cmd, stderr := startRun(t, bin, "run", mt, "--range", "80M:end", "--workers", "1", "--quiet")
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	err := cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, stderr.String())
	ws := ee.Sys().(syscall.WaitStatus)
	require.True(t, ws.Signaled(), "killed by the signal, not exited (%v): %s", err, stderr.String())
	require.Equal(t, syscall.SIGTERM, ws.Signal())
	require.True(t, strings.Contains(stderr.String(), "a second signal kills"), stderr.String())
}
