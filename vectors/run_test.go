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

// TestCorpusTamper forges the witness of every vector as written (check.Tamper): the
// contract must reject each proof word a step relies on, with that witness's revert reason,
// and return the honest post-state when the forged word is one the step does not use.
func TestCorpusTamper(t *testing.T) {
	vs, err := Load("../testdata/vectors")
	require.NoError(t, err)
	r := newRunner(t, 0)
	r.Tamper = true
	forged := 0
	for _, v := range vs {
		results, err := r.Run(v)
		require.NoError(t, err)
		res := results[0]
		forged += res.Forgeries
		if !res.Pass() {
			t.Errorf("%s (%s):\n  %s", res.Name, res.File, joinLines(res.Failures))
		}
	}
	require.Greater(t, forged, 50_000)
}
