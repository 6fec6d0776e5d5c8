package memory

import (
	"encoding/binary"
	"sort"

	"golang.org/x/crypto/sha3"
)

// This file re-derives the tree from docs/spec.md §3 "Memory" without the package's code:
// sha3 directly, zero hashes folded here, and a naive recursive Merkle root over a plain
// map of words. Tests compare the package against it.

func refKeccak(parts ...[]byte) (out [32]byte) {
	h := sha3.NewLegacyKeccak256()
	for _, p := range parts {
		h.Write(p)
	}
	copy(out[:], h.Sum(nil))
	return out
}

var refZero = func() (z [60][32]byte) {
	for i := 1; i < 60; i++ {
		z[i] = refKeccak(z[i-1][:], z[i-1][:])
	}
	return z
}()

// refMem is the model: 8-aligned address -> word; absent means 0.
type refMem map[uint64]uint64

func (r refMem) leaves() map[uint64][32]byte {
	out := map[uint64][32]byte{}
	for addr, w := range r {
		l := out[addr>>5]
		binary.BigEndian.PutUint64(l[addr&31:], w)
		out[addr>>5] = l
	}
	return out
}

func (r refMem) root() [32]byte {
	leaves := r.leaves()
	idx := make([]uint64, 0, len(leaves))
	for i := range leaves {
		idx = append(idx, i)
	}
	sort.Slice(idx, func(a, b int) bool { return idx[a] < idx[b] })
	return refNode(leaves, idx, 59, 0)
}

// refNode hashes the subtree of the given height whose first leaf index is base; idx are
// the sorted leaf indexes inside it.
func refNode(leaves map[uint64][32]byte, idx []uint64, level int, base uint64) [32]byte {
	if len(idx) == 0 {
		return refZero[level]
	}
	if level == 0 {
		return leaves[idx[0]]
	}
	mid := base + uint64(1)<<(level-1)
	split := sort.Search(len(idx), func(i int) bool { return idx[i] >= mid })
	l := refNode(leaves, idx[:split], level-1, base)
	r := refNode(leaves, idx[split:], level-1, mid)
	return refKeccak(l[:], r[:])
}

// refFold is the on-chain verification loop of docs/spec.md §3.
func refFold(proof []byte, addr uint64) [32]byte {
	node := [32]byte(proof[:32])
	for i := 0; i < 59; i++ {
		sib := proof[32*(i+1) : 32*(i+2)]
		if (addr>>5)>>i&1 == 0 {
			node = refKeccak(node[:], sib)
		} else {
			node = refKeccak(sib, node[:])
		}
	}
	return node
}
