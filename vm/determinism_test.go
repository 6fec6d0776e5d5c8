package vm

import (
	"crypto/sha256"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// The VM must be a pure function of its input: two runs of one program produce the same
// sequence of states. A trace hash chains what each run saw; any difference anywhere in
// the trace (scheduling, memory, a syscall result) changes it.

// checkpointTrace runs the guest to its end, hashing the state hash every `every` steps and
// at the end. observe turns stats and livelock detection on, which must change nothing.
func checkpointTrace(t *testing.T, name string, every uint64, observe bool) [32]byte {
	t.Helper()
	s := loadGuestState(t, name)
	v := New(s, nil, nil, nil)
	if observe {
		v.EnableStats()
		v.SetLivelockWindow(guestWindow)
	}
	h := sha256.New()
	for !s.Exited {
		_, err := v.Run(every)
		require.NoError(t, err)
		sh := s.Hash()
		h.Write(sh[:])
	}
	return [32]byte(h.Sum(nil))
}

// witnessTrace runs the guest to step from, then hashes the pre-state witness and the proof
// of each of the next n steps, and the post-state of the last.
func witnessTrace(t *testing.T, name string, from, n uint64) [32]byte {
	t.Helper()
	s := loadGuestState(t, name)
	v := New(s, nil, nil, nil)
	_, err := v.Run(from)
	require.NoError(t, err)
	require.Equal(t, from, s.Step, "the guest exited before the window")
	h := sha256.New()
	for i := uint64(0); i < n; i++ {
		wit, err := v.Step(true)
		require.NoError(t, err)
		h.Write(wit.State)
		h.Write(wit.Proof)
	}
	post := s.EncodeWitness()
	h.Write(post[:])
	return [32]byte(h.Sum(nil))
}

func TestDeterminismHello(t *testing.T) {
	first := checkpointTrace(t, "hello", 1000, false)
	require.Equal(t, first, checkpointTrace(t, "hello", 1000, false), "two plain runs")
	require.Equal(t, first, checkpointTrace(t, "hello", 1000, true), "an observed run")
	require.NotEqual(t, first, checkpointTrace(t, "exitcode", 1000, false), "the trace hash must tell programs apart")
}

// A slice of mt with all its threads running: every witness of 2000 steps from step 10M.
func TestDeterminismMTSlice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs mt to step 10M three times")
	}
	const from, n = 10_000_000, 2_000
	first := witnessTrace(t, "mt", from, n)
	require.Equal(t, first, witnessTrace(t, "mt", from, n))
	require.NotEqual(t, first, witnessTrace(t, "mt", from+1, n), "a shifted window must differ")
}

// The final state of a whole mt run, plain and observed.
func TestDeterminismMTFinalState(t *testing.T) {
	if testing.Short() {
		t.Skip("runs mt to its end twice")
	}
	final := func(observe bool) [32]byte {
		s := loadGuestState(t, "mt")
		v := New(s, nil, nil, nil)
		if observe {
			v.EnableStats()
			v.SetLivelockWindow(guestWindow)
		}
		_, err := v.Run(math.MaxUint64)
		require.NoError(t, err)
		require.True(t, s.Exited)
		return s.Hash()
	}
	require.Equal(t, final(false), final(true))
}
