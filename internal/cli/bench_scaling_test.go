package cli

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWorkerCounts(t *testing.T) {
	for cores, want := range map[int][]int{1: {1}, 2: {1, 2}, 6: {1, 2, 4, 6}, 16: {1, 2, 4, 8, 16}} {
		require.Equal(t, want, workerCounts(cores), "cores %d", cores)
	}
}

// The CI projection by hand: 128 jobs share 439,222,866 steps (3,431,428.6 each); the last
// job runs the whole trace once to find its end (14.641 s at 30M steps/s) and fast-forwards
// over the 127 parts before its own (14.526 s), then checks its part at 10,000 steps/s
// (343.143 s): 372.31 s.
func TestCIProjection(t *testing.T) {
	p := scalingProjection{TraceSteps: opProgramTraceSteps, CICheckedPerSecJob: 10_000}
	total, ff := ciSeconds(p, 30e6, 128)
	require.InDelta(t, 29.167, ff, 0.001)
	require.InDelta(t, 372.31, total, 0.01)

	r := &scalingBench{FastForwardStepsPerSecond: 30e6, FastForwardStepsPerCPUSecond: 30e6, Points: []scalingPoint{
		{endToEndBench: endToEndBench{Workers: 1, StepsPerSecond: 5_000, CPUMicrosPerStep: 200}},
		{endToEndBench: endToEndBench{Workers: 2, StepsPerSecond: 8_000, CPUMicrosPerStep: 200}},
	}}
	r.project()
	require.Equal(t, 8_000.0, r.Projection.CICheckedPerSecJob)
	require.InDelta(t, float64(opProgramTraceSteps)/8_000, r.Projection.OneMachineSeconds, 1e-6)
	// From CPU: 2 workers at 200 us each are 10,000 steps/s.
	require.Equal(t, 10_000.0, r.CPUProjection.CICheckedPerSecJob)
	// 15 minutes: the smallest job count whose last job finishes within 900 s.
	j := r.CPUProjection.CIJobsFor15Minutes
	require.Positive(t, j)
	s, _ := ciSeconds(r.CPUProjection, 30e6, j)
	prev, _ := ciSeconds(r.CPUProjection, 30e6, j-1)
	require.True(t, s <= 900 && prev > 900 && !math.IsNaN(s), "jobs %d: %v s, %d jobs: %v s", j, s, j-1, prev)
}
