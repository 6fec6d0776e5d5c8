package memory

// zeroPage is a source of zero bytes for SetZero.
var zeroPage [PageSize]byte

// SetZero writes n zero bytes from addr (wrapping modulo 2^64). Absent pages already read
// as zero and stay absent, so a huge range (an ELF's .bss) costs only the pages it meets.
func (m *Memory) SetZero(addr, n uint64) {
	if n == 0 {
		return
	}
	if end := addr + n; end != 0 && end < addr {
		m.SetZero(addr, -addr)
		m.SetZero(0, end)
		return
	}
	first, last := addr>>pageAddrBits, (addr+n-1)>>pageAddrBits
	var hit []uint64
	if last-first < uint64(len(m.pages)) {
		for idx := first; ; idx++ {
			if _, ok := m.pages[idx]; ok {
				hit = append(hit, idx)
			}
			if idx == last {
				break
			}
		}
	} else {
		for idx := range m.pages {
			if idx >= first && idx <= last {
				hit = append(hit, idx)
			}
		}
	}
	for _, idx := range hit {
		lo := max(addr, idx<<pageAddrBits)
		hi := min(addr+n-1, idx<<pageAddrBits|pageMask) // inclusive: addr+n may be 2^64
		m.SetBytes(lo, zeroPage[:hi-lo+1])
	}
}
