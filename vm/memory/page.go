package memory

import (
	"math/bits"

	"github.com/fpvmdiff/fpvmdiff/vm/internal/keccak"
)

// page is 4 KiB of memory with the hashes of its 128-leaf subtree. cache[k] uses the
// page-local generalized index: 1 is the page root, 64..127 hash pairs of leaves.
// Invariant on every node on a written path: invalid implies all ancestors invalid,
// which lets invalidation stop at the first node that is already invalid.
type page struct {
	data  [PageSize]byte
	cache [128][32]byte
	valid [128]bool
}

// pairNode is the page-local index of the node hashing the 64-byte leaf pair holding addr.
func pairNode(addr uint64) uint64 {
	return 64 | (addr&pageMask)>>6
}

// localNode is the page-local index of the level-L node (1..7) above page leaf j.
func localNode(j uint64, level int) uint64 {
	return 1<<(pageLevels-level) | j>>level
}

// invalidate clears the cached hashes from node k up to the page root and, if the root was
// valid, up the tree above the page.
func (m *Memory) invalidate(p *page, idx uint64, k uint64) {
	for k > 0 && p.valid[k] {
		p.valid[k] = false
		k >>= 1
	}
	if k == 0 {
		m.dirtyAbove(idx)
	}
}

// dirtyAbove marks the nodes above page idx dirty, up to the root or the first dirty one.
func (m *Memory) dirtyAbove(idx uint64) {
	for i := range m.upper {
		if e := &m.upper[i]; e.idx != idx {
			// Of another page's upper siblings only one covers this page: the one at the
			// height where the two paths part, the highest bit in which the indexes differ.
			e.stale |= 1 << (bits.Len64(e.idx^idx) - 1)
		}
	}
	for g := (pageGindexBase | idx) >> 1; g > 0; g >>= 1 {
		if n, ok := m.nodes[g]; ok && !n.ok {
			return
		}
		m.nodes[g] = node{}
	}
}

// hashNode returns the hash of page-local node k, recomputing invalid ones.
func (p *page) hashNode(k uint64) [32]byte {
	if p.valid[k&127] {
		return p.cache[k&127]
	}
	var r [32]byte
	if k >= 64 {
		off := (k - 64) * 64
		r = keccak.Pair((*[32]byte)(p.data[off:off+32]), (*[32]byte)(p.data[off+32:off+64]))
	} else {
		l := p.hashNode(2 * k)
		rr := p.hashNode(2*k + 1)
		r = keccak.Pair(&l, &rr)
	}
	p.cache[k&127] = r
	p.valid[k&127] = true
	return r
}
