package cli

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

func TestPipelineBenchSmall(t *testing.T) {
	hello, mt := guests.MustBuild(t, "hello"), guests.MustBuild(t, "mt")
	jsonPath := filepath.Join(t.TempDir(), "bench.json")
	code, stdout, stderr := cli(t, "bench", "--hello", hello, "--mt", mt, "--runs", "1", "--witness-steps", "1k",
		"--verify-steps", "200", "--window", "300", "--mt-from", "10k", "--rss-steps", "2000", "--workers", "2", "--json", jsonPath)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "EVM verification per step, 2 worker(s)")
	require.Contains(t, stdout, "end-to-end mt.elf 10000:10300, 2 workers")

	var res pipelineBench
	readJSON(t, jsonPath, &res)
	require.Len(t, res.Verify, 2)
	require.Equal(t, 1, res.Verify[0].Workers)
	require.Equal(t, 200, res.Verify[1].Steps)
	require.Greater(t, res.Verify[0].CPUMicrosPerStep, 0.0)
	require.Len(t, res.EndToEnd, 2)
	for _, b := range res.EndToEnd {
		require.Equal(t, uint64(300), b.StepsChecked, b.Program)
		require.Greater(t, b.StepsPerSecond, 0.0)
	}
	require.Len(t, res.Memory, 2)
	require.Equal(t, uint64(200), res.Memory[0].StepsChecked, "--rss-steps/10")
	require.Equal(t, uint64(2000), res.Memory[1].StepsChecked)
	require.Greater(t, res.Memory[1].PeakRSSBytes, uint64(1<<20))
	require.NotNil(t, res.Gas)
	require.Equal(t, uint64(2000), res.Gas.Count)
	require.Greater(t, res.Gas.Median, uint64(0))
}

func TestPipelineBenchUsageErrors(t *testing.T) {
	for _, c := range []struct{ args []string }{
		{[]string{"bench", "--workers", "0"}},
		{[]string{"bench", "--hello", "/nonexistent.elf"}},
		{[]string{"bench", "--verify-steps", "0"}},
	} {
		code, _, stderr := cli(t, c.args...)
		require.Equal(t, exitUsage, code, c.args)
		requireOneLine(t, stderr)
	}
}
