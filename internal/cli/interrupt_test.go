package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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

// syncBuffer is a child's stderr, read while the child writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until the child has written text, so that a signal arrives at a known
// point of the run however loaded the machine is.
func (b *syncBuffer) waitFor(t *testing.T, text string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(b.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q from the child within %v; stderr so far:\n%s", text, timeout, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startRun starts bin with args; its stderr collects in the returned buffer.
func startRun(t *testing.T, bin string, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, stderr
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
	// One worker: ~160k checked steps take well over the 10 s after which the first
	// progress line appears, so the signal arrives mid-run.
	args := []string{"run", hello, "--range", "300k:end", "--workers", "1"}
	path := func(name string) string { return filepath.Join(dir, name) }

	cmd, stderr := startRun(t, bin, append(args, "--json", path("part.json"), "--junit", path("part.xml"))...)
	stderr.waitFor(t, "checked steps/s", 5*time.Minute)
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

	// The worker count does not change a result: the rest and the reference run use them all.
	code, _, errText := cli(t, "run", hello, "--resume", path("part.json"), "--quiet", "--json", path("rest.json"))
	require.Equal(t, exitOK, code, errText)
	code, _, errText = cli(t, "run", hello, "--range", "300k:end", "--quiet", "--json", path("whole.json"))
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
// ~60M steps to its shard without checks, which runs to the shard's start before it looks
// at a stop).
func TestRunSecondSignalKills(t *testing.T) {
	bin := buildBinary(t)
	mt := guests.MustBuild(t, "mt")
	cmd, stderr := startRun(t, bin, "run", mt, "--range", "0:end", "--shard", "3/4", "--workers", "1")
	// Printed once the trace's end is known, just before the fast-forward starts.
	stderr.waitFor(t, "the guest's trace ends at step", 5*time.Minute)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	stderr.waitFor(t, "a second signal kills", time.Minute)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	err := cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, stderr.String())
	ws := ee.Sys().(syscall.WaitStatus)
	require.True(t, ws.Signaled(), "killed by the signal, not exited (%v): %s", err, stderr.String())
	require.Equal(t, syscall.SIGTERM, ws.Signal())
	require.True(t, strings.Contains(stderr.String(), "a second signal kills"), stderr.String())
}
