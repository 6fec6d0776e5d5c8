// Package keccak is Ethereum's Keccak-256 (the original Keccak padding 0x01, not SHA3-256's
// 0x06) for the VM's hot paths. Merkle nodes and thread-stack links hash exactly 64 bytes, and
// a witness step hashes dozens of them, so Pair absorbs its two halves straight into the
// lanes: no sponge object, no buffering, no allocation. Sum256 serves every other length.
package keccak

//go:generate go run gen.go

import "encoding/binary"

// rate is the Keccak-256 block size in bytes (1600 - 2*256 bits).
const rate = 136

// Pair is keccak256(l || r).
func Pair(l, r *[32]byte) [32]byte {
	var s [25]uint64
	for i := 0; i < 4; i++ {
		s[i] = binary.LittleEndian.Uint64(l[8*i:])
		s[4+i] = binary.LittleEndian.Uint64(r[8*i:])
	}
	// 64 bytes fill lanes 0..7; the 0x01 pad byte starts lane 8 and the final 0x80 closes
	// the 136-byte block at the top byte of lane 16.
	s[8] = 0x01
	s[16] = 0x80 << 56
	permute(&s)
	return squeeze(&s)
}

// Sum256 is keccak256(data).
func Sum256(data []byte) [32]byte {
	var s [25]uint64
	for len(data) >= rate {
		for i := 0; i < rate/8; i++ {
			s[i] ^= binary.LittleEndian.Uint64(data[8*i:])
		}
		permute(&s)
		data = data[rate:]
	}
	var last [rate]byte
	copy(last[:], data)
	last[len(data)] ^= 0x01
	last[rate-1] ^= 0x80
	for i := 0; i < rate/8; i++ {
		s[i] ^= binary.LittleEndian.Uint64(last[8*i:])
	}
	permute(&s)
	return squeeze(&s)
}

func squeeze(s *[25]uint64) (out [32]byte) {
	for i := 0; i < 4; i++ {
		binary.LittleEndian.PutUint64(out[8*i:], s[i])
	}
	return out
}
