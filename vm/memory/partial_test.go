package memory

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPartialReplaysWrites(t *testing.T) {
	// Proven words chosen to share the same leaf, leaf pair, page, neighbouring page
	// (index ^1) and nothing at all, so merged proofs overlap at every height.
	proven := []uint64{0x0, 0x8, 0x28, 0x1000, 0x1FF8, 0x7FFF_FFFF_F008, 0x7FFF_FFFF_E000, 0xFFFF_FFFF_FFFF_FFF8, 0x4000_0000}
	full, _ := sampleMemory()
	part := NewPartial(full.Root())
	require.Equal(t, full.Root(), part.Root())
	for _, a := range proven {
		p := full.Proof(a)
		require.NoError(t, part.AddProof(a, p[:]), "addr 0x%x", a)
		require.Equal(t, full.Root(), part.Root())
	}
	for _, a := range proven {
		require.Equal(t, full.GetWord(a), part.GetWord(a), "read 0x%x", a)
		pf, pp := full.Proof(a), part.Proof(a)
		require.Equal(t, pf, pp, "proof of 0x%x", a)
	}
	for i, a := range proven {
		full.SetWord(a, uint64(0x100+i))
		part.SetWord(a, uint64(0x100+i))
		require.Equal(t, full.Root(), part.Root(), "after write to 0x%x", a)
	}
	// A proof taken after writes verifies against the new root (clock_gettime's second slot).
	late := uint64(0x7FFF_FFFF_F020)
	p := full.Proof(late)
	require.NoError(t, part.AddProof(late, p[:]))
	full.SetWord(late, 77)
	part.SetWord(late, 77)
	require.Equal(t, full.Root(), part.Root())
	part.SetBytes(0x1, []byte{9, 8, 7})
	full.SetBytes(0x1, []byte{9, 8, 7})
	require.Equal(t, full.Root(), part.Root())
	require.Equal(t, full.ReadBytes(0x4, 8), part.ReadBytes(0x4, 8))
	_, missing := part.Missing()
	require.False(t, missing)
}

func TestPartialMissing(t *testing.T) {
	full, _ := sampleMemory()
	proof := full.Proof(0x28)
	tests := []struct {
		name string
		do   func(m *Memory)
		want uint64
	}{
		{"read of the sibling leaf", func(m *Memory) { require.Zero(t, m.GetWord(0x0)) }, 0x0},
		{"read of an absent page", func(m *Memory) { require.Zero(t, m.GetWord(0x5000)) }, 0x5000},
		{"write", func(m *Memory) { m.SetWord(0x1000, 5) }, 0x1000},
		{"bytes crossing out of the leaf", func(m *Memory) { m.ReadBytes(0x3c, 8) }, 0x40},
		{"set bytes", func(m *Memory) { m.SetBytes(0x5e, []byte{1, 2, 3, 4}) }, 0x5e},
		{"proof", func(m *Memory) { m.Proof(0x1000) }, 0x1000},
		{"first miss wins", func(m *Memory) { m.GetWord(0x48); m.GetWord(0x50) }, 0x48},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewPartial(full.Root())
			require.NoError(t, m.AddProof(0x28, proof[:]))
			rootBefore := m.Root()
			require.Equal(t, uint64(0x2222), m.GetWord(0x28))
			_, ok := m.Missing()
			require.False(t, ok)
			tc.do(m)
			addr, ok := m.Missing()
			require.True(t, ok)
			require.Equal(t, tc.want, addr)
			require.Equal(t, rootBefore, m.Root(), "a missed write is dropped")
		})
	}
	_, ok := full.Missing()
	require.False(t, ok, "a full memory never misses")
}

func TestPartialRejectsProofOfOtherRoot(t *testing.T) {
	full, _ := sampleMemory()
	stale := full.Proof(0x1000)
	full.SetWord(0x0, 99)
	part := NewPartial(full.Root())
	require.ErrorIs(t, part.AddProof(0x1000, stale[:]), ErrProofRoot)
	fresh := full.Proof(0x1000)
	require.NoError(t, part.AddProof(0x1000, fresh[:]))
	// After a write, a proof against the old root no longer fits.
	part.SetWord(0x1000, 1)
	require.ErrorIs(t, part.AddProof(0x1008, fresh[:]), ErrProofRoot)
}

func TestPartialCopy(t *testing.T) {
	full, _ := sampleMemory()
	part := NewPartial(full.Root())
	p := full.Proof(0x1000)
	require.NoError(t, part.AddProof(0x1000, p[:]))
	c := part.Copy()
	c.SetWord(0x1000, 5)
	c.GetWord(0x2000)
	require.Equal(t, uint64(0x3333), part.GetWord(0x1000))
	_, ok := part.Missing()
	require.False(t, ok)
	_, ok = c.Missing()
	require.True(t, ok)
	full.SetWord(0x1000, 5)
	require.Equal(t, full.Root(), c.Root())
}

func TestPartialRandomized(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for round := range 30 {
		full := New()
		var addrs []uint64
		for range 40 {
			a := (uint64(rng.IntN(4))<<44 | rng.Uint64N(0x4000)) &^ 7
			full.SetWord(a, rng.Uint64())
			addrs = append(addrs, a)
		}
		part := NewPartial(full.Root())
		var proven []uint64
		for range 1 + rng.IntN(4) {
			a := addrs[rng.IntN(len(addrs))]
			if rng.IntN(2) == 0 {
				a ^= 8 << rng.IntN(8) // a neighbour: same leaf, pair, page or next page
			}
			p := full.Proof(a)
			require.NoError(t, part.AddProof(a, p[:]))
			proven = append(proven, a)
		}
		for range 10 {
			a := proven[rng.IntN(len(proven))]
			w := rng.Uint64()
			require.Equal(t, full.GetWord(a), part.GetWord(a))
			full.SetWord(a, w)
			part.SetWord(a, w)
			require.Equal(t, full.Root(), part.Root(), "round %d", round)
		}
		_, missing := part.Missing()
		require.False(t, missing)
	}
}
