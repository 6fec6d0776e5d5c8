package vm

import (
	"testing"
)

func TestSyscall_ClockGettime(t *testing.T) {
	junk := func(addrs ...uint64) func(s *State) {
		return func(s *State) {
			for _, a := range addrs {
				s.Memory.SetWord(a, 0xAAAA_AAAA_AAAA_AAAA)
			}
		}
	}
	atStep := func(step uint64) func(s *State) {
		return func(s *State) { s.Step = step; junk(scData, scData+8)(s) }
	}
	// wrote is the expected state: the step counter (pre-step + 1) and the two words.
	wrote := func(addr, secs, nsecs uint64) func(s *State, th *Thread) {
		return func(s *State, th *Thread) {
			scOK(th, 0)
			s.Memory.SetWord(addr, secs)
			s.Memory.SetWord(addr+8, nsecs)
		}
	}
	cases := []scCase{
		{name: "monotonic, step becomes 10_000_000", num: 5222, a0: 1, a1: scData, build: atStep(9_999_999),
			expect: wrote(scData, 1, 0)},
		{name: "monotonic, step becomes 9_999_999", num: 5222, a0: 1, a1: scData, build: atStep(9_999_998),
			expect: wrote(scData, 0, 999_999_900)},
		{name: "monotonic, step becomes 10_000_001", num: 5222, a0: 1, a1: scData, build: atStep(10_000_000),
			expect: wrote(scData, 1, 100)},
		{name: "monotonic, step becomes 25_000_000_123", num: 5222, a0: 1, a1: scData, build: atStep(25_000_000_122),
			expect: wrote(scData, 2500, 12_300)},
		{name: "monotonic, step becomes 1", num: 5222, a0: 1, a1: scData, build: atStep(0),
			expect: wrote(scData, 0, 100)},
		{name: "realtime is 0/0", num: 5222, a0: 0, a1: scData, build: atStep(25_000_000_122),
			expect: wrote(scData, 0, 0)},
		{name: "unaligned buffer writes at a1&^7", num: 5222, a0: 1, a1: scData + 5, build: atStep(9_999_999),
			expect: wrote(scData, 1, 0)},
		{name: "a1&31 = 24: words in two leaves", num: 5222, a0: 1, a1: scData + 24,
			build:  func(s *State) { s.Step = 10_000_000; junk(scData+24, scData+32)(s) },
			expect: wrote(scData+24, 1, 100)},
		{name: "second word wraps to address 0", num: 5222, a0: 1, a1: 0xFFFF_FFFF_FFFF_FFFC,
			build: func(s *State) { s.Step = 10_000_000; junk(0xFFFF_FFFF_FFFF_FFF8, 0)(s) },
			expect: func(s *State, th *Thread) {
				scOK(th, 0)
				s.Memory.SetWord(0xFFFF_FFFF_FFFF_FFF8, 1)
				s.Memory.SetWord(0, 100)
			}},
		{name: "first word clears a reservation", num: 5222, a0: 1, a1: scData, build: func(s *State) {
			atStep(9_999_999)(s)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 1, scData+3, 0
		}, expect: func(s *State, th *Thread) {
			wrote(scData, 1, 0)(s, th)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 0, 0, 0
		}},
		{name: "second word clears a reservation", num: 5222, a0: 1, a1: scData, build: func(s *State) {
			atStep(9_999_999)(s)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 2, scData+8, 5
		}, expect: func(s *State, th *Thread) {
			wrote(scData, 1, 0)(s, th)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 0, 0, 0
		}},
		{name: "reservation on the next word survives", num: 5222, a0: 1, a1: scData, build: func(s *State) {
			atStep(9_999_999)(s)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 1, scData+16, 0
		}, expect: wrote(scData, 1, 0)},
		{name: "clock 2 is EINVAL, memory untouched", num: 5222, a0: 2, a1: scData, build: atStep(5),
			expect: func(s *State, th *Thread) { scErr(th, 22) }},
		{name: "clock compared as 64 bits", num: 5222, a0: 0x1_0000_0001, a1: scData, build: atStep(5),
			expect: func(s *State, th *Thread) { scErr(th, 22) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
}

func TestSyscall_Getrandom(t *testing.T) {
	// docs/spec.md §7.2 "Supported syscalls": step 0x1a2b3c4d5e6f7530 before the step, so the
	// seed is ...7531 and splitmix64 gives 0x4141302768c9e9d0.
	const preStep = 0x1a2b3c4d5e6f7530
	mem := func(word uint64) func(s *State) {
		return func(s *State) { s.Step = preStep; s.Memory.SetWord(scData, word) }
	}
	result := func(word, v0 uint64) func(s *State, th *Thread) {
		return func(s *State, th *Thread) { scOK(th, v0); s.Memory.SetWord(scData, word) }
	}
	cases := []scCase{
		{name: "aligned, 8 bytes", num: 5313, a0: scData, a1: 8, build: mem(0xEEEE_EEEE_EEEE_EEEE),
			expect: result(0x4141302768c9e9d0, 8)},
		{name: "aligned, len 100 capped at 8", num: 5313, a0: scData, a1: 100, a2: 0xFF, build: mem(0),
			expect: result(0x4141302768c9e9d0, 8)},
		{name: "k=1 len=8: 7 bytes, mask 00FFFFFFFFFFFFFF", num: 5313, a0: scData + 1, a1: 8, build: mem(0xEEEE_EEEE_EEEE_EEEE),
			expect: result(0xEE41_3027_68c9_e9d0, 7)},
		{name: "k=6 len=3: 2 bytes, mask FFFF", num: 5313, a0: scData + 6, a1: 3, build: mem(0xEEEE_EEEE_EEEE_EEEE),
			expect: result(0xEEEE_EEEE_EEEE_E9D0, 2)},
		{name: "k=3 len=2", num: 5313, a0: scData + 3, a1: 2, build: mem(0xEEEE_EEEE_EEEE_EEEE),
			expect: result(0xEEEE_EE27_68EE_EEEE, 2)},
		{name: "k=7 len=9", num: 5313, a0: scData + 7, a1: 9, build: mem(0xEEEE_EEEE_EEEE_EEEE),
			expect: result(0xEEEE_EEEE_EEEE_EED0, 1)},
		{name: "len 0 writes nothing, returns 0", num: 5313, a0: scData + 2, a1: 0, build: mem(0xEEEE_EEEE_EEEE_EEEE),
			expect: result(0xEEEE_EEEE_EEEE_EEEE, 0)},
		{name: "len 0 still clears a reservation", num: 5313, a0: scData + 2, a1: 0, build: func(s *State) {
			mem(0xEEEE_EEEE_EEEE_EEEE)(s)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 1, scData+4, 0
		}, expect: func(s *State, th *Thread) {
			scOK(th, 0)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 0, 0, 0
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
}

// TestSyscall_GetrandomAllSpans covers every alignment 0-7 with lengths 0-9: byte i of the
// word takes byte i of 41 41 30 27 68 c9 e9 d0 when k <= i < k+n, n = min(len, 8-k).
func TestSyscall_GetrandomAllSpans(t *testing.T) {
	rnd := [8]byte{0x41, 0x41, 0x30, 0x27, 0x68, 0xc9, 0xe9, 0xd0}
	for k := uint64(0); k < 8; k++ {
		for length := uint64(0); length <= 9; length++ {
			n := length
			if n > 8-k {
				n = 8 - k
			}
			var want uint64
			for i := uint64(0); i < 8; i++ {
				b := byte(0xEE)
				if i >= k && i < k+n {
					b = rnd[i]
				}
				want = want<<8 | uint64(b)
			}
			c := scCase{num: 5313, a0: scData + k, a1: length,
				build: func(s *State) { s.Step = 0x1a2b3c4d5e6f7530; s.Memory.SetWord(scData, 0xEEEE_EEEE_EEEE_EEEE) },
				expect: func(s *State, th *Thread) {
					scOK(th, n)
					s.Memory.SetWord(scData, want)
				}}
			t.Run(fmtNum(k)+"/"+fmtNum(length), func(t *testing.T) { scRun(t, c) })
		}
	}
}
