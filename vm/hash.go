package vm

import "github.com/fpvmdiff/fpvmdiff/vm/internal/keccak"

// keccak256 is Ethereum's Keccak-256 (the pre-standard padding, not SHA3-256).
func keccak256(data []byte) [32]byte { return keccak.Sum256(data) }

// keccakPair is keccak256(l || r) without building the 64-byte input.
func keccakPair(l, r *[32]byte) [32]byte { return keccak.Pair(l, r) }
