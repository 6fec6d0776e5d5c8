package check

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// TestTamperGuests forges the witnesses of sampled steps of every guest (each behaviour
// class at least twice): the honest contract must reject every forged word a step relies on
// and ignore the others. Together the guests reach every kind of step that reads memory.
func TestTamperGuests(t *testing.T) {
	root, err := guests.RepoRoot()
	require.NoError(t, err)
	checked := map[string]bool{}
	for _, name := range []string{"hello", "mt", "preimage", "exitcode"} {
		t.Run(name, func(t *testing.T) {
			elf := guestELF(t, name)
			var pre *fpvm.PreimageMap
			if path := filepath.Join(root, "testdata", "programs", name, "preimages.json"); fileExists(path) {
				pre, err = fpvm.ReadPreimageFile(path)
				require.NoError(t, err)
			}
			res, err := Run(RunConfig{ELF: elf, Program: name, Preimages: pre, Workers: 2, BundleDir: t.TempDir(),
				Mode: CheckSample, SampleK: 2, SampleEvery: 1 << 40, MaxSteps: 2_000_000, Tamper: true})
			require.NoError(t, err)
			if res.Diverged() {
				var b strings.Builder
				FormatBundle(&b, res.Divergence)
				t.Fatalf("forged witness accepted or honest divergence:\n%s", b.String())
			}
			require.Positive(t, res.Forgeries)
			for c, s := range res.Classes {
				if s.Checked > 0 {
					checked[c] = true
				}
			}
		})
	}
	for _, want := range []string{"ld", "lw", "sd", "sb", "ll", "lld", "syscall/futex/wait", "syscall/clock_gettime/clk1",
		"syscall/read/fd5", "syscall/write/fd6"} {
		require.True(t, checked[want], "no guest step of class %s had its witness forged", want)
	}
}
