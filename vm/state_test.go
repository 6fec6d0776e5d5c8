package vm

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/sha3"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

func mustHash(t *testing.T, s string) [32]byte {
	t.Helper()
	b, err := decodeHex("0x" + s)
	require.NoError(t, err)
	require.Len(t, b, 32)
	return [32]byte(b)
}

func legacyKeccak(b []byte) [32]byte {
	h := sha3.NewLegacyKeccak256()
	h.Write(b)
	return [32]byte(h.Sum(nil))
}

// The sanity vectors of docs/spec.md §2.3 "Thread stacks" (and §3 "Memory" for the empty
// memory root).
func TestState_SanityVectors(t *testing.T) {
	require.Equal(t, mustHash(t, "ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5"), EmptyThreadRoot)
	require.Equal(t, EmptyThreadRoot, ThreadStackRoot(nil))

	zero := &Thread{PC: 0, NextPC: 4}
	require.Equal(t, mustHash(t, "142eef1e422e67c394d8fab4a0ce5c04ee405cb059176f719d9c2efb8e28d3a0"), ThreadHash(zero))
	require.Equal(t, mustHash(t, "505ea3064aed44444fa938e2d1385d799ec3b37386d433a611439aed796ea153"), ThreadStackRoot([]*Thread{zero}))

	s := &State{Memory: memory.New(), LeftThreadStack: []*Thread{zero}, NextThreadID: 1}
	w := s.EncodeWitness()
	require.Equal(t, mustHash(t, "14af5385bcbb1e4738bbae8106046e6e2fca42875aa5c000c582587742bcc748"), [32]byte(w[:32]))
	require.Equal(t, mustHash(t, "035b096e17d7b97f6bbaa13d179958e729b70813e931dc90dbf4193372f3dc71"), s.Hash())
}

func TestState_StatusByte(t *testing.T) {
	cases := []struct {
		exited   bool
		exitCode uint8
		status   byte
	}{
		{false, 0, 3}, {false, 1, 3}, {false, 7, 3},
		{true, 0, 0}, {true, 1, 1}, {true, 2, 2}, {true, 3, 2}, {true, 0xFF, 2},
	}
	for _, c := range cases {
		require.Equal(t, c.status, StatusOf(c.exited, c.exitCode), "exited %v code %d", c.exited, c.exitCode)
		s := &State{Memory: memory.New(), LeftThreadStack: []*Thread{{NextPC: 4}}, Exited: c.exited, ExitCode: c.exitCode}
		w := s.EncodeWitness()
		want := legacyKeccak(w[:])
		want[0] = c.status
		require.Equal(t, want, s.Hash())
		require.Equal(t, want, StateHash(w[:]))
	}
}

func TestState_ThreadEncoding(t *testing.T) {
	th := &Thread{
		ThreadID: 0x0102030405060708,
		ExitCode: 0x99,
		Exited:   true,
		PC:       0x1111_2222_3333_4444,
		NextPC:   0x5555_6666_7777_8888,
		LO:       0x0A0A_0B0B_0C0C_0D0D,
		HI:       0xF0F0_E0E0_D0D0_C0C0,
	}
	for i := range th.Registers {
		th.Registers[i] = 0xC000_0000_0000_0000 | uint64(i)<<8 | uint64(i)
	}
	enc := EncodeThread(th)
	require.Len(t, enc, 298)
	u64 := func(off int) uint64 { return binary.BigEndian.Uint64(enc[off:]) }
	require.Equal(t, uint64(0x0102030405060708), u64(0))
	require.Equal(t, byte(0x99), enc[8])
	require.Equal(t, byte(1), enc[9])
	require.Equal(t, uint64(0x1111_2222_3333_4444), u64(10))
	require.Equal(t, uint64(0x5555_6666_7777_8888), u64(18))
	require.Equal(t, uint64(0x0A0A_0B0B_0C0C_0D0D), u64(26))
	require.Equal(t, uint64(0xF0F0_E0E0_D0D0_C0C0), u64(34))
	for i := 0; i < 32; i++ {
		require.Equal(t, 0xC000_0000_0000_0000|uint64(i)<<8|uint64(i), u64(42+8*i), "register %d", i)
	}
	require.Equal(t, legacyKeccak(enc[:]), ThreadHash(th))
	th.Exited = false
	enc = EncodeThread(th)
	require.Equal(t, byte(0), enc[9])
}

func TestState_ThreadStackRoot(t *testing.T) {
	a, b := &Thread{ThreadID: 1, NextPC: 4}, &Thread{ThreadID: 2, NextPC: 8}
	encA, encB := EncodeThread(a), EncodeThread(b)
	ha, hb := legacyKeccak(encA[:]), legacyKeccak(encB[:])
	empty := mustHash(t, "ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5")
	r1 := legacyKeccak(append(empty[:], ha[:]...))
	r2 := legacyKeccak(append(r1[:], hb[:]...))
	require.Equal(t, r2, ThreadStackRoot([]*Thread{a, b}), "bottom first: a pushed before b")
}

func TestState_WitnessOffsets(t *testing.T) {
	mem := memory.New()
	mem.SetWord(0x1000, 0x0102_0304_0506_0708)
	left := []*Thread{{ThreadID: 5, NextPC: 4}}
	right := []*Thread{{ThreadID: 6, NextPC: 4}, {ThreadID: 7, NextPC: 4}}
	s := &State{
		Memory:                      mem,
		PreimageKey:                 [32]byte{0xAA, 1, 2, 3, 31: 0xBB},
		PreimageOffset:              0x1122_3344_5566_7788,
		Heap:                        0x2233_4455_6677_8899,
		LLReservationStatus:         2,
		LLAddress:                   0x3344_5566_7788_99AA,
		LLOwnerThread:               0x4455_6677_8899_AABB,
		ExitCode:                    0xEE,
		Exited:                      true,
		Step:                        0x5566_7788_99AA_BBCC,
		StepsSinceLastContextSwitch: 0x6677_8899_AABB_CCDD,
		TraverseRight:               true,
		LeftThreadStack:             left,
		RightThreadStack:            right,
		NextThreadID:                0x7788_99AA_BBCC_DDEE,
		LastHint:                    []byte{1, 2, 3}, // not part of the witness
	}
	w := s.EncodeWitness()
	require.Len(t, w, 188)
	u64 := func(off int) uint64 { return binary.BigEndian.Uint64(w[off:]) }
	require.Equal(t, mem.Root(), [32]byte(w[0:32]))
	require.Equal(t, s.PreimageKey, [32]byte(w[32:64]))
	require.Equal(t, uint64(0x1122_3344_5566_7788), u64(64))
	require.Equal(t, uint64(0x2233_4455_6677_8899), u64(72))
	require.Equal(t, byte(2), w[80])
	require.Equal(t, uint64(0x3344_5566_7788_99AA), u64(81))
	require.Equal(t, uint64(0x4455_6677_8899_AABB), u64(89))
	require.Equal(t, byte(0xEE), w[97])
	require.Equal(t, byte(1), w[98])
	require.Equal(t, uint64(0x5566_7788_99AA_BBCC), u64(99))
	require.Equal(t, uint64(0x6677_8899_AABB_CCDD), u64(107))
	require.Equal(t, byte(1), w[115])
	require.Equal(t, ThreadStackRoot(left), [32]byte(w[116:148]))
	require.Equal(t, ThreadStackRoot(right), [32]byte(w[148:180]))
	require.Equal(t, uint64(0x7788_99AA_BBCC_DDEE), u64(180))

	s.Exited, s.TraverseRight = false, false
	w = s.EncodeWitness()
	require.Equal(t, byte(0), w[98])
	require.Equal(t, byte(0), w[115])
}
