package check

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// tamperGuestKinds are the memory-reading step kinds the guests must have had tampered
// between them (the vector corpus covers the rest, getrandom among them).
var tamperGuestKinds = []string{"load", "store", "ll", "lld", "sc", "scd", "futex-wait", "preimage-key-write", "preimage-read", "clock_gettime"}

// TestTamperGuests runs tamper mode over a window of each guest — the first 2000 steps in
// full — and over a sample of the rest that checks every behaviour class twice, so that
// the rare memory-reading kinds (futex wait, pre-image reads and key writes, clock_gettime)
// are forged too. The honest contract must reject every forged used word.
func TestTamperGuests(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three guests to completion")
	}
	root, err := guests.RepoRoot()
	require.NoError(t, err)
	kinds := map[string]uint64{}
	for _, name := range []string{"hello", "mt", "preimage"} {
		t.Run(name, func(t *testing.T) {
			elf := guestELF(t, name)
			var pre *fpvm.PreimageMap
			if path := filepath.Join(root, "testdata", "programs", name, "preimages.json"); fileExists(path) {
				pre, err = fpvm.ReadPreimageFile(path)
				require.NoError(t, err)
			}
			cfg := RunConfig{ELF: elf, Program: name, Preimages: pre, Workers: 2, BundleDir: t.TempDir(),
				Mode: CheckSample, SampleK: 2, SampleEvery: 1 << 40,
				Window: StepRange{Start: 0, End: 2000, Set: true},
				Tamper: &TamperOptions{Words: 2, Seed: 7}}
			res, err := Run(cfg)
			require.NoError(t, err)
			require.False(t, res.Diverged(), "honest checking diverged")
			require.True(t, res.Exited)
			tp := res.Tamper
			require.NotNil(t, tp)
			var b strings.Builder
			FormatTamper(&b, tp)
			t.Logf("%s: %d steps checked, %s", name, res.StepsChecked, b.String())
			require.Zero(t, tp.Findings, "forged witnesses the honest contract got wrong:\n%s", b.String())
			require.Zero(t, tp.GoReplay, "forged witnesses the Go VM's stateless replay got wrong:\n%s", b.String())
			require.Equal(t, res.StepsChecked, tp.Steps, "every checked step was tampered")
			require.NotZero(t, tp.Rejected)
			for k, n := range tp.Kinds {
				kinds[k] += n
			}
		})
	}
	for _, k := range tamperGuestKinds {
		require.NotZero(t, kinds[k], "no guest step of kind %s was tampered", k)
	}
}
