package vm

import (
	"hash"
	"sync"

	"golang.org/x/crypto/sha3"
)

// keccakState is the subset of the sha3 state we use; Read avoids Sum's allocation.
type keccakState interface {
	hash.Hash
	Read([]byte) (int, error)
}

var keccakPool = sync.Pool{New: func() any { return sha3.NewLegacyKeccak256().(keccakState) }}

// keccak is Ethereum's Keccak-256 (the pre-standard padding, not SHA3-256).
func keccak(data []byte) (out [32]byte) {
	h := keccakPool.Get().(keccakState)
	h.Reset()
	h.Write(data)
	h.Read(out[:])
	keccakPool.Put(h)
	return out
}
