package memory

import "fmt"

// partialState makes a Memory that knows only the leaves proven by a step's witness: the
// rest of the tree is a set of opaque hashes (the proofs' siblings). This is how one step is
// replayed from its witness alone, as the on-chain step does.
type partialState struct {
	proven map[uint64]struct{} // leaf index (addr>>5) of every proven leaf

	missing    uint64
	hasMissing bool
}

// NewPartial returns a memory whose root is root and whose words are all unknown until
// proofs are added with AddProof.
func NewPartial(root [32]byte) *Memory {
	m := New()
	m.partial = &partialState{proven: make(map[uint64]struct{})}
	m.nodes[1] = node{hash: root, ok: true}
	return m
}

// Missing reports the first address read or written that no added proof covered. Such reads
// return 0 and such writes are dropped, so after a miss the memory no longer follows the
// guest; the caller must treat the replay as failed. A full memory never misses.
func (m *Memory) Missing() (addr uint64, ok bool) {
	if m.partial == nil {
		return 0, false
	}
	return m.partial.missing, m.partial.hasMissing
}

func (ps *partialState) readable(addr uint64) bool {
	if _, ok := ps.proven[addr>>leafBits]; ok {
		return true
	}
	if !ps.hasMissing {
		ps.missing, ps.hasMissing = addr, true
	}
	return false
}

func (ps *partialState) writable(addr uint64) bool { return ps.readable(addr) }

func (ps *partialState) copy() *partialState {
	c := *ps
	c.proven = make(map[uint64]struct{}, len(ps.proven))
	for k := range ps.proven {
		c.proven[k] = struct{}{}
	}
	return &c
}

// AddProof verifies proof for the 8-aligned addr against the current root (which includes
// the writes made so far) and makes the 32-byte leaf holding addr readable and writable.
// The siblings become known-but-opaque nodes, so that later writes to proven leaves give the
// same new root as the full memory would.
func (m *Memory) AddProof(addr uint64, proof []byte) error {
	if m.partial == nil {
		return fmt.Errorf("add proof of 0x%x: %w", addr, ErrNotPartial)
	}
	if err := checkProof(proof, addr); err != nil {
		return fmt.Errorf("add proof of 0x%x: %w", addr, err)
	}
	root := m.Root()
	var path [TreeDepth + 1][32]byte
	if got := foldProof([32]byte(proof[:32]), proof, addr, &path); got != root {
		return fmt.Errorf("add proof of 0x%x: %w: proof gives 0x%x, memory has 0x%x", addr, ErrProofRoot, got, root)
	}
	// The proof folds to the current root, so wherever it names a node this memory already
	// knows, the two agree (else keccak has a collision): overwriting known nodes is safe.
	sib := func(level int) [32]byte { return [32]byte(proof[32*(level+1):]) }
	leaf := addr >> leafBits
	idx := addr >> pageAddrBits
	p := m.pages[idx]
	if p == nil {
		// Not via allocate: that would mark the path dirty down to nodes nobody knows.
		p = new(page)
		m.pages[idx] = p
	}
	off := addr & pageMask &^ (leafSize - 1)
	copy(p.data[off:], proof[:leafSize])
	copy(p.data[off^leafSize:], proof[leafSize:2*leafSize])
	j := leaf & (1<<pageLevels - 1)
	for level := 1; level < pageLevels; level++ {
		k := localNode(j, level)
		p.cache[k], p.valid[k] = path[level], true
		p.cache[k^1], p.valid[k^1] = sib(level), true
	}
	p.cache[1], p.valid[1] = path[pageLevels], true
	if _, ok := m.pages[idx^1]; !ok {
		m.nodes[(pageGindexBase|idx)^1] = node{hash: sib(pageLevels), ok: true}
	}
	for level := pageLevels + 1; level <= TreeDepth; level++ {
		g := uint64(1)<<(TreeDepth-level) | leaf>>level
		m.nodes[g] = node{hash: path[level], ok: true}
		if level < TreeDepth {
			m.nodes[g^1] = node{hash: sib(level), ok: true}
		}
	}
	m.partial.proven[leaf] = struct{}{}
	return nil
}
