package vm

import (
	"errors"
	"io"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// loopAt closes body (placed at base) into an endless loop: a branch back to base and its
// delay-slot nop.
func loopAt(base uint64, body ...uint32) []uint32 {
	pc := base + 4*uint64(len(body))
	return append(body, obsBranch(pc, base), insNop)
}

// runWindow runs s with the livelock window for at most maxSteps steps.
func runWindow(s *State, window, maxSteps uint64) (*LivelockError, error) {
	v := New(s, nil, io.Discard, io.Discard)
	v.SetLivelockWindow(window)
	_, err := v.Run(maxSteps)
	var le *LivelockError
	if errors.As(err, &le) {
		return le, nil
	}
	return nil, err
}

func TestLivelockProgressDefinition(t *testing.T) {
	const base = 0x1000
	const window = 5_000
	// $t1 = 1 (for toggling), $a2 = 0: a FUTEX_WAIT for 0 on the zero data word matches.
	futexWait := []uint32{daddiu(rV0, 0, 5194), daddiu(rA0, rS0, 0), daddiu(rA1, 0, 128), insSyscall}
	tests := []struct {
		name     string
		body     []uint32
		livelock bool
	}{
		{"branch to itself", nil, true},
		{"register-only arithmetic", []uint32{daddiu(rT0, rT0, 1)}, true},
		{"load-only spin", []uint32{iType(0x37, rS0, rT0, 0)}, true}, // ld
		{"sched_yield spin", sys(5023), true},
		{"futex wait on a matching value", futexWait, true},
		{"futex wait EAGAIN", append([]uint32{daddiu(rA2, 0, 7)}, futexWait...), true},
		{"failing SC", []uint32{sc(rT0, rS0, 0)}, true},
		{"clock_gettime into data", []uint32{daddiu(rA0, 0, 1), daddiu(rA1, rS0, 0), daddiu(rV0, 0, 5222), insSyscall}, true},
		{"storing the same value", []uint32{sd(0, rS0, 0)}, true},
		{"toggling a word between two values", []uint32{sd(rT1, rS0, 0), sd(0, rS0, 0)}, true},
		{"counter on the stack", []uint32{daddiu(rT0, rT0, 1), sd(rT0, rSP, 8)}, true},
		{"counter in memory", []uint32{daddiu(rT0, rT0, 1), sd(rT0, rS0, 0)}, false},
		{"LL/SC increment", []uint32{ll(rT0, rS0, 4), daddiu(rT0, rT0, 1), sc(rT0, rS0, 4)}, false},
		{"writing to stdout", []uint32{daddiu(rA0, 0, 1), daddiu(rA1, rS0, 0), daddiu(rA2, 0, 1), daddiu(rV0, 0, 5001), insSyscall}, false},
		{"growing the heap", []uint32{daddiu(rA0, 0, 0), daddiu(rA1, 0, 4096), daddiu(rV0, 0, 5009), insSyscall}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			th := obsThread(0, base)
			th.Registers[rT1] = 1
			s := obsState(map[uint64][]uint32{base: loopAt(base, tc.body...)}, th)
			le, err := runWindow(s, window, 20*window)
			require.NoError(t, err)
			if !tc.livelock {
				require.Nil(t, le, "a loop that makes progress must run on")
				require.Equal(t, uint64(20*window), s.Step)
				return
			}
			require.NotNil(t, le, "no livelock reported after %d steps", s.Step)
			r := le.Report
			require.Equal(t, uint64(window), r.Window)
			// The first pass of a store loop may make progress (a new value); after that none.
			require.Equal(t, r.LastProgressStep+window, r.StoppedAtStep)
			require.Equal(t, s.Step, r.StoppedAtStep)
			require.Less(t, r.LastProgressStep, uint64(10))
			require.Len(t, r.Threads, 1)
			require.Equal(t, uint64(window), r.Threads[0].Steps)
		})
	}
}

func TestLivelockWindowOff(t *testing.T) {
	s := obsState(map[uint64][]uint32{0x1000: loopAt(0x1000)}, obsThread(0, 0x1000))
	v := New(s, nil, nil, nil)
	v.SetLivelockWindow(100)
	v.SetLivelockWindow(0)
	require.Nil(t, v.obs, "turning detection off restores the plain loop")
	_, err := v.Run(1000)
	require.NoError(t, err)
}

// guestWindow is the window vm run's help recommends (2 s of virtual time).
const guestWindow = 20_000_000

func loadGuestState(t *testing.T, name string) *State {
	t.Helper()
	elf, err := os.ReadFile(guests.MustBuild(t, name))
	require.NoError(t, err)
	s, err := Load(elf)
	require.NoError(t, err)
	return s
}

// The deadlock and livelock guests never exit; the detector must stop them well before the
// step limit, with the workers' futex waits and yields in the report.
func TestLivelockGuestsAreCaught(t *testing.T) {
	tests := []struct {
		name  string
		check func(t *testing.T, r *LivelockReport)
	}{
		{"deadlock", func(t *testing.T, r *LivelockReport) {
			var waits uint64
			for _, th := range r.Threads {
				waits += th.FutexWaits
			}
			require.Positive(t, waits, "the workers' futex waits are in the report")
		}},
		{"livelock", func(t *testing.T, r *LivelockReport) {
			var yields uint64
			for _, th := range r.Threads {
				yields += th.Yields
			}
			require.Positive(t, yields, "the workers' yields are in the report")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := loadGuestState(t, tc.name)
			le, err := runWindow(s, guestWindow, 10*guestWindow)
			require.NoError(t, err)
			require.NotNil(t, le, "guest %s ran %d steps without a livelock report", tc.name, s.Step)
			require.False(t, s.Exited)
			require.Equal(t, le.Report.LastProgressStep+guestWindow, le.Report.StoppedAtStep)
			require.GreaterOrEqual(t, len(le.Report.Threads), 2)
			tc.check(t, le.Report)
		})
	}
}

// The ordinary guests run to their end with the window on: no false alarm.
func TestLivelockNoFalseAlarm(t *testing.T) {
	for _, name := range []string{"hello", "exitcode", "mt"} {
		t.Run(name, func(t *testing.T) {
			s := loadGuestState(t, name)
			v := New(s, nil, nil, nil)
			v.EnableStats()
			v.SetLivelockWindow(guestWindow)
			_, err := v.Run(math.MaxUint64)
			require.NoError(t, err, "false livelock alarm")
			require.True(t, s.Exited)
			// The margin that justifies the window: 230k steps for mt when this was written.
			gap := v.Stats().LongestWithoutProgress
			t.Logf("%s: longest stretch without progress %d steps", name, gap)
			require.Less(t, gap, uint64(guestWindow/20))
		})
	}
}

func TestPairSet(t *testing.T) {
	var p pairSet
	require.True(t, p.add(0x1000, 7))
	require.False(t, p.add(0x1000, 7), "a pair seen before")
	require.True(t, p.add(0x1000, 8), "same word, other value")
	require.True(t, p.add(0x1008, 7), "same value, other word")
	require.True(t, p.add(0, 0), "address 0 and value 0 are ordinary pairs")
	require.False(t, p.add(0, 0))
	// Fill up to the bound: the set grows and still knows every pair.
	for i := uint64(4); i < maxNovelty; i++ { // four pairs so far
		require.True(t, p.add(0x10_0000+8*i, i))
	}
	require.Equal(t, maxNovelty, p.n)
	require.False(t, p.add(0x1000, 7))
	// One more pair starts over: old pairs are news again.
	require.True(t, p.add(0x2000, 1))
	require.Equal(t, 1, p.n)
	require.True(t, p.add(0x1000, 7))
}
