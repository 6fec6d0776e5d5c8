package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// statsJSON is the --stats file as the tests read it: decoded generically, so a renamed
// field fails the test instead of silently reading zero.
type statsJSON struct {
	ELF      string         `json:"elf"`
	Outcome  string         `json:"outcome"`
	Stats    map[string]any `json:"stats"`
	Livelock map[string]any `json:"livelock"`
}

func readStats(t *testing.T, path string) statsJSON {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var s statsJSON
	require.NoError(t, json.Unmarshal(b, &s))
	return s
}

func TestRunLivelockWindowStopsALoop(t *testing.T) {
	elf := tinyELF(t, insnLoop, insnNop) // branches to itself: nothing but register work
	dir := t.TempDir()
	statsPath := filepath.Join(dir, "stats.json")
	sumPath := filepath.Join(dir, "sum.json")
	code, _, stderr := cli(t, "vm", "run", elf, "--livelock-window", "1k", "--stats", statsPath, "--json", sumPath)
	require.Equal(t, exitLivelock, code, stderr)
	require.Contains(t, stderr, "livelock: no thread made progress for 1000 steps")
	require.Contains(t, stderr, "thread 0: 1000 steps")

	sum := readSummary(t, sumPath)
	require.Equal(t, outcomeLivelock, sum.Outcome)
	require.Equal(t, uint64(1000), sum.Steps)
	require.Equal(t, exitLivelock, sum.ProcessExit)

	st := readStats(t, statsPath)
	require.Equal(t, outcomeLivelock, st.Outcome)
	require.NotNil(t, st.Livelock)
	require.EqualValues(t, 1000, st.Livelock["window"])
	require.EqualValues(t, 0, st.Livelock["last_progress_step"])
	require.EqualValues(t, 1000, st.Livelock["stopped_at_step"])
	require.EqualValues(t, 1000, st.Stats["steps"])

	// Progress lines split the run into slices; the window spans them.
	code, _, stderr = cli(t, "vm", "run", elf, "--livelock-window", "1k", "--info-every", "300", "--max-steps", "5k", "--json", sumPath)
	require.Equal(t, exitLivelock, code, stderr)
	require.Equal(t, uint64(1000), readSummary(t, sumPath).Steps)
}

func TestRunStatsOfHello(t *testing.T) {
	elf := guests.MustBuild(t, "hello")
	dir := t.TempDir()
	statsPath := filepath.Join(dir, "stats.json")
	sumPath := filepath.Join(dir, "sum.json")
	code, _, stderr := cli(t, "vm", "run", elf, "--stats", statsPath, "--json", sumPath, "--livelock-window", "20M")
	require.Equal(t, exitOK, code, stderr)
	sum := readSummary(t, sumPath)
	st := readStats(t, statsPath)
	require.Equal(t, outcomeExited, st.Outcome)
	require.Nil(t, st.Livelock, "no livelock section when none happened")
	require.EqualValues(t, sum.Steps, st.Stats["steps"])
	require.EqualValues(t, sum.Pages, st.Stats["pages"])
	total := st.Stats["total"].(map[string]any)
	require.EqualValues(t, sum.Steps, total["steps"], "every step belongs to a thread")
	threads := st.Stats["threads"].([]any)
	// The Go runtime starts threads even for hello; each one seen has a record.
	require.EqualValues(t, sum.ThreadsCreated, len(threads))
	require.EqualValues(t, sum.ThreadsCreated-1, st.Stats["threads_created"], "thread 0 is loaded, not cloned")
	for _, key := range []string{"forced_preemptions", "voluntary_preemptions", "futex_waits", "futex_waits_eagain",
		"futex_wakes", "sc_successes", "sc_failures", "longest_ll_to_sc_steps", "reservation_invalidations"} {
		require.Contains(t, total, key)
	}
	require.Positive(t, total["sc_successes"], "the runtime takes locks")
}

func TestRunStatsAfterAFault(t *testing.T) {
	elf := tinyELF(t, insnLoadV0Bad, insnSyscall)
	statsPath := filepath.Join(t.TempDir(), "stats.json")
	code, _, stderr := cli(t, "vm", "run", elf, "--stats", statsPath)
	require.Equal(t, exitFault, code, stderr)
	st := readStats(t, statsPath)
	require.Equal(t, outcomeFault, st.Outcome)
	require.EqualValues(t, 1, st.Stats["steps"], "the faulting step is not counted")
}

func TestRunLivelockWindowBadValue(t *testing.T) {
	elf := tinyELF(t, insnLoop, insnNop)
	code, _, stderr := cli(t, "vm", "run", elf, "--livelock-window", "soon")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "livelock-window")
}

func TestRunDeadlockGuestExits4(t *testing.T) {
	elf := guests.MustBuild(t, "deadlock")
	statsPath := filepath.Join(t.TempDir(), "stats.json")
	code, stdout, stderr := cli(t, "vm", "run", elf, "--livelock-window", "20M", "--stats", statsPath, "--max-steps", "200M")
	require.Equal(t, exitLivelock, code, stderr)
	require.Equal(t, "deadlock: each worker holds one lock and waits for the other's\n", stdout)
	require.Contains(t, stderr, "livelock: no thread made progress for 20000000 steps")
	require.NotContains(t, stderr, "--max-steps")
	st := readStats(t, statsPath)
	require.Equal(t, outcomeLivelock, st.Outcome)
	require.Positive(t, st.Stats["total"].(map[string]any)["futex_waits"])
}
