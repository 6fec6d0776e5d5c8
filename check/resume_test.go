package check

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// interruptAt makes the run stop as on SIGTERM once step at is reached. The interrupt
// channel is closed as the signal handler closes it, and the run's stop flag is also set at
// once, since the watcher sets it only a moment later: a sampling producer runs thousands
// of steps in that moment and can reach the exit first. With one producer the trigger is
// the producer's own progress (every step); otherwise the workers' post-state hook, as the
// producers stop only at chunk boundaries anyway.
func interruptAt(cfg *RunConfig, at uint64) {
	ch := make(chan struct{})
	var once sync.Once
	halt := &atomic.Bool{}
	cfg.Interrupt, cfg.halt = ch, halt
	stop := func(step uint64) {
		if step >= at {
			halt.Store(true)
			once.Do(func() { close(ch) })
		}
	}
	if cfg.producers() == 1 {
		cfg.ProgressEvery = time.Nanosecond
		cfg.Progress = func(p Progress) { stop(p.Step) }
	} else {
		cfg.GoPostHook = func(step uint64, _ []byte) { stop(step) }
	}
}

// roundTrip passes a result through its JSON form, as --json and --resume do.
func roundTrip(t *testing.T, r *RunResult) *RunResult {
	t.Helper()
	data, err := json.Marshal(r)
	require.NoError(t, err)
	var out RunResult
	require.NoError(t, json.Unmarshal(data, &out))
	return &out
}

// requireSameRun compares what a run reports about the trace, not how it ran.
func requireSameRun(t *testing.T, want, got *RunResult) {
	t.Helper()
	require.Equal(t, want.FirstStep, got.FirstStep, "first step")
	require.Equal(t, want.LastStep, got.LastStep, "last step")
	require.Equal(t, want.StepsRun, got.StepsRun, "steps run")
	require.Equal(t, want.StepsFastForwarded, got.StepsFastForwarded, "steps fast-forwarded")
	require.Equal(t, want.StepsChecked, got.StepsChecked, "steps checked")
	require.Equal(t, want.Classes, got.Classes, "classes")
	require.Equal(t, want.PreimageReads, got.PreimageReads, "pre-image reads")
	require.Equal(t, want.GasHistogram, got.GasHistogram, "gas histogram")
	require.Equal(t, want.Gas, got.Gas, "gas")
	require.Equal(t, want.Exited, got.Exited, "exited")
	require.Equal(t, want.Range, got.Range, "range")
	require.False(t, got.Interrupted)
}

// A run interrupted part way and resumed from its summary gives the uninterrupted run's
// result, and merges with its continuation into it: for one producer, several producers
// (chunks finish before they stop), and sampling (whose choices depend on the counts so far).
func TestRun_InterruptAndResume(t *testing.T) {
	old := chunkSize
	chunkSize = 1000
	t.Cleanup(func() { chunkSize = old })
	elf := guestELF(t, "hello")
	tail := StepRange{Start: 440_000, End: OpenEnd, Set: true, ToExit: true}
	cases := []struct {
		name string
		cfg  RunConfig
	}{
		{"all, one producer", RunConfig{Mode: CheckAll, Producers: 1, Workers: 2}},
		{"all, three producers", RunConfig{Mode: CheckAll, Producers: 3, Workers: 3}},
		{"sample", RunConfig{Mode: CheckSample, SampleEvery: 97, Workers: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := c.cfg
			base.ELF, base.Program, base.Range = elf, "hello.elf", tail
			want, err := Run(base)
			require.NoError(t, err)
			require.True(t, want.Exited)

			cfg := base
			interruptAt(&cfg, 447_000)
			part, err := Run(cfg)
			require.NoError(t, err)
			require.True(t, part.Interrupted, "interrupted")
			require.Greater(t, part.LastStep, uint64(447_000))
			require.Less(t, part.LastStep, want.LastStep, "stopped before the exit")
			require.NotNil(t, part.LastCheckedInOrder)
			require.Equal(t, part.LastStep-1, *part.LastCheckedInOrder)
			require.Equal(t, OpenEnd, part.Range.End, "the range to the exit stays open")
			// Every step before LastStep was run and counted, none after.
			require.Equal(t, part.LastStep-part.FirstStep, part.StepsRun-part.StepsFastForwarded)
			if c.cfg.Mode == CheckAll {
				require.Equal(t, part.LastStep-part.FirstStep, part.StepsChecked)
			}
			require.Error(t, part.Complete())

			cont := base
			cont.Resume = roundTrip(t, part)
			got, err := Run(cont)
			require.NoError(t, err)
			require.NotNil(t, got.ResumedAt)
			require.Equal(t, part.LastStep, *got.ResumedAt)
			requireSameRun(t, want, got)

			merged, err := Merge([]Shard{{"continuation", roundTrip(t, got)}, {"interrupted", roundTrip(t, part)}})
			require.NoError(t, err)
			requireSameRun(t, want, merged)
			require.Equal(t, 1, merged.Shards)

			_, err = Merge([]Shard{{"interrupted.json", roundTrip(t, part)}})
			require.ErrorContains(t, err, "interrupted.json was interrupted at step")
		})
	}
}

func TestRun_ResumeRejectsAnotherRun(t *testing.T) {
	elf := guestELF(t, "hello")
	cfg := RunConfig{ELF: elf, Program: "hello.elf", Range: StepRange{Start: 1000, End: 3000, Set: true}, Workers: 1}
	interruptAt(&cfg, 1500)
	part, err := Run(cfg)
	require.NoError(t, err)
	require.True(t, part.Interrupted)
	finished := *part
	finished.Interrupted = false

	cases := []struct {
		name   string
		edit   func(*RunConfig)
		prior  *RunResult
		reason string
	}{
		{"not interrupted", nil, &finished, "not of an interrupted run"},
		{"other program", func(c *RunConfig) { c.Program = "mt.elf" }, part, "is of hello.elf, not mt.elf"},
		{"other mode", func(c *RunConfig) { c.Mode = CheckSample }, part, "mode all, this run in mode sample"},
		{"other range", func(c *RunConfig) { c.Range.End = 4000 }, part, "range 1000:3000 differs from this run's 1000:4000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc := RunConfig{ELF: elf, Program: "hello.elf", Range: StepRange{Start: 1000, End: 3000, Set: true}, Workers: 1, Resume: c.prior}
			if c.edit != nil {
				c.edit(&rc)
			}
			_, err := Run(rc)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			require.ErrorContains(t, err, c.reason)
		})
	}
}
