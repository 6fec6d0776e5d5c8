package vectors

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

func newRunner(t *testing.T, variants int) *Runner {
	t.Helper()
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	return &Runner{Session: s, Variants: variants, Seed: 1}
}

// TestCorpus runs every vector of testdata/vectors, with randomized variants, through both
// implementations.
func TestCorpus(t *testing.T) {
	vs, err := Load("../testdata/vectors")
	require.NoError(t, err)
	require.NotEmpty(t, vs)
	r := newRunner(t, 3)
	for _, v := range vs {
		results, err := r.Run(v)
		require.NoError(t, err)
		for _, res := range results {
			if !res.Pass() {
				t.Errorf("%s (%s) variant %d:\n  %s", res.Name, res.File, res.Variant, joinLines(res.Failures))
			}
		}
	}
}
