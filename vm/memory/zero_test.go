package memory

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSetZero(t *testing.T) {
	words := []uint64{0x0, 0xFF8, 0x1000, 0x1008, 0x3000, 0x1000_0000_0000, 0xFFFF_FFFF_FFFF_FFF8}
	tests := []struct {
		name    string
		addr, n uint64
		cleared []uint64 // words expected zero afterwards; all others keep their value
	}{
		{"nothing", 0x1000, 0, nil},
		{"one byte", 0x1008, 1, nil}, // checked on bytes below
		{"exactly one word", 0x1008, 8, []uint64{0x1008}},
		{"across a page boundary", 0xFF8, 16, []uint64{0xFF8, 0x1000}},
		{"huge, absent pages", 0x4000, 1 << 44, []uint64{0x1000_0000_0000}},
		{"to the top", 0xFFFF_FFFF_FFFF_FFF8, 8, []uint64{0xFFFF_FFFF_FFFF_FFF8}},
		{"wrapping", 0xFFFF_FFFF_FFFF_FFF8, 16, []uint64{0xFFFF_FFFF_FFFF_FFF8, 0x0}},
		{"everything but the last byte", 0, ^uint64(0), words[:len(words)-1]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New()
			ref := refMem{}
			for i, a := range words {
				m.SetWord(a, uint64(i+1)<<56|0xFF)
				ref[a] = uint64(i+1)<<56 | 0xFF
			}
			pages := m.PageCount()
			m.SetZero(tc.addr, tc.n)
			for _, a := range tc.cleared {
				ref[a] = 0
			}
			if tc.name == "one byte" {
				ref[0x1008] &^= 0xFF << 56
			}
			if tc.name == "everything but the last byte" {
				ref[0xFFFF_FFFF_FFFF_FFF8] = 0xFF
			}
			for a, w := range ref {
				require.Equal(t, w, m.GetWord(a), "word 0x%x", a)
			}
			require.Equal(t, ref.root(), m.Root())
			require.Equal(t, pages, m.PageCount(), "zeroing allocates nothing")
		})
	}
}
