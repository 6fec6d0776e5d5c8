package vm

// Thread stack roots are a hash onion over every thread of a stack, and a witness needs the
// roots of both stacks plus the inner root of the active one on every step. A step changes
// at most the top of the active stack (and may push one thread), so re-hashing every thread
// each time would dominate witness cost. The cache keeps, per stack position, a copy of the
// thread and the root up to it; a position is reused only when it and every position below
// it still equal their copies, so a thread changed behind the VM's back (a test, a crafted
// state) can never yield a stale root. Thread values are compared rather than their packed
// bytes: the packing is one-to-one, and packing every thread twice a step cost more than
// hashing the one that changed.

// rootCache holds the caches of both stacks of one State. owner detects a State copied by
// value, whose copy must not share (and so corrupt) the original's cache.
type rootCache struct {
	owner *State
	left  stackCache
	right stackCache
}

type stackCache struct {
	threads []Thread
	roots   [][32]byte
}

func (s *State) rootCache() *rootCache {
	if s.roots == nil || s.roots.owner != s {
		s.roots = &rootCache{owner: s}
	}
	return s.roots
}

// activeRootCache is the cache of the stack the scheduler traverses.
func (s *State) activeRootCache() *stackCache {
	c := s.rootCache()
	if s.TraverseRight {
		return &c.right
	}
	return &c.left
}

// root is ThreadStackRoot(stack), re-hashing only from the lowest position that changed.
func (c *stackCache) root(stack []*Thread) [32]byte {
	root := EmptyThreadRoot
	valid := true
	for i, t := range stack {
		if valid && i < len(c.threads) && c.threads[i] == *t {
			root = c.roots[i]
			continue
		}
		if valid {
			// Entries above i were folded over the old position i: drop them.
			c.threads, c.roots = c.threads[:i], c.roots[:i]
			valid = false
		}
		root = pushRoot(root, ThreadHash(t))
		c.threads = append(c.threads, *t)
		c.roots = append(c.roots, root)
	}
	return root
}
