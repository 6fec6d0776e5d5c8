package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/check"
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
	// The shards stop at step 1000, long before hello exits: only part of its trace.
	code, _, stderr := cli(t, append([]string{"merge", "--json", out}, paths...)...)
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "the checked steps end at step 1000 and the guest had not exited there")
	code, stdout, stderr := cli(t, append([]string{"merge", "--allow-partial", "--json", out}, paths...)...)
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

// --range A:end: the shards of a range to the guest's exit tile [A, exit) and merge into
// one run over the same range, which ends with the guest's exit, so merge accepts it
// without --allow-partial.
func TestMergeShardsToExit(t *testing.T) {
	hello := guests.MustBuild(t, "hello")
	dir := t.TempDir()
	single := filepath.Join(dir, "single.json")
	code, _, stderr := cli(t, "run", hello, "--range", "455k:end", "--json", single, "--quiet", "--workers", "1")
	require.Equal(t, exitOK, code, stderr)
	want := readRunResult(t, single)
	require.True(t, want.Exited)
	require.Equal(t, uint64(455_000), want.FirstStep)
	require.Equal(t, want.LastStep, want.Range.End, "the range ends where the guest exited")
	require.True(t, want.Range.ToExit)
	require.EqualValues(t, want.LastStep-455_000, want.StepsChecked)

	var paths []string
	for _, shard := range []string{"0/3", "1/3", "2/3"} {
		p := filepath.Join(dir, "s"+shard[:1]+".json")
		code, _, stderr := cli(t, "run", hello, "--range", "455k:end", "--shard", shard, "--json", p, "--quiet", "--workers", "1")
		require.Equal(t, exitOK, code, stderr)
		paths = append(paths, p)
	}
	out := filepath.Join(dir, "merged.json")
	code, _, stderr = cli(t, append([]string{"merge", "--json", out}, paths...)...)
	require.Equal(t, exitOK, code, stderr)
	got := readRunResult(t, out)
	require.Equal(t, want.StepsChecked, got.StepsChecked)
	require.Equal(t, want.StepsRun, got.StepsRun)
	require.Equal(t, want.LastStep, got.LastStep)
	require.Equal(t, want.Classes, got.Classes)
	require.Equal(t, want.GasHistogram, got.GasHistogram)
	require.Equal(t, want.Range, got.Range, "the merged range runs to the exit too")
	require.True(t, got.Exited)
	// Without its last shard the merged range stops before the exit.
	code, _, stderr = cli(t, "merge", paths[0], paths[1])
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "the guest had not exited there")
}

func TestShardOfRangeBeyondExit(t *testing.T) {
	hello := guests.MustBuild(t, "hello")
	code, _, stderr := cli(t, "run", hello, "--range", "1G:end", "--shard", "0/2", "--quiet")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, stderr, "the guest's trace ends at step 459277, before the range starts")
}

func readRunResult(t *testing.T, path string) *check.RunResult {
	t.Helper()
	var r check.RunResult
	readJSON(t, path, &r)
	return &r
}
