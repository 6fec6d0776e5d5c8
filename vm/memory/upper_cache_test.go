package memory

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// Proofs served from the upper-sibling cache must stay valid against the current root
// whatever was written in between: the proven page itself, a neighbouring page, a far
// page, a page that did not exist yet.
func TestProofUpperCacheFollowsWrites(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	bases := []uint64{0x10000, 0x11000, 0x7fff_ffff_e000, 0x1000_0000_0000, 0xffff_ffff_ffff_f000}
	m := New()
	for _, b := range bases[:3] {
		m.SetWord(b, 1)
	}
	pick := func() uint64 {
		return (bases[r.Intn(len(bases))] + uint64(r.Intn(1<<13))) &^ 7
	}
	for i := 0; i < 3000; i++ {
		switch r.Intn(3) {
		case 0:
			m.SetWord(pick(), r.Uint64())
		default:
			a := pick()
			p := m.Proof(a)
			w, err := VerifyProof(m.Root(), a, p[:])
			require.NoError(t, err, "step %d: proof of 0x%x", i, a)
			require.Equal(t, m.GetWord(a), w)
		}
	}
}

// The same sequence with and without the cache gives identical proofs.
func TestProofUpperCacheMatchesUncached(t *testing.T) {
	m := New()
	m.SetWord(0x4000, 5)
	m.SetWord(0x8000, 6)
	p1 := m.Proof(0x4000)
	m.SetWord(0x4008, 7) // same page: the cached upper siblings stay
	m.SetWord(0x9000, 8) // another page: they must be dropped
	p2 := m.Proof(0x4000)
	fresh := m.Copy() // a copy starts with an empty cache
	require.Equal(t, fresh.Proof(0x4000), p2)
	require.NotEqual(t, p1, p2)
}

// A write marks only the one cached sibling that covers the written page stale. Pages at
// every distance (neighbours, far pages, new pages, multi-page SetBytes) are written between
// proofs of a few hot pages, and every proof must equal that of a copy with no cache.
func TestProofUpperCacheStaleLevels(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	hot := []uint64{0x12_0000, 0x12_1000, 0x7fff_fff0_0000}
	m := New()
	for _, h := range hot {
		m.SetWord(h, 1)
	}
	for i := 0; i < 2000; i++ {
		switch r.Intn(4) {
		case 0: // a page at a random distance from a hot page: bit k of the page index flipped
			a := (hot[r.Intn(len(hot))] ^ uint64(1)<<(12+r.Intn(52))) + uint64(r.Intn(4096))&^7
			m.SetWord(a, r.Uint64())
		case 1: // bytes across a page boundary
			a := hot[r.Intn(len(hot))] + 4096 - uint64(r.Intn(16))
			m.SetBytes(a, []byte{byte(i), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
		default:
			a := (hot[r.Intn(len(hot))] + uint64(r.Intn(4096))) &^ 7
			got := m.Proof(a)
			require.Equal(t, m.Copy().Proof(a), got, "step %d: proof of 0x%x", i, a)
		}
	}
}
