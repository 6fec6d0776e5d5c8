package mutate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestApply(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    string
		wantErr bool
	}{
		{name: "exactly once", src: "a := x & 31\n", want: "a := x & 63\n"},
		{name: "missing", src: "a := x & 7\n", want: "a := x & 7\n", wantErr: true},
		{name: "ambiguous", src: "x & 31; x & 31\n", want: "x & 31; x & 31\n", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.go")
			require.NoError(t, os.WriteFile(path, []byte(tc.src), 0o644))
			err := Apply(dir, Mutant{ID: "m", File: "f.go", Original: "x & 31", Replacement: "x & 63"})
			if tc.wantErr {
				require.ErrorIs(t, err, ErrSnippet)
			} else {
				require.NoError(t, err)
			}
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, tc.want, string(got))
		})
	}
}

// TestApplyDoesNotWriteThroughLinks: a hard link to the mutated file keeps the original
// content, so a linked copy of the repository could never leak a mutant.
func TestApplyDoesNotWriteThroughLinks(t *testing.T) {
	dir := t.TempDir()
	orig := filepath.Join(dir, "orig.go")
	require.NoError(t, os.WriteFile(orig, []byte("v := a + 1\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "copy"), 0o755))
	require.NoError(t, os.Link(orig, filepath.Join(dir, "copy", "orig.go")))
	require.NoError(t, Apply(filepath.Join(dir, "copy"), Mutant{ID: "m", File: "orig.go", Original: "+ 1", Replacement: "+ 2"}))
	got, err := os.ReadFile(orig)
	require.NoError(t, err)
	require.Equal(t, "v := a + 1\n", string(got))
}

func TestValidate(t *testing.T) {
	ok := Mutant{ID: "a", Side: SideGo, Area: "memory", File: "f", Original: "x", Replacement: "y", Description: "d"}
	dup, badSide, same := ok, ok, ok
	badSide.Side = "rust"
	same.Replacement = same.Original
	require.NoError(t, Validate([]Mutant{ok}))
	require.Error(t, Validate([]Mutant{ok, dup}))
	require.Error(t, Validate([]Mutant{badSide}))
	require.Error(t, Validate([]Mutant{same}))
}

func TestSummarize(t *testing.T) {
	g := func(id string) Mutant { return Mutant{ID: id, Side: SideGo} }
	rs := []Result{
		{Mutant: g("a"), Diff: Killed, Unit: Survived},
		{Mutant: g("b"), Diff: Killed, Unit: Killed},
		{Mutant: g("c"), Diff: Survived, Unit: Killed},
		{Mutant: g("d"), Diff: Stillborn, Unit: NotRun},
		{Mutant: Mutant{ID: "e", Side: SideSol}, Diff: Killed, Unit: NotRun},
	}
	s := Summarize(rs)
	require.Equal(t, Rates{Total: 4, Stillborn: 1, DiffKilled: 2, UnitRun: 3, UnitKilled: 2, DiffOnly: 1, UnitOnly: 1}, s["go"])
	require.Equal(t, 3, s["go"].Live())
	require.Equal(t, Rates{Total: 1, DiffKilled: 1}, s["sol"])
	require.Equal(t, 5, s["all"].Total)
}
