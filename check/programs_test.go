package check

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// fullCheckLimit is the length up to which a guest is checked at every step; longer guests
// are sampled, with the first fullWindow steps (runtime start-up, the first clones and the
// first forced preemption at step 100 000) checked in full.
const (
	fullCheckLimit = 2_000_000
	fullWindow     = 250_000
)

// threadSwitchClasses are the classes whose steps change the running thread.
var threadSwitchClasses = []string{
	"sched/preempt", "sched/pop", "syscall/sched_yield", "syscall/nanosleep",
	"syscall/futex/wait", "syscall/futex/wake", "syscall/clone/ok",
}

// neverExit are the guests that run forever by design (testdata/programs/README.md): the
// Go-only run that learns a guest's length would not return.
var neverExit = map[string]bool{"deadlock": true, "livelock": true}

// TestPrograms runs every guest program of testdata/programs through both implementations.
func TestPrograms(t *testing.T) {
	root, err := guests.RepoRoot()
	require.NoError(t, err)
	entries, err := os.ReadDir(filepath.Join(root, "testdata", "programs"))
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "bin" && !neverExit[e.Name()] {
			names = append(names, e.Name())
		}
	}
	require.NotEmpty(t, names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			elf := guestELF(t, name)
			var pre *fpvm.PreimageMap
			if path := filepath.Join(root, "testdata", "programs", name, "preimages.json"); fileExists(path) {
				pre, err = fpvm.ReadPreimageFile(path)
				require.NoError(t, err)
			}
			steps, threads := goOnlyRun(t, elf, pre)
			cfg := RunConfig{ELF: elf, Program: name, Preimages: pre, Workers: 2, BundleDir: t.TempDir()}
			if steps > fullCheckLimit {
				cfg.Mode, cfg.SampleEvery = CheckSample, 5000
				cfg.Window = StepRange{Start: 0, End: fullWindow, Set: true}
			}
			if testing.Short() {
				cfg.MaxSteps = 20_000
			}
			res, err := Run(cfg)
			require.NoError(t, err)
			if res.Diverged() {
				t.Fatalf("divergence, bundle %s: %v", res.BundlePath, res.Divergence.Mismatches)
			}
			require.Empty(t, res.GoFault)
			t.Logf("%s: %d steps, %d checked (%s), gas median %d, %.0f checked steps/s", name,
				res.StepsRun, res.StepsChecked, res.Mode, res.Gas.Median, float64(res.StepsChecked)/res.Duration.Seconds())
			if testing.Short() {
				return
			}
			require.True(t, res.Exited, "ran to completion")
			require.Equal(t, steps, res.StepsRun)
			if threads > 1 {
				var switches uint64
				for _, c := range threadSwitchClasses {
					if cs := res.Classes[c]; cs != nil {
						switches += cs.Checked
					}
				}
				require.NotZero(t, switches, "a multithreaded guest must have checked thread switches")
			}
			if name == "preimage" {
				for _, kt := range []string{"type1", "type2", "type4"} {
					require.NotZero(t, res.PreimageReads[kt], "checked pre-image reads of %s", kt)
				}
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// goOnlyRun runs the guest on the Go VM alone to learn its length and thread count.
func goOnlyRun(t *testing.T, elf []byte, pre *fpvm.PreimageMap) (steps, threads uint64) {
	t.Helper()
	st, err := fpvm.Load(elf)
	require.NoError(t, err)
	var oracle fpvm.PreimageOracle = fpvm.NewPreimageMap()
	if pre != nil {
		oracle = pre
	}
	res, err := fpvm.New(st, oracle, nil, nil).Run(math.MaxUint64)
	require.NoError(t, err)
	require.True(t, res.Exited)
	return res.Steps, st.NextThreadID
}
