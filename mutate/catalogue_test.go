package mutate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// repoRoot is the repository root seen from this package's directory.
const repoRoot = ".."

// TestCatalogueMatchesSources keeps the catalogue from rotting: an edit to the VM or the
// contract that removes or duplicates a mutant's snippet fails here, not silently in
// `make mutate`.
func TestCatalogueMatchesSources(t *testing.T) {
	require.NoError(t, Validate(Catalogue))
	for _, m := range Catalogue {
		t.Run(m.ID, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(repoRoot, m.File))
			require.NoError(t, err)
			require.Equal(t, 1, strings.Count(string(raw), m.Original),
				"snippet of %s must occur exactly once in %s", m.ID, m.File)
		})
	}
}

// TestCatalogueSize keeps the spread the issue asks for.
func TestCatalogueSize(t *testing.T) {
	require.GreaterOrEqual(t, len(Catalogue), 60)
	sides := map[Side]int{}
	areas := map[string]int{}
	for _, m := range Catalogue {
		sides[m.Side]++
		areas[m.Area]++
	}
	require.GreaterOrEqual(t, sides[SideGo], 20)
	require.GreaterOrEqual(t, sides[SideSol], 20)
	for _, a := range []string{"instructions", "syscalls", "scheduler", "memory", "encoding", "oracle"} {
		require.Positive(t, areas[a], "area %s has no mutant", a)
	}
}
