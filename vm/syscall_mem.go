package vm

// Address-space constants (docs/spec.md §9.1 "Constants").
const (
	pageSize     = 4096
	pageMask     = pageSize - 1
	heapEnd      = 0x0000_6000_0000_0000
	programBreak = 0x0000_4000_0000_0000
)

// sysMmap hands out heap pages. A non-zero address is a hint returned verbatim (no alignment,
// no validation, heap unchanged); only heap allocations can fail, when the page-rounded size
// wraps, the heap end wraps, or the heap would pass HEAP_END (docs/spec.md §7.2 "Supported
// syscalls").
func (v *VM) sysMmap(t *Thread, addr, length uint64) {
	if addr != 0 {
		sysReturn(t, addr)
		return
	}
	size := length
	if rem := size & pageMask; rem != 0 {
		size += pageSize - rem
	}
	heap := v.state.Heap
	end := heap + size
	if size < length || end < heap || end > heapEnd {
		sysError(t, errEINVAL)
		return
	}
	v.state.Heap = end
	sysReturn(t, heap)
}

// sysGetrandom fills at most the rest of one 8-byte word with splitmix64 of the (already
// incremented) step counter. The word is written back even when no byte changes, so a
// zero-length call still needs its proof and still clears a reservation on that word.
func (v *VM) sysGetrandom(t *Thread, buf, length uint64) {
	k := buf & 7
	n := 8 - k
	if length < n {
		n = length
	}
	mask := byteSpanMask(k, n)
	word := v.loadWord(buf)
	v.storeWord(buf, word&^mask|splitmix64(v.state.Step)&mask)
	sysReturn(t, n)
}

// byteSpanMask selects the n bytes starting at byte k of a big-endian word (k+n <= 8).
// Shifts by 64 yield 0 in Go, which is exactly the empty tail needed when k+n == 8.
func byteSpanMask(k, n uint64) uint64 {
	return ^uint64(0) >> (8 * k) &^ (^uint64(0) >> (8 * (k + n)))
}

// splitmix64 is the generator getrandom uses in state version 8 (docs/spec.md §7.2 "Supported
// syscalls").
func splitmix64(seed uint64) uint64 {
	z := seed + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
