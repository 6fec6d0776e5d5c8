package memory

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

func sampleMemory() (*Memory, refMem) {
	ref := refMem{
		0x0:                   0x1111,
		0x28:                  0x2222,
		0x1000:                0x3333,
		0x7FFF_FFFF_F000:      0x4444,
		0x7FFF_FFFF_F008:      0x5555,
		0xFFFF_FFFF_FFFF_FFF8: 0x6666,
	}
	m := New()
	for a, w := range ref {
		m.SetWord(a, w)
	}
	return m, ref
}

func TestProofs(t *testing.T) {
	m, ref := sampleMemory()
	root := ref.root()
	require.Equal(t, root, m.Root())
	addrs := []uint64{0x0, 0x8, 0x28, 0x20, 0x1000, 0x1008, 0x2000, 0x7FFF_FFFF_F008,
		0x7FFF_FFFF_EFF8, 0xFFFF_FFFF_FFFF_FFF8, 0xFFFF_FFFF_FFFF_FFE0, 0x1234_5678}
	for _, addr := range addrs {
		proof := m.Proof(addr)
		require.Equal(t, root, refFold(proof[:], addr), "proof of 0x%x folds to the root", addr)
		// The leaf and its sibling are the raw memory bytes.
		leaf := addr &^ 31
		require.Equal(t, leafBytes(ref, leaf), proof[0:32], "leaf of 0x%x", addr)
		require.Equal(t, leafBytes(ref, leaf^32), proof[32:64], "sibling leaf of 0x%x", addr)
		w, err := VerifyProof(root, addr, proof[:])
		require.NoError(t, err)
		require.Equal(t, ref[addr], w)
	}
	require.Equal(t, 4, m.PageCount(), "proofs must not allocate")
}

func TestProofOfAbsentRegionHasZeroSiblings(t *testing.T) {
	m := New()
	m.SetWord(0, 1)
	proof := m.Proof(0x8000_0000_0000_0000)
	for i := 0; i < 59; i++ {
		want := refZero[i]
		if i == 58 {
			// The top sibling of the high half is the root of the low half.
			want = leftHalfRoot(m)
		}
		require.Equal(t, want[:], proof[32*(i+1):32*(i+2)], "sibling %d", i+1)
	}
}

// leftHalfRoot is the level-58 node over addresses [0, 2^63) holding only word 0 = 1.
func leftHalfRoot(m *Memory) [32]byte {
	var node [32]byte
	binary.BigEndian.PutUint64(node[:], m.GetWord(0))
	for i := 0; i < 58; i++ {
		node = refKeccak(node[:], refZero[i][:])
	}
	return node
}

func leafBytes(ref refMem, leaf uint64) []byte {
	out := make([]byte, 32)
	for i := uint64(0); i < 32; i += 8 {
		binary.BigEndian.PutUint64(out[i:], ref[leaf+i])
	}
	return out
}

func TestRootAfterWrite(t *testing.T) {
	for _, addr := range []uint64{0, 0x10, 0x18, 0x1000, 0x5000, 0x7FFF_FFFF_F008, 0xFFFF_FFFF_FFFF_FFF8} {
		m, _ := sampleMemory()
		proof := m.Proof(addr)
		got, err := RootAfterWrite(proof[:], addr, 0xABCD_EF01_2345_6789)
		require.NoError(t, err)
		m.SetWord(addr, 0xABCD_EF01_2345_6789)
		require.Equal(t, m.Root(), got, "addr 0x%x", addr)
	}
}

func TestMalformedProofs(t *testing.T) {
	m, _ := sampleMemory()
	root := m.Root()
	good := m.Proof(0x28)
	flipped := good
	flipped[32*30] ^= 1
	wrongLeaf := good
	wrongLeaf[0x28&31] ^= 0x80
	tests := []struct {
		name  string
		addr  uint64
		proof []byte
		want  error
	}{
		{"short", 0x28, good[:ProofSize-1], ErrProofLength},
		{"long", 0x28, append(good[:], 0), ErrProofLength},
		{"empty", 0x28, nil, ErrProofLength},
		{"unaligned", 0x2C, good[:], ErrUnaligned},
		{"flipped sibling", 0x28, flipped[:], ErrProofRoot},
		{"tampered leaf", 0x28, wrongLeaf[:], ErrProofRoot},
		{"other address", 0x48, good[:], ErrProofRoot},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := VerifyProof(root, tc.addr, tc.proof)
			require.ErrorIs(t, err, tc.want)
			if tc.want != ErrProofRoot {
				_, err = RootAfterWrite(tc.proof, tc.addr, 1)
				require.ErrorIs(t, err, tc.want)
			}
			p := NewPartial(root)
			require.ErrorIs(t, p.AddProof(tc.addr, tc.proof), tc.want)
		})
	}
	require.ErrorIs(t, New().AddProof(0, good[:]), ErrNotPartial)
}

// ProofInto must overwrite every byte of its buffer: a witness reuses nothing, but a caller
// that does must not see a previous proof's bytes where the leaf is absent or unknown.
func TestProofIntoOverwritesBuffer(t *testing.T) {
	m := New()
	m.SetWord(0x1000, 0x1122334455667788)
	partial := NewPartial(m.Root())
	for _, tc := range []struct {
		name string
		mem  *Memory
		addr uint64
	}{
		{"present page", m, 0x1000},
		{"absent page", m, 0x9_0000},
		{"partial memory, unknown leaf", partial, 0x1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf [ProofSize]byte
			for i := range buf {
				buf[i] = 0xA5
			}
			tc.mem.ProofInto(&buf, tc.addr)
			require.Equal(t, tc.mem.Proof(tc.addr), buf)
		})
	}
	// Independent of Proof: the absent page's leaf and its sibling leaf are zero bytes and
	// its first hashed sibling is the zero hash of height 1.
	var buf [ProofSize]byte
	for i := range buf {
		buf[i] = 0xA5
	}
	m.ProofInto(&buf, 0x9_0000)
	require.Equal(t, make([]byte, 64), buf[:64])
	require.Equal(t, ZeroHash(1), [32]byte(buf[64:96]))
}
