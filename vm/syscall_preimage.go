package vm

import (
	"errors"
	"fmt"
)

// writePreimageKey appends up to the rest of one word of guest bytes to the pre-image key (fd
// 6, docs/spec.md §7.4 "File descriptors, read and write"): the key shifts left by n bytes and
// the new bytes fill its tail. The read offset restarts at 0 even when no byte is written.
// Memory is read, never written.
func (v *VM) writePreimageKey(t *Thread, buf, count uint64) {
	s := v.state
	k := buf & 7
	n := 8 - k
	if count < n {
		n = count
	}
	word := v.loadWord(buf)
	key := &s.PreimageKey
	copy(key[:], key[n:])
	for i := uint64(0); i < n; i++ {
		key[32-n+i] = byte(word >> (56 - 8*(k+i)))
	}
	s.PreimageOffset = 0
	sysReturn(t, n)
}

// readPreimage copies up to the rest of one word of the current pre-image into guest memory
// (fd 5, docs/spec.md §7.4 "File descriptors, read and write", §8.2 "Reading a part"). The
// stream starts with the 8-byte big-endian length, so offset 8 is the first data byte; an
// offset at or past the end is a fault on-chain as well. The word is written back even for a
// zero count, which clears a reservation on it.
func (v *VM) readPreimage(t *Thread, insn uint32, buf, count uint64) error {
	s := v.state
	word := v.loadWord(buf)
	data, err := v.fetchPreimage(s.PreimageKey)
	if err != nil {
		return v.fault(FaultPreimageMissing, insn, err.Error())
	}
	off := s.PreimageOffset
	size := 8 + uint64(len(data))
	if off >= size {
		return v.fault(FaultPreimageOutOfRange, insn,
			fmt.Sprintf("offset %d, pre-image of %d bytes (key 0x%x)", off, len(data), s.PreimageKey))
	}
	k := buf & 7
	n := min(size-off, 32, 8-k, count)
	for i := uint64(0); i < n; i++ {
		shift := 56 - 8*(k+i)
		word = word&^(0xFF<<shift) | uint64(preimageStreamByte(data, off+i))<<shift
	}
	v.storeWord(buf, word)
	v.preimageRd, v.preimageOffsetPre = true, off
	s.PreimageOffset = off + n
	sysReturn(t, n)
	return nil
}

// preimageStreamByte is byte pos of (8-byte big-endian length ‖ data); pos < 8+len(data).
func preimageStreamByte(data []byte, pos uint64) byte {
	if pos < 8 {
		return byte(uint64(len(data)) >> (56 - 8*pos))
	}
	return data[pos-8]
}

// fetchPreimage asks the oracle for the pre-image of key (the raw key: the Go side never
// localizes), remembering the last answer so a guest reading a pre-image word by word costs
// one oracle call.
func (v *VM) fetchPreimage(key [32]byte) ([]byte, error) {
	if v.cachedOK && v.cachedKey == key {
		return v.cachedValue, nil
	}
	if v.oracle == nil {
		return nil, fmt.Errorf("key 0x%x (%s): no pre-image oracle configured", key, DescribePreimageKey(key))
	}
	data, err := v.oracle.GetPreimage(key)
	if errors.Is(err, ErrPreimageNotFound) {
		// The usual cause: a pre-image file that lacks a key the guest asks for. The oracle's
		// own message repeats the key, so it is replaced rather than wrapped.
		return nil, fmt.Errorf("key 0x%x (%s): %w", key, DescribePreimageKey(key), ErrPreimageNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("key 0x%x (%s): pre-image oracle: %w", key, DescribePreimageKey(key), err)
	}
	v.cachedKey, v.cachedValue, v.cachedOK = key, data, true
	return data, nil
}
