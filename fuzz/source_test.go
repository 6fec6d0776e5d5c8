package fuzz

import "encoding/binary"

// source turns fuzz bytes into choices. An exhausted source yields zeros, so every input,
// however short, decodes to one deterministic state.
type source struct {
	b []byte
	i int
}

func newSource(b []byte) *source { return &source{b: b} }

func (s *source) byte() byte {
	if s.i >= len(s.b) {
		return 0
	}
	c := s.b[s.i]
	s.i++
	return c
}

func (s *source) u16() uint16 { return uint16(s.byte())<<8 | uint16(s.byte()) }

func (s *source) u64() uint64 {
	var w [8]byte
	for i := range w {
		w[i] = s.byte()
	}
	return binary.BigEndian.Uint64(w[:])
}

func (s *source) bool() bool { return s.byte()&1 == 1 }

// oneIn is true with probability 1/n (n <= 256); a zero byte (an exhausted source) says no,
// so short inputs decode to ordinary states.
func (s *source) oneIn(n int) bool { return int(s.byte())%n == n-1 }

func (s *source) intn(n int) int { return int(s.u16()) % n }

func (s *source) bytes(n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = s.byte()
	}
	return out
}

// edgeValues are register values at the boundaries the instruction semantics care about:
// sign bits of 16, 32 and 64 bits, all-ones, and the INT_MIN / -1 division pairs.
var edgeValues = []uint64{
	0, 1, 2, 3, 4, 7, 8, 31, 32, 63, 64,
	0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
	0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
	0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_7FFF_FFFF,
	0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE,
	0x0000_6000_0000_0000, 0x0000_4000_0000_0000,
}

// value is a register-like value: an edge value, a small number or 64 random bits.
func (s *source) value() uint64 {
	switch s.byte() % 4 {
	case 0:
		return edgeValues[s.intn(len(edgeValues))]
	case 1:
		return uint64(s.byte())
	default:
		return s.u64()
	}
}
