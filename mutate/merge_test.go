package mutate

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMarkdownRoundTrip: the report is the store a later partial run merges into.
func TestMarkdownRoundTrip(t *testing.T) {
	a, b := Catalogue[0], Catalogue[len(Catalogue)-1]
	in := []Result{
		{Mutant: a, Diff: Killed, DiffBy: "vectors", Vectors: 3, Unit: Survived, Duration: 12 * time.Second},
		{Mutant: b, Diff: Survived, Unit: NotRun, Duration: 3 * time.Second},
	}
	var buf bytes.Buffer
	WriteMarkdown(&buf, Report{Results: in, Planned: 2, Command: "test"})
	got, err := ParseMarkdown(&buf)
	require.NoError(t, err)
	require.Equal(t, in, got)
}

func TestMerge(t *testing.T) {
	a, b, c := Catalogue[0], Catalogue[1], Catalogue[2]
	old := []Result{{Mutant: a, Diff: Killed}, {Mutant: b, Diff: Survived}}
	newer := []Result{{Mutant: b, Diff: Killed}, {Mutant: c, Diff: Stillborn}}
	got := Merge(old, newer)
	require.Equal(t, []Result{{Mutant: a, Diff: Killed}, {Mutant: b, Diff: Killed}, {Mutant: c, Diff: Stillborn}}, got)
}

// FailedVectors folds variants into their vector; a kill with one name rests on one vector.
func TestFailedVectorsAndSingleVectorKills(t *testing.T) {
	out := "FAIL srav-40#3 (testdata/vectors/x.json) [srav amt=32-62]\n  go vs evm: rd\n" +
		"FAIL srav-40 (testdata/vectors/x.json) [srav]\n" +
		"FAIL cls-srav-rs40-neg-dirty#1 (testdata/vectors/gen-classes.json) [srav]\n" +
		"fpvmdiff vectors: 12 vector run(s), 3 FAILED\n"
	require.Equal(t, []string{"srav-40", "cls-srav-rs40-neg-dirty"}, FailedVectors(out))
	require.Empty(t, FailedVectors("fpvmdiff vectors: 12 vector run(s), all passed\n"))

	a, b, c := Catalogue[0], Catalogue[1], Catalogue[2]
	sum := Summarize([]Result{
		{Mutant: a, Diff: Killed, DiffBy: "vectors", Vectors: 1},
		{Mutant: b, Diff: Killed, DiffBy: "vectors", Vectors: 4},
		{Mutant: c, Diff: Killed, DiffBy: "hello"},
	})["all"]
	require.Equal(t, 3, sum.DiffKilled)
	require.Equal(t, 2, sum.ByVectors)
	require.Equal(t, 1, sum.ByHello)
	require.Equal(t, 1, sum.SingleVector)
	require.Equal(t, 2, sum.VectorsCounted)
}
