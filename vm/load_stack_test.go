package vm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoad_InitialStack(t *testing.T) {
	st, err := Load(tinyELF())
	require.NoError(t, err)
	mem := st.Memory
	const sp = 0x7FFF_FFFF_F000
	require.Equal(t, uint64(sp), st.LeftThreadStack[0].Registers[29])
	// docs/spec.md §9.3 "Initial stack", strings spelled out as ASCII by hand.
	want := map[uint64]uint64{
		sp + 0:   1,                     // argc
		sp + 8:   0x7FFF_FFFF_F080,      // argv[0] = sp+128
		sp + 16:  0,                     // argv end
		sp + 24:  0x7FFF_FFFF_F060,      // envp[0] = sp+96
		sp + 32:  0,                     // envp end
		sp + 40:  6,                     // AT_PAGESZ
		sp + 48:  4096,                  //
		sp + 56:  25,                    // AT_RANDOM
		sp + 64:  0x7FFF_FFFF_F050,      // sp+80
		sp + 72:  0,                     // AT_NULL
		sp + 80:  0x343b_6279_6661_6972, // "4;byfair"
		sp + 88:  0x6469_6365_726f_6c6c, // "diceroll"
		sp + 96:  0x474f_4445_4255_473d, // "GODEBUG="
		sp + 104: 0x6d65_6d70_726f_6669, // "memprofi"
		sp + 112: 0x6c65_7261_7465_3d30, // "lerate=0"
		sp + 120: 0,                     // NUL and padding
		sp + 128: 0x6f70_2d70_726f_6772, // "op-progr"
		sp + 136: 0x616d_0000_0000_0000, // "am", NUL, padding
	}
	for addr := uint64(sp - 16384); addr < sp+4096; addr += 8 {
		require.Equal(t, want[addr], mem.GetWord(addr), "stack word at sp%+d", int64(addr-sp))
	}
	require.Equal(t, []byte("4;byfairdiceroll"), mem.ReadBytes(sp+80, 16))
	require.Equal(t, []byte("GODEBUG=memprofilerate=0\x00"), mem.ReadBytes(sp+96, 25))
	require.Equal(t, []byte("op-program\x00"), mem.ReadBytes(sp+128, 11))
	for _, page := range []uint64{sp - 0x4000, sp - 0x3000, sp - 0x2000, sp - 0x1000, sp} {
		// The five pages are allocated (as zeros), as the reference loader does.
		require.Equal(t, uint64(0), mem.GetWord(page+0xFF8))
	}
}
