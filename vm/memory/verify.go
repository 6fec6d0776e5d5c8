package memory

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/vm/internal/keccak"
)

// Errors of proof checking; the returned errors wrap them with the details.
var (
	ErrProofLength = errors.New("memory proof must be 1920 bytes")
	ErrUnaligned   = errors.New("address is not 8-byte aligned")
	ErrProofRoot   = errors.New("memory proof does not match the root")
	ErrNotPartial  = errors.New("not a partial memory")
)

func checkProof(proof []byte, addr uint64) error {
	if len(proof) != ProofSize {
		return fmt.Errorf("%w: got %d bytes", ErrProofLength, len(proof))
	}
	if addr&7 != 0 {
		return fmt.Errorf("%w: 0x%x", ErrUnaligned, addr)
	}
	return nil
}

// foldProof hashes leaf up through the siblings of proof; path, when non-nil, receives the
// node at every height (path[0] = leaf, path[59] = root).
func foldProof(leaf [32]byte, proof []byte, addr uint64, path *[TreeDepth + 1][32]byte) [32]byte {
	node := leaf
	idx := addr >> leafBits
	if path != nil {
		path[0] = node
	}
	for i := 0; i < TreeDepth; i++ {
		sib := (*[32]byte)(proof[32*(i+1) : 32*(i+2)])
		if idx>>i&1 == 0 {
			node = keccak.Pair(&node, sib)
		} else {
			node = keccak.Pair(sib, &node)
		}
		if path != nil {
			path[i+1] = node
		}
	}
	return node
}

// VerifyProof checks proof for the 8-aligned addr against root and returns the word at addr.
func VerifyProof(root [32]byte, addr uint64, proof []byte) (word uint64, err error) {
	if err := checkProof(proof, addr); err != nil {
		return 0, fmt.Errorf("verify proof of 0x%x: %w", addr, err)
	}
	if got := foldProof([32]byte(proof[:32]), proof, addr, nil); got != root {
		return 0, fmt.Errorf("verify proof of 0x%x: %w: proof gives 0x%x, want 0x%x", addr, ErrProofRoot, got, root)
	}
	return binary.BigEndian.Uint64(proof[addr&(leafSize-1):]), nil
}

// RootAfterWrite is the root obtained by writing word at the 8-aligned addr into the leaf
// of proof and re-hashing with the same siblings. The proof itself is not checked against
// any root: callers verify it first.
func RootAfterWrite(proof []byte, addr uint64, word uint64) ([32]byte, error) {
	if err := checkProof(proof, addr); err != nil {
		return [32]byte{}, fmt.Errorf("root after write at 0x%x: %w", addr, err)
	}
	leaf := [32]byte(proof[:32])
	binary.BigEndian.PutUint64(leaf[addr&(leafSize-1):], word)
	return foldProof(leaf, proof, addr, nil), nil
}
