package keccak

import (
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/sha3"
)

// Published Keccak-256 digests (Ethereum's hash of the empty string and of "abc").
func TestSum256KnownDigests(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
		{"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"},
	} {
		got := Sum256([]byte(tc.in))
		require.Equal(t, tc.want, hex.EncodeToString(got[:]), "keccak256(%q)", tc.in)
	}
}

// The FIPS 202 round constants RC[0], RC[1] and RC[23], as printed in the Keccak reference.
func TestRoundConstants(t *testing.T) {
	require.Equal(t, uint64(0x0000000000000001), roundConstants[0])
	require.Equal(t, uint64(0x0000000000008082), roundConstants[1])
	require.Equal(t, uint64(0x8000000080008008), roundConstants[23])
}

func reference(data []byte) [32]byte {
	h := sha3.NewLegacyKeccak256()
	h.Write(data)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// x/crypto's legacy Keccak is an independent implementation: every length around the block
// boundaries (0, 135, 136, 137, 271, 272, ...) must agree.
func TestSum256MatchesXCrypto(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 3*rate+2; n++ {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		require.Equal(t, reference(data), Sum256(data), "length %d", n)
	}
}

func TestPairMatchesXCrypto(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200; i++ {
		var l, r [32]byte
		for j := range l {
			l[j], r[j] = byte(rng.Uint32()), byte(rng.Uint32())
		}
		require.Equal(t, reference(append(l[:], r[:]...)), Pair(&l, &r))
	}
}

func FuzzSum256(f *testing.F) {
	f.Add([]byte("abc"))
	f.Fuzz(func(t *testing.T, data []byte) {
		require.Equal(t, reference(data), Sum256(data))
	})
}

func BenchmarkPair(b *testing.B) {
	var l, r [32]byte
	for i := 0; i < b.N; i++ {
		l = Pair(&l, &r)
	}
}

func BenchmarkPairXCrypto(b *testing.B) {
	var in [64]byte
	h := sha3.NewLegacyKeccak256().(interface{ Read([]byte) (int, error) })
	hh := h.(interface {
		Reset()
		Write([]byte) (int, error)
	})
	for i := 0; i < b.N; i++ {
		hh.Reset()
		hh.Write(in[:])
		h.Read(in[:32])
	}
}

func BenchmarkSum256Thread(b *testing.B) {
	data := make([]byte, 298)
	for i := 0; i < b.N; i++ {
		out := Sum256(data)
		data[0] = out[0]
	}
}
