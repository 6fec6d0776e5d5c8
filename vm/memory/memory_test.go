package memory

import (
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// emptyRoot is Z[59] as printed in docs/spec.md §3 "Memory".
const emptyRootHex = "14af5385bcbb1e4738bbae8106046e6e2fca42875aa5c000c582587742bcc748"

func TestZeroHashes(t *testing.T) {
	want, err := hex.DecodeString(emptyRootHex)
	require.NoError(t, err)
	require.Equal(t, want, refZero[59][:], "test's own derivation disagrees with docs/spec.md")
	z59 := ZeroHash(59)
	require.Equal(t, want, z59[:])
	require.Equal(t, [32]byte{}, ZeroHash(0))
	for i := range 60 {
		require.Equal(t, refZero[i], ZeroHash(i), "level %d", i)
	}
	require.Panics(t, func() { ZeroHash(60) })
	require.Panics(t, func() { ZeroHash(-1) })
}

func TestEmptyMemory(t *testing.T) {
	m := New()
	root := m.Root()
	require.Equal(t, emptyRootHex, hex.EncodeToString(root[:]))
	require.Equal(t, uint64(0), m.GetWord(0x1234_5678_9ab8))
	require.Equal(t, uint64(0), m.GetWord(0xFFFF_FFFF_FFFF_FFF8))
	require.Equal(t, make([]byte, 100), m.ReadBytes(0xFFF0, 100))
	require.Equal(t, 0, m.PageCount(), "reads must not allocate")
	require.Equal(t, root, m.Root())
}

// oneWordRoot folds the leaf holding (addr, w) with zero siblings, by hand.
func oneWordRoot(addr, w uint64) [32]byte {
	var node [32]byte
	binary.BigEndian.PutUint64(node[addr&31:], w)
	for i := 0; i < 59; i++ {
		if (addr>>5)>>i&1 == 0 {
			node = refKeccak(node[:], refZero[i][:])
		} else {
			node = refKeccak(refZero[i][:], node[:])
		}
	}
	return node
}

func TestOneWordRoot(t *testing.T) {
	tests := []struct {
		name string
		addr uint64
		word uint64
	}{
		{"address zero", 0, 0x0102_0304_0506_0708},
		{"second word of leaf", 8, 0xdead_beef},
		{"last word of leaf", 24, 1},
		{"odd leaf", 0x20, 0xFFFF_FFFF_FFFF_FFFF},
		{"page boundary", 0x1000 - 8, 42},
		{"heap", 0x1000_0000_0000, 7},
		{"stack", 0x7FFF_FFFF_F000, 9},
		{"top of address space", 0xFFFF_FFFF_FFFF_FFF8, 0x8000_0000_0000_0001},
		{"high bit only", 0x8000_0000_0000_0000, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New()
			m.SetWord(tc.addr, tc.word)
			require.Equal(t, oneWordRoot(tc.addr, tc.word), m.Root())
			require.Equal(t, tc.word, m.GetWord(tc.addr))
			require.Equal(t, 1, m.PageCount())
			// Writing zero back restores the empty root: an allocated zero page hashes as absent.
			m.SetWord(tc.addr, 0)
			require.Equal(t, refZero[59], m.Root())
		})
	}
}

func TestRandomWritesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := New()
	ref := refMem{}
	// Addresses cluster in a few regions so that paths share nodes, pages share leaves.
	bases := []uint64{0, 0x1_0000, 0x1000_0000_0000, 0x7FFF_FFFF_E000, 0xFFFF_FFFF_FFFF_F000}
	for round := range 20 {
		for range 1 + rng.IntN(30) {
			addr := (bases[rng.IntN(len(bases))] + rng.Uint64N(0x3000)) &^ 7
			w := rng.Uint64()
			if rng.IntN(4) == 0 {
				w = 0
			}
			m.SetWord(addr, w)
			ref[addr] = w
		}
		require.Equal(t, ref.root(), m.Root(), "round %d", round)
		for addr, w := range ref {
			require.Equal(t, w, m.GetWord(addr))
		}
	}
}

func TestCopyIsIndependent(t *testing.T) {
	m := New()
	m.SetWord(0x100, 1)
	m.SetWord(0x2000, 2)
	rootBefore := m.Root()
	c := m.Copy()
	require.Equal(t, rootBefore, c.Root())
	c.SetWord(0x100, 11)
	c.SetWord(0x9000, 3)
	require.Equal(t, uint64(1), m.GetWord(0x100))
	require.Equal(t, uint64(0), m.GetWord(0x9000))
	require.Equal(t, 2, m.PageCount())
	require.Equal(t, 3, c.PageCount())
	require.Equal(t, rootBefore, m.Root())
	require.Equal(t, refMem{0x100: 11, 0x2000: 2, 0x9000: 3}.root(), c.Root())
	m.SetWord(0x2000, 5)
	require.Equal(t, uint64(2), c.GetWord(0x2000))
}

func TestSetBytesReadBytes(t *testing.T) {
	tests := []struct {
		name string
		addr uint64
		n    int
	}{
		{"inside one leaf, unaligned", 0x1003, 5},
		{"across leaves", 0x101d, 40},
		{"across a page boundary", 0x1ffd, 9},
		{"several pages", 0x3ff1, 3*4096 + 77},
		{"ends at the top", 0xFFFF_FFFF_FFFF_FFF0, 16},
		{"wraps past the top", 0xFFFF_FFFF_FFFF_FFFC, 8},
		{"empty", 0x5000, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := make([]byte, tc.n)
			for i := range data {
				data[i] = byte(i*7 + 1)
			}
			m := New()
			m.SetBytes(tc.addr, data)
			require.Equal(t, data, m.ReadBytes(tc.addr, tc.n))
			// The model: each byte into its word, big-endian.
			ref := refMem{}
			for i, b := range data {
				a := tc.addr + uint64(i)
				w := ref[a&^7]
				shift := 56 - 8*(a&7)
				ref[a&^7] = w&^(0xFF<<shift) | uint64(b)<<shift
			}
			for a, w := range ref {
				require.Equal(t, w, m.GetWord(a), "word 0x%x", a)
			}
			require.Equal(t, ref.root(), m.Root())
			// Bytes around the written range stay zero.
			require.Equal(t, []byte{0}, m.ReadBytes(tc.addr-1, 1))
			require.Equal(t, []byte{0}, m.ReadBytes(tc.addr+uint64(tc.n), 1))
		})
	}
	require.Empty(t, New().ReadBytes(0, -3))
}

func TestSetWordAfterRootInvalidates(t *testing.T) {
	// Root, write, Root, write in the same leaf pair, page and neighbouring page: every
	// cached level must be invalidated, none recomputed from stale data.
	m := New()
	ref := refMem{}
	for i, addr := range []uint64{0x40, 0x48, 0x60, 0x40, 0xFC0, 0x1000, 0x40, 0x1_0000_0000} {
		m.SetWord(addr, uint64(i+1))
		ref[addr] = uint64(i + 1)
		require.Equal(t, ref.root(), m.Root(), "after write %d", i)
	}
}
