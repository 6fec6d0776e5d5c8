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
		{Mutant: a, Diff: Killed, DiffBy: "vectors", Unit: Survived, Duration: 12 * time.Second},
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
