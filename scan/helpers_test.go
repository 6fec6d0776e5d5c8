package scan

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// buildUnsupportedELF assembles and links testdata/scan/unsupported.S. Missing binutils
// fail the test: they are part of what `make deps` installs.
func buildUnsupportedELF(t *testing.T) string {
	t.Helper()
	var tools [2]string
	for i, name := range []string{"mips64-linux-gnuabi64-as", "mips64-linux-gnuabi64-ld"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("%s not found (%v): run `make deps`", name, err)
		}
		tools[i] = p
	}
	root, err := guests.RepoRoot()
	require.NoError(t, err)
	dir := t.TempDir()
	obj, elf := filepath.Join(dir, "unsupported.o"), filepath.Join(dir, "unsupported.elf")
	out, err := exec.Command(tools[0], "-EB", "-mabi=64", "-march=mips64r2", "-o", obj, filepath.Join(root, "testdata", "scan", "unsupported.S")).CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(tools[1], "-static", "-nostdlib", "-e", "__start", "-o", elf, obj).CombinedOutput()
	require.NoError(t, err, "%s", out)
	return elf
}
