package corpus

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The committed JSON must be what the tables generate (run go run ./vectors/internal/corpus/gen).
func TestGeneratedFilesUpToDate(t *testing.T) {
	for name, bs := range Groups() {
		want, err := Render(bs)
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "vectors", "gen-"+name+".json"))
		require.NoError(t, err, "run go run ./vectors/internal/corpus/gen")
		require.Equal(t, string(want), string(got), "gen-%s.json is stale: run go run ./vectors/internal/corpus/gen", name)
	}
}

// Every generated exception names its kind, so a step failing for another reason fails.
func TestEveryExceptionNamesItsKind(t *testing.T) {
	for _, bs := range Groups() {
		_, err := Render(bs)
		require.NoError(t, err)
		for _, b := range bs {
			v := b.Vector()
			if v.Expect.Exception {
				require.NotEmpty(t, v.Expect.Fault, v.Name)
			}
		}
	}
}
