package memory

import (
	"math/bits"

	"github.com/fpvmdiff/fpvmdiff/vm/internal/keccak"
)

var zeroHashes = func() (z [TreeDepth + 1][32]byte) {
	for i := 1; i <= TreeDepth; i++ {
		z[i] = keccak.Pair(&z[i-1], &z[i-1])
	}
	return z
}()

// ZeroHash is the root of an all-zero subtree of the given height (0 = one leaf,
// 59 = the empty memory). It panics for a level outside [0, 59]: that is a caller bug.
func ZeroHash(level int) [32]byte {
	if level < 0 || level > TreeDepth {
		panic("memory.ZeroHash: level out of range [0, 59]")
	}
	return zeroHashes[level]
}

// Root is the Merkle root of the whole address space.
func (m *Memory) Root() [32]byte {
	return m.hashAbove(1, TreeDepth)
}

// hashAbove returns the hash of the node at generalized index g and height level >= 7.
func (m *Memory) hashAbove(g uint64, level int) [32]byte {
	if level == pageLevels {
		if p := m.pages[g-pageGindexBase]; p != nil {
			return p.hashNode(1)
		}
		if m.partial != nil {
			if n, ok := m.nodes[g]; ok {
				return n.hash
			}
		}
		return zeroHashes[level]
	}
	n, ok := m.nodes[g]
	if !ok {
		return zeroHashes[level]
	}
	if n.ok {
		return n.hash
	}
	l := m.hashAbove(2*g, level-1)
	r := m.hashAbove(2*g+1, level-1)
	n = node{hash: keccak.Pair(&l, &r), ok: true}
	m.nodes[g] = n
	return n.hash
}

// Proof is the 1920-byte proof of the leaf holding addr. For a partial memory, a leaf not
// covered by an added proof is recorded as missing and its proof is all zero.
func (m *Memory) Proof(addr uint64) [ProofSize]byte {
	var out [ProofSize]byte
	m.ProofInto(&out, addr)
	return out
}

// ProofInto overwrites out with Proof(addr): a witness builds its three proofs in place
// instead of copying 1920-byte values around.
func (m *Memory) ProofInto(out *[ProofSize]byte, addr uint64) {
	if m.partial != nil && !m.partial.readable(addr) {
		*out = [ProofSize]byte{}
		return
	}
	leaf := addr >> leafBits
	idx := addr >> pageAddrBits
	p := m.pages[idx]
	if p != nil {
		off := addr & pageMask &^ (leafSize - 1)
		copy(out[0:32], p.data[off:off+leafSize])
		copy(out[32:64], p.data[off^leafSize:(off^leafSize)+leafSize])
	} else {
		clear(out[:64])
	}
	j := leaf & (1<<pageLevels - 1)
	for level := 1; level < pageLevels; level++ {
		var s [32]byte
		if p != nil {
			s = p.hashNode(localNode(j, level) ^ 1)
		} else {
			s = zeroHashes[level]
		}
		copy(out[32*(level+1):], s[:])
	}
	up := m.upperSiblings(idx, leaf)
	for i := range up {
		copy(out[32*(pageLevels+i+1):], up[i][:])
	}
}

// upperSiblings are the siblings of page idx's path above the page level, from the cache
// when no other page changed since they were computed (see Memory.upper).
func (m *Memory) upperSiblings(idx, leaf uint64) *[TreeDepth - pageLevels][32]byte {
	var e *upperSiblings
	if m.partial == nil {
		for i := range m.upper {
			if e = &m.upper[i]; e.ok && e.idx == idx {
				for ; e.stale != 0; e.stale &= e.stale - 1 {
					k := bits.TrailingZeros64(e.stale)
					level := pageLevels + k
					e.sib[k] = m.hashAbove(siblingIndex(leaf, level), level)
				}
				return &e.sib
			}
		}
		e = &m.upper[m.upperNext]
		m.upperNext ^= 1
	} else {
		e = new(upperSiblings)
	}
	for level := pageLevels; level < TreeDepth; level++ {
		e.sib[level-pageLevels] = m.hashAbove(siblingIndex(leaf, level), level)
	}
	e.idx, e.ok, e.stale = idx, m.partial == nil, 0
	return &e.sib
}

// siblingIndex is the generalized index of the sibling, at height level, of the path to leaf.
func siblingIndex(leaf uint64, level int) uint64 {
	return (uint64(1)<<(TreeDepth-level) | leaf>>level) ^ 1
}
