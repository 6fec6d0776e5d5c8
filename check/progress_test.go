package check

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRun_ReportsProgressWithTheEnd(t *testing.T) {
	var got []Progress
	res, err := Run(RunConfig{ELF: guestELF(t, "hello"), Range: StepRange{Start: 100, End: 400, Set: true}, MaxSteps: 350,
		Workers: 1, ProgressEvery: time.Nanosecond, Progress: func(p Progress) { got = append(got, p) }})
	require.NoError(t, err)
	require.False(t, res.Diverged())
	require.NotEmpty(t, got)
	last := got[len(got)-1]
	require.Equal(t, uint64(100), last.FirstStep)
	require.Equal(t, uint64(350), last.EndStep, "--max-steps 350 ends the run before the range's end 400")
	require.LessOrEqual(t, last.Step, uint64(350))
	require.Greater(t, last.Step, uint64(300))
	require.False(t, last.Diverged)
	for i := 1; i < len(got); i++ {
		require.GreaterOrEqual(t, got[i].Step, got[i-1].Step)
	}
}
