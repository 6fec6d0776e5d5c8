package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// The hello guest, cut into three shards and merged, gives one run's counts.
func TestMergeShardsOfHello(t *testing.T) {
	hello := guests.MustBuild(t, "hello")
	dir := t.TempDir()
	var paths []string
	for _, shard := range []string{"0/3", "1/3", "2/3"} {
		p := filepath.Join(dir, "s"+shard[:1]+".json")
		code, _, stderr := cli(t, "run", hello, "--range", "100:1000", "--shard", shard, "--json", p, "--quiet", "--workers", "1")
		require.Equal(t, exitOK, code, stderr)
		paths = append(paths, p)
	}
	out := filepath.Join(dir, "merged.json")
	code, stdout, stderr := cli(t, append([]string{"merge", "--json", out}, paths...)...)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "steps checked  900 (mode all")
	require.Contains(t, stdout, "merged         3 shards covering steps 100:1000")
	var merged map[string]any
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &merged))
	require.EqualValues(t, 1000, merged["steps_run"], "100 fast-forwarded + 900 checked")
	require.EqualValues(t, 900, merged["steps_checked"])

	// A missing shard is a gap, named.
	code, _, stderr = cli(t, "merge", paths[0], paths[2])
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "no shard covers steps 400:700")
	// The same shard twice overlaps.
	code, _, stderr = cli(t, "merge", paths[0], paths[1], paths[1], paths[2])
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "overlap")
}

func TestMergeDivergedShardExitsOne(t *testing.T) {
	dir := t.TempDir()
	guest := exitGuest(t)
	contract := writeFile(t, "liar.hex", alwaysInvalid+"\n")
	p := filepath.Join(dir, "s.json")
	code, _, stderr := cli(t, "run", guest, "--contract", contract, "--bundle-dir", dir, "--json", p, "--quiet")
	require.Equal(t, exitDivergence, code, stderr)
	code, stdout, stderr := cli(t, "merge", p)
	require.Equal(t, exitDivergence, code, stderr)
	require.Contains(t, stdout, "DIVERGENCE at step 0")
}

func TestMergeUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"nothing", []string{"merge"}, "want SUMMARY.json"},
		{"missing", []string{"merge", "/nonexistent.json"}, "reading summary"},
		{"not JSON", []string{"merge", writeFile(t, "x.json", "nope")}, "not a 'fpvmdiff run --json' summary"},
		{"other JSON", []string{"merge", writeFile(t, "y.json", `{"elf":"a"}`)}, "no program or mode"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := cli(t, c.args...)
			require.Equal(t, exitUsage, code)
			requireOneLine(t, stderr, c.want)
		})
	}
}
