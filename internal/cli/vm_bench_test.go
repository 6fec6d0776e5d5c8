package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// TestMain lets the test binary stand in for fpvmdiff when `vm bench` starts its child
// `vm run` process through os.Executable.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestBenchSmall(t *testing.T) {
	elf := guests.MustBuild(t, "hello")
	jsonPath := filepath.Join(t.TempDir(), "bench.json")
	code, stdout, stderr := cli(t, "vm", "bench", elf, "--runs", "2", "--witness-from", "10k", "--witness-steps", "2k", "--json", jsonPath)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "witness per step (median of 2)")
	require.Contains(t, stdout, "peak RSS")

	var res benchResult
	readJSON(t, jsonPath, &res)
	require.Equal(t, 2, res.Speed.Runs)
	require.Greater(t, res.Speed.Steps, uint64(10_000))
	require.Greater(t, res.Speed.BestStepsPerSecond, 0.0)
	require.GreaterOrEqual(t, res.Speed.BestStepsPerSecond, res.Speed.MedianStepsPerSecond)
	require.Equal(t, uint64(10_000), res.Witness.FromStep)
	require.Equal(t, uint64(2_000), res.Witness.Steps)
	require.Equal(t, 2, res.Witness.Runs)
	require.Greater(t, res.Witness.BestMicrosPerStep, 0.0)
	require.GreaterOrEqual(t, res.Witness.MicrosPerStep, res.Witness.BestMicrosPerStep)
	require.Greater(t, res.Witness.CPUMicrosPerStep, 0.0)
	require.Greater(t, res.Speed.BestStepsPerCPUSecond, 0.0)
	require.NotNil(t, res.Memory)
	// A Go process that ran a guest has surely touched more than 1 MiB.
	require.Greater(t, res.Memory.PeakRSSBytes, uint64(1<<20))
	require.Greater(t, res.Machine.Cores, 0)
}

func TestBenchInputErrors(t *testing.T) {
	elf := guests.MustBuild(t, "hello")
	tests := []struct {
		name     string
		args     []string
		contains string
	}{
		{"missing ELF", []string{"vm", "bench", "/nonexistent.elf"}, "reading ELF"},
		{"zero runs", []string{"vm", "bench", elf, "--runs", "0"}, "--runs must be at least 1"},
		{"zero witness steps", []string{"vm", "bench", elf, "--witness-steps", "0"}, "--witness-steps"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := cli(t, tc.args...)
			require.Equal(t, exitUsage, code)
			requireOneLine(t, stderr, tc.contains)
		})
	}
	// A guest that exits before --witness-from is a run failure, reported on one line.
	code, _, stderr := cli(t, "vm", "bench", elf, "--runs", "1", "--witness-from", "1G", "--rss=false")
	require.Equal(t, exitFault, code)
	requireOneLine(t, stderr, "before --witness-from")
}
