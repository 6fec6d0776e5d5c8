// Package memory holds the VM's sparse 64-bit address space and its binary Merkle tree
// (docs/spec.md §3 "Memory"): 4 KiB pages allocated on first write, 32-byte leaves that are
// not hashed, 59 levels of keccak256 above them, and 1920-byte proofs.
//
// API CONTRACT (fixed; other packages are written against it):
//
//	New() *Memory
//	(*Memory).GetWord(addr uint64) uint64          // addr 8-aligned (caller masks); absent page reads 0, allocates nothing
//	(*Memory).SetWord(addr uint64, v uint64)       // addr 8-aligned; allocates the page; invalidates cached hashes on the path
//	(*Memory).SetBytes(addr uint64, data []byte)   // any alignment, any length; used by the ELF loader
//	(*Memory).ReadBytes(addr uint64, n int) []byte // any alignment; for copying guest output
//	(*Memory).Root() [32]byte                      // lazily re-hashes only dirty paths
//	(*Memory).Proof(addr uint64) [ProofSize]byte   // leaf (32 B at addr&^31) then 59 siblings, bottom-up
//	(*Memory).PageCount() int
//	(*Memory).Copy() *Memory                       // deep copy
//	VerifyProof(root [32]byte, addr uint64, proof []byte) (word uint64, err error)
//	RootAfterWrite(proof []byte, addr uint64, word uint64) ([32]byte, error) // same siblings, new word
//	ZeroHash(level int) [32]byte                   // Z[0]=0, Z[i]=H(Z[i-1]‖Z[i-1]); Z[59]=empty root
//	Partial memory for stateless replay from a witness: NewPartial(root), (*Memory).AddProof(addr, proof) error,
//	(*Memory).Missing() (addr uint64, ok bool) — first read/write outside the proven words.
//
// Additions: (*Memory).SetZero(addr, n uint64) zero-fills without allocating absent pages (ELF
// .bss); the errors ErrProofLength, ErrUnaligned, ErrProofRoot, ErrNotPartial (for errors.Is);
// constants PageSize and TreeDepth.
//
// Addresses wrap modulo 2^64 in SetBytes, SetZero and ReadBytes. A Memory is not safe for concurrent use.
package memory

import "encoding/binary"

// Geometry of the tree (docs/spec.md §3 "Memory" and §9.1 "Constants").
const (
	// ProofSize is the byte length of one memory proof: the leaf plus 59 sibling hashes.
	ProofSize = 60 * 32

	// TreeDepth is the number of hashed levels above the 32-byte leaves.
	TreeDepth = 59

	PageSize     = 4096
	pageAddrBits = 12
	pageMask     = PageSize - 1
	leafSize     = 32
	leafBits     = 5
	// pageLevels is the height of a page's subtree: 128 leaves.
	pageLevels = pageAddrBits - leafBits
	// pageGindexBase is the generalized index of page 0's root; page i is at base|i.
	pageGindexBase = uint64(1) << (TreeDepth - pageLevels)
)

// noPage never equals addr>>12, so an empty last-page cache always misses.
const noPage = ^uint64(0)

// Memory is a sparse, merkleized 64-bit address space.
type Memory struct {
	pages map[uint64]*page

	// Two-entry cache of recently used pages: instruction fetches and data accesses
	// alternate between two pages, and a map lookup costs more than the rest of a step.
	// Never filled for a partial memory, so its checks stay off this path.
	lastIdx  uint64
	lastPage *page
	prevIdx  uint64
	prevPage *page

	// nodes caches hashes above the pages, keyed by generalized index: absent means an
	// all-zero subtree, present but not ok means dirty.
	nodes map[uint64]node

	partial *partialState

	// upper remembers, for the last two pages proven, the siblings above the page level.
	// Those depend only on other pages, and every change to another page goes through
	// dirtyAbove (a proof leaves all sibling subtrees hashed, so their next write
	// invalidates up the tree), which marks the one sibling covering the written page
	// stale in the entries of every other page. Instruction and stack proofs then skip 52
	// node look-ups on most steps and re-read one or two after a store elsewhere. Not used
	// for partial memories, whose nodes AddProof sets directly.
	upper     [2]upperSiblings
	upperNext int
}

type upperSiblings struct {
	idx uint64
	ok  bool
	// stale has bit k set when sib[k] covers a page written since it was computed.
	stale uint64
	sib   [TreeDepth - pageLevels][32]byte
}

type node struct {
	hash [32]byte
	ok   bool
}

// New returns an empty memory.
func New() *Memory {
	return &Memory{
		pages:   make(map[uint64]*page),
		lastIdx: noPage,
		prevIdx: noPage,
		nodes:   make(map[uint64]node),
	}
}

// GetWord reads the 8-byte big-endian word at the 8-aligned addr.
func (m *Memory) GetWord(addr uint64) uint64 {
	if addr>>pageAddrBits == m.lastIdx {
		return binary.BigEndian.Uint64(m.lastPage.data[addr&(pageMask&^7):])
	}
	return m.getWordSlow(addr)
}

func (m *Memory) getWordSlow(addr uint64) uint64 {
	if m.partial != nil && !m.partial.readable(addr) {
		return 0
	}
	p := m.lookup(addr >> pageAddrBits)
	if p == nil {
		return 0
	}
	return binary.BigEndian.Uint64(p.data[addr&(pageMask&^7):])
}

// SetWord writes the 8-byte big-endian word at the 8-aligned addr.
func (m *Memory) SetWord(addr uint64, v uint64) {
	if addr>>pageAddrBits == m.lastIdx {
		p := m.lastPage
		binary.BigEndian.PutUint64(p.data[addr&(pageMask&^7):], v)
		if k := pairNode(addr); p.valid[k] {
			m.invalidate(p, addr>>pageAddrBits, k)
		}
		return
	}
	m.setWordSlow(addr, v)
}

func (m *Memory) setWordSlow(addr uint64, v uint64) {
	if p := m.pageForWrite(addr); p != nil {
		binary.BigEndian.PutUint64(p.data[addr&(pageMask&^7):], v)
		m.written(p, addr)
	}
}

// pageForWrite is the page holding addr, allocated if absent; nil when a partial memory
// does not cover addr (the write is then recorded as missing and dropped).
func (m *Memory) pageForWrite(addr uint64) *page {
	if m.partial != nil && !m.partial.writable(addr) {
		return nil
	}
	idx := addr >> pageAddrBits
	if p := m.lookup(idx); p != nil {
		return p
	}
	return m.allocate(idx)
}

// written invalidates the cached hashes above the leaf pair holding addr after a write.
func (m *Memory) written(p *page, addr uint64) {
	if k := pairNode(addr); p.valid[k] {
		m.invalidate(p, addr>>pageAddrBits, k)
	}
}

// lookup finds an allocated page, refreshing the page cache; nil if absent.
func (m *Memory) lookup(idx uint64) *page {
	if idx == m.lastIdx {
		return m.lastPage
	}
	if idx == m.prevIdx {
		m.lastIdx, m.prevIdx = m.prevIdx, m.lastIdx
		m.lastPage, m.prevPage = m.prevPage, m.lastPage
		return m.lastPage
	}
	p := m.pages[idx]
	if p != nil && m.partial == nil {
		m.prevIdx, m.prevPage = m.lastIdx, m.lastPage
		m.lastIdx, m.lastPage = idx, p
	}
	return p
}

// allocate adds a zero page. Its hashes start invalid, so the path above is marked dirty.
func (m *Memory) allocate(idx uint64) *page {
	p := new(page)
	m.pages[idx] = p
	m.dirtyAbove(idx)
	if m.partial == nil {
		m.prevIdx, m.prevPage = m.lastIdx, m.lastPage
		m.lastIdx, m.lastPage = idx, p
	}
	return p
}

// SetBytes writes data starting at addr.
func (m *Memory) SetBytes(addr uint64, data []byte) {
	for len(data) > 0 {
		// Chunks never cross a leaf, so a partial memory can check each one whole.
		n := min(len(data), leafSize-int(addr&(leafSize-1)))
		m.setChunk(addr, data[:n])
		addr += uint64(n)
		data = data[n:]
	}
}

func (m *Memory) setChunk(addr uint64, chunk []byte) {
	if p := m.pageForWrite(addr); p != nil {
		copy(p.data[addr&pageMask:], chunk)
		m.written(p, addr)
	}
}

// ReadBytes reads n bytes starting at addr; n <= 0 gives an empty slice.
func (m *Memory) ReadBytes(addr uint64, n int) []byte {
	out := make([]byte, max(n, 0))
	for rest := out; len(rest) > 0; {
		k := min(len(rest), leafSize-int(addr&(leafSize-1)))
		m.readChunk(addr, rest[:k])
		addr += uint64(k)
		rest = rest[k:]
	}
	return out
}

func (m *Memory) readChunk(addr uint64, dst []byte) {
	if m.partial != nil && !m.partial.readable(addr) {
		return
	}
	if p := m.lookup(addr >> pageAddrBits); p != nil {
		copy(dst, p.data[addr&pageMask:])
	}
}

// PageCount is the number of allocated pages.
func (m *Memory) PageCount() int { return len(m.pages) }

// Copy returns a deep copy.
func (m *Memory) Copy() *Memory {
	c := &Memory{
		pages:   make(map[uint64]*page, len(m.pages)),
		lastIdx: noPage,
		prevIdx: noPage,
		nodes:   make(map[uint64]node, len(m.nodes)),
	}
	for idx, p := range m.pages {
		q := *p
		c.pages[idx] = &q
	}
	for g, n := range m.nodes {
		c.nodes[g] = n
	}
	if m.partial != nil {
		c.partial = m.partial.copy()
	}
	return c
}
