package guests

import (
	"debug/elf"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBuildProducesBigEndianMIPS64(t *testing.T) {
	path := MustBuild(t, "hello")
	f, err := elf.Open(path)
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, elf.EM_MIPS, f.Machine)
	require.Equal(t, elf.ELFCLASS64, f.Class)
	require.Equal(t, elf.ELFDATA2MSB, f.Data)
}

func TestBuildSkipsFreshAndRebuildsStale(t *testing.T) {
	path := MustBuild(t, "hello")
	old := time.Now().Add(-time.Hour)
	future := time.Now().Add(time.Hour)

	// Newer than its sources: left alone.
	require.NoError(t, os.Chtimes(path, future, future))
	_, err := Build("hello")
	require.NoError(t, err)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.True(t, st.ModTime().Equal(future), "a fresh ELF must not be rebuilt")

	// Older than its sources: rebuilt.
	require.NoError(t, os.Chtimes(path, old, old))
	_, err = Build("hello")
	require.NoError(t, err)
	st, err = os.Stat(path)
	require.NoError(t, err)
	require.True(t, st.ModTime().After(old), "a stale ELF must be rebuilt")
}

func TestBuildRejectsBadNames(t *testing.T) {
	for _, name := range []string{"", "../hello", "hello/x", "no-such-guest"} {
		_, err := Build(name)
		require.Error(t, err, "name %q", name)
	}
}

func TestListHasEveryGuest(t *testing.T) {
	names, err := List()
	require.NoError(t, err)
	require.Subset(t, names, []string{"hello", "exitcode", "mt", "preimage"})
	require.NotContains(t, names, "bin")
}

func TestRepoRootHasPrograms(t *testing.T) {
	root, err := RepoRoot()
	require.NoError(t, err)
	require.DirExists(t, filepath.Join(root, "testdata", "programs", "hello"))
}
