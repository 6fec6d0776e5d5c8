package keccak

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// permute.go must be what gen.go writes today, so an edit to either cannot drift silently.
func TestGeneratedPermuteIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	// Opened here, not only by the child process, so that go test's cache sees gen.go change.
	_, err := os.ReadFile("gen.go")
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "permute.go")
	cmd := exec.Command("go", "run", "gen.go", "-o", out)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "go run gen.go: %s", msg)
	want, err := os.ReadFile(out)
	require.NoError(t, err)
	got, err := os.ReadFile("permute.go")
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "permute.go is stale: run go generate ./vm/internal/keccak")
}
