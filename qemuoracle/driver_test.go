package qemuoracle

import (
	"encoding/binary"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/mips64"
	"github.com/stretchr/testify/require"
)

// Hand-derived results (MIPS64 manual, docs/spec.md §5 "Instructions") for one case of each
// kind. They check the driver protocol and the harness arrangement (pads, window, link values)
// independently of the random comparison: QEMU and the Go VM must both produce them.
func TestKnownResults(t *testing.T) {
	q := startQemu(t)
	l := q.Layout
	base := l.blockBase(0)
	entry := base + 4*SlotWord
	win := l.Window
	pad := func(word int) uint64 { return base + uint64(4*word) }

	tests := []struct {
		name   string
		op     string
		f      mips64.Fields
		regs   map[uint32]uint64
		hi, lo uint64
		win0   uint64 // window word 0
		// expectations; unmentioned registers keep their values
		wantRegs       map[uint32]uint64
		wantHI, wantLO uint64 // used when setsHILO
		setsHILO       bool
		wantWin0       uint64 // used when stores
		stores         bool
		wantPC         uint64 // 0: entry+8
	}{
		{name: "addiu -1 from zero", op: "addiu", f: mips64.Fields{RS: 4, RT: 3, Imm: 0xFFFF},
			wantRegs: map[uint32]uint64{3: ^uint64(0)}},
		{name: "addu wraps and sign-extends", op: "addu", f: mips64.Fields{RS: 4, RT: 5, RD: 3},
			regs: map[uint32]uint64{4: 0x7FFF_FFFF, 5: 1}, wantRegs: map[uint32]uint64{3: 0xFFFF_FFFF_8000_0000}},
		{name: "lui sign-extends", op: "lui", f: mips64.Fields{RT: 3, Imm: 0x8000},
			wantRegs: map[uint32]uint64{3: 0xFFFF_FFFF_8000_0000}},
		{name: "ori keeps the upper bits", op: "ori", f: mips64.Fields{RS: 4, RT: 3, Imm: 0xFFFF},
			regs: map[uint32]uint64{4: 0x1234_0000_0000_0000}, wantRegs: map[uint32]uint64{3: 0x1234_0000_0000_FFFF}},
		{name: "sltiu with a negative immediate", op: "sltiu", f: mips64.Fields{RS: 4, RT: 3, Imm: 0xFFFF},
			regs: map[uint32]uint64{4: 5}, wantRegs: map[uint32]uint64{3: 1}},
		{name: "dsrl32", op: "dsrl32", f: mips64.Fields{RT: 4, RD: 3, SA: 4},
			regs: map[uint32]uint64{4: 0x8000_0000_0000_0000}, wantRegs: map[uint32]uint64{3: 0x0800_0000}},
		{name: "multu sign-extends HI and LO", op: "multu", f: mips64.Fields{RS: 4, RT: 5},
			regs: map[uint32]uint64{4: ^uint64(0), 5: 2}, setsHILO: true, wantHI: 1, wantLO: 0xFFFF_FFFF_FFFF_FFFE},
		{name: "div INT32_MIN by -1", op: "div", f: mips64.Fields{RS: 4, RT: 5},
			regs: map[uint32]uint64{4: 0xFFFF_FFFF_8000_0000, 5: ^uint64(0)}, setsHILO: true, wantHI: 0, wantLO: 0xFFFF_FFFF_8000_0000},
		{name: "ddivu", op: "ddivu", f: mips64.Fields{RS: 4, RT: 5},
			regs: map[uint32]uint64{4: ^uint64(0), 5: 0x10}, setsHILO: true, wantHI: 0xF, wantLO: 0x0FFF_FFFF_FFFF_FFFF},
		{name: "mfhi", op: "mfhi", f: mips64.Fields{RD: 3}, hi: 0xDEAD_BEEF_0000_0001,
			wantRegs: map[uint32]uint64{3: 0xDEAD_BEEF_0000_0001}},
		{name: "clo of a sign-extended word", op: "clo", f: mips64.Fields{RS: 4, RT: 3, RD: 3},
			regs: map[uint32]uint64{4: 0xFFFF_FFFF_8000_0000}, wantRegs: map[uint32]uint64{3: 1}},
		{name: "dclz of one", op: "dclz", f: mips64.Fields{RS: 4, RT: 3, RD: 3},
			regs: map[uint32]uint64{4: 1}, wantRegs: map[uint32]uint64{3: 63}},
		{name: "lb sign-extends", op: "lb", f: mips64.Fields{RS: 4, RT: 3, Imm: 7},
			regs: map[uint32]uint64{4: win}, win0: 0x0102_0304_0506_0780, wantRegs: map[uint32]uint64{3: 0xFFFF_FFFF_FFFF_FF80}},
		{name: "lbu zero-extends", op: "lbu", f: mips64.Fields{RS: 4, RT: 3, Imm: 7},
			regs: map[uint32]uint64{4: win}, win0: 0x0102_0304_0506_0780, wantRegs: map[uint32]uint64{3: 0x80}},
		{name: "lwr full word", op: "lwr", f: mips64.Fields{RS: 4, RT: 3, Imm: 3},
			regs: map[uint32]uint64{4: win, 3: 0x1122_3344}, win0: 0x8899_AABB_CCDD_EEFF,
			wantRegs: map[uint32]uint64{3: 0xFFFF_FFFF_8899_AABB}},
		{name: "lwr two bytes", op: "lwr", f: mips64.Fields{RS: 4, RT: 3, Imm: 1},
			regs: map[uint32]uint64{4: win, 3: 0x1122_3344}, win0: 0x8899_AABB_CCDD_EEFF,
			wantRegs: map[uint32]uint64{3: 0x1122_8899}},
		{name: "ld from an offset base", op: "ld", f: mips64.Fields{RS: 4, RT: 3, Imm: 0xFFF8},
			regs: map[uint32]uint64{4: win + 8}, win0: 0x0123_4567_89AB_CDEF, wantRegs: map[uint32]uint64{3: 0x0123_4567_89AB_CDEF}},
		{name: "sdl at byte 2", op: "sdl", f: mips64.Fields{RS: 4, RT: 5, Imm: 2},
			regs: map[uint32]uint64{4: win, 5: 0x0102_0304_0506_0708}, win0: 0xAAAA_AAAA_AAAA_AAAA,
			stores: true, wantWin0: 0xAAAA_0102_0304_0506},
		{name: "swr at byte 4 (spec §5.7 example)", op: "swr", f: mips64.Fields{RS: 4, RT: 5, Imm: 4},
			regs: map[uint32]uint64{4: win, 5: 0x1234_5678}, win0: ^uint64(0),
			stores: true, wantWin0: 0xFFFF_FFFF_78FF_FFFF},
		{name: "sh at byte 2", op: "sh", f: mips64.Fields{RS: 4, RT: 5, Imm: 2},
			regs: map[uint32]uint64{4: win, 5: 0xABCD}, stores: true, wantWin0: 0x0000_ABCD_0000_0000},
		{name: "beq taken", op: "beq", f: mips64.Fields{RS: 4, RT: 5, Imm: 3},
			regs: map[uint32]uint64{4: 5, 5: 5}, wantPC: entry + 4 + 12},
		{name: "bne not taken", op: "bne", f: mips64.Fields{RS: 4, RT: 5, Imm: 3},
			regs: map[uint32]uint64{4: 5, 5: 5}},
		{name: "bgez taken backwards", op: "bgez", f: mips64.Fields{RS: 4, Imm: 0xFFF2},
			wantPC: entry + 4 - 56},
		{name: "bltzal links when not taken", op: "bltzal", f: mips64.Fields{RS: 4, Imm: 3},
			regs: map[uint32]uint64{4: 1}, wantRegs: map[uint32]uint64{31: entry + 8}},
		{name: "jal to pad 0", op: "jal", f: mips64.Fields{Target: uint32(pad(0)>>2) & 0x03FF_FFFF},
			wantRegs: map[uint32]uint64{31: entry + 8}, wantPC: pad(0)},
		{name: "jalr links rd", op: "jalr", f: mips64.Fields{RS: 4, RD: 7},
			regs: map[uint32]uint64{4: pad(20)}, wantRegs: map[uint32]uint64{7: entry + 8}, wantPC: pad(20)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := handCase(t, l, tc.op, tc.f, tc.regs)
			c.In.HI, c.In.LO, c.In.Window[0] = tc.hi, tc.lo, tc.win0
			want := QemuResult{Signal: sigTrap, Outcome: Outcome{PC: entry + 8, Regs: c.In.Regs, HI: c.In.HI, LO: c.In.LO, Window: c.In.Window}}
			if tc.wantPC != 0 {
				want.PC = tc.wantPC
			}
			for r, v := range tc.wantRegs {
				want.Regs[r] = v
			}
			if tc.setsHILO {
				want.HI, want.LO = tc.wantHI, tc.wantLO
			}
			if tc.stores {
				want.Window[0] = tc.wantWin0
			}
			got, goOut, goErr := runBoth(t, q, c)
			require.Equal(t, want, got, "qemu, %s", c.Disasm())
			require.NoError(t, goErr, "go vm, %s", c.Disasm())
			require.Equal(t, want.Outcome, goOut, "go vm, %s", c.Disasm())
		})
	}
}

// A batch may hold the driver's maximum number of cases, each in its own block.
func TestFullBatch(t *testing.T) {
	q := startQemu(t)
	var batch []*Case
	for i := 0; i < q.Layout.MaxBatch; i++ {
		c := handCase(t, q.Layout, "daddiu", mips64.Fields{RS: 4, RT: 3, Imm: uint16(i)}, map[uint32]uint64{4: 1000})
		c.Slot, c.Entry = i, q.Layout.blockBase(i)+4*SlotWord
		batch = append(batch, c)
	}
	res, err := q.Run(batch)
	require.NoError(t, err)
	require.Len(t, res, len(batch))
	for i, r := range res {
		require.Equal(t, sigTrap, r.Signal, "case %d", i)
		require.Equal(t, uint64(1000+i), r.Regs[3], "case %d", i)
		require.Equal(t, batch[i].Entry+8, r.PC, "case %d", i)
	}
}

func TestRunRejectsBadBatches(t *testing.T) {
	q := startQemu(t)
	_, err := q.Run(nil)
	require.ErrorContains(t, err, "batch of 0 cases")
	c := handCase(t, q.Layout, "addu", mips64.Fields{}, nil)
	c.Slot = 1
	_, err = q.Run([]*Case{c})
	require.ErrorContains(t, err, "case 0 has slot 1")
}

func TestParseHelloRejects(t *testing.T) {
	good := func() []byte {
		b := []byte(protoMagic)
		for _, v := range []uint64{protoVersion, 0x2000_0000, 128, 256, 0x1001_0680 &^ 63, inSize, outSize} {
			b = binary.BigEndian.AppendUint64(b, v)
		}
		return b
	}
	_, err := parseHello(good())
	require.NoError(t, err)

	tests := []struct {
		name string
		edit func(b []byte)
		want string
	}{
		{"magic", func(b []byte) { b[0] = 'X' }, "magic"},
		{"version", func(b []byte) { b[15] = 9 }, "protocol version 9"},
		{"block size", func(b []byte) { b[31] = 64 }, "block size 64"},
		{"window above 2 GiB", func(b []byte) { b[44] = 0x90 }, "memory window"},
		{"record sizes", func(b []byte) { b[63] = 1 }, "record sizes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := good()
			tc.edit(b)
			_, err := parseHello(b)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
