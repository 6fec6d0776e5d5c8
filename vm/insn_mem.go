package vm

// Loads and stores (docs/spec.md §5.2 "Primary opcodes", §5.7 "Loads and stores"). Every
// access reads or writes the one aligned 8-byte word holding the effective address, through
// loadWord/storeWord so that the proof slot and the LL reservation are handled in one place.
// Memory is big-endian: the byte at offset k of the word is bits 63-8k..56-8k.

// effectiveAddr is R[rs] + sign-extended offset, wrapping at 64 bits.
func effectiveAddr(t *Thread, i inst) uint64 { return t.Registers[i.rs()] + i.simm() }

// fieldShift is the bit position of the n-byte field holding ea, with ea aligned down to n.
func fieldShift(ea, n uint64) uint64 { return (8 - n - ea&7&^(n-1)) * 8 }

func fieldMask(n uint64) uint64 { return ^uint64(0) >> (64 - 8*n) }

// getField extracts the naturally aligned n-byte field of word m holding ea.
func getField(m, ea, n uint64) uint64 { return m >> fieldShift(ea, n) & fieldMask(n) }

// putField replaces that field with the low n bytes of val.
func putField(m, ea, n, val uint64) uint64 {
	s := fieldShift(ea, n)
	return m&^(fieldMask(n)<<s) | (val&fieldMask(n))<<s
}

// load reads the word holding the effective address of i.
func (v *VM) load(t *Thread, i inst) (ea, m uint64) {
	ea = effectiveAddr(t, i)
	return ea, v.loadWord(ea)
}

// storeField writes the low n bytes of R[rt] into the word holding the effective address.
func (v *VM) storeField(t *Thread, i inst, n uint64) error {
	ea, m := v.load(t, i)
	v.storeWord(ea, putField(m, ea, n, t.Registers[i.rt()]))
	return retire(t, 0, 0)
}

func opLB(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	return retire(t, i.rt(), uint64(int64(int8(getField(m, ea, 1)))))
}

func opLBU(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	return retire(t, i.rt(), getField(m, ea, 1))
}

func opLH(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	return retire(t, i.rt(), uint64(int64(int16(getField(m, ea, 2)))))
}

func opLHU(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	return retire(t, i.rt(), getField(m, ea, 2))
}

func opLW(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	return retire(t, i.rt(), sext32(uint32(getField(m, ea, 4))))
}

func opLWU(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	return retire(t, i.rt(), getField(m, ea, 4))
}

func opLD(v *VM, t *Thread, i inst) error {
	_, m := v.load(t, i)
	return retire(t, i.rt(), m)
}

func opSB(v *VM, t *Thread, i inst) error { return v.storeField(t, i, 1) }
func opSH(v *VM, t *Thread, i inst) error { return v.storeField(t, i, 2) }
func opSW(v *VM, t *Thread, i inst) error { return v.storeField(t, i, 4) }

// opSD needs no read: it replaces the whole word.
func opSD(v *VM, t *Thread, i inst) error {
	v.storeWord(effectiveAddr(t, i), t.Registers[i.rt()])
	return retire(t, 0, 0)
}

// Unaligned 32-bit access works within the aligned 4-byte word w holding ea; a = ea&3 in bits.

// opLWL moves the bytes from ea to the end of w to the top of the low word of rt; the result
// is always sign-extended.
func opLWL(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	a := ea & 3 * 8
	w := uint32(getField(m, ea, 4))<<a | uint32(t.Registers[i.rt()])&(1<<a-1)
	return retire(t, i.rt(), sext32(w))
}

// opLWR moves the bytes from the start of w to ea into the bottom of rt. Only when it loads all
// four bytes (a == 3) is the result sign-extended; otherwise Cannon keeps rt's upper word.
func opLWR(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	s := 24 - ea&3*8
	r := t.Registers[i.rt()]
	w := uint32(r)&^(0xFFFF_FFFF>>s) | uint32(getField(m, ea, 4))>>s
	if ea&3 == 3 {
		return retire(t, i.rt(), sext32(w))
	}
	return retire(t, i.rt(), r&0xFFFF_FFFF_0000_0000|uint64(w))
}

// opSWL stores the top 4-a bytes of the low word of rt at ea .. ea|3.
func opSWL(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	a := ea & 3 * 8
	w := uint32(getField(m, ea, 4))&^(0xFFFF_FFFF>>a) | uint32(t.Registers[i.rt()])>>a
	v.storeWord(ea, putField(m, ea, 4, uint64(w)))
	return retire(t, 0, 0)
}

// opSWR stores the low a+1 bytes of rt at ea&^3 .. ea.
func opSWR(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	s := 24 - ea&3*8
	w := uint32(getField(m, ea, 4))&^(0xFFFF_FFFF<<s) | uint32(t.Registers[i.rt()])<<s
	v.storeWord(ea, putField(m, ea, 4, uint64(w)))
	return retire(t, 0, 0)
}

// Unaligned 64-bit access; b = ea&7 in bits. Go shifts by 64 yield 0, which is exactly the
// empty mask each formula needs at its extreme offset.

func opLDL(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	b := ea & 7 * 8
	return retire(t, i.rt(), m<<b|t.Registers[i.rt()]&(1<<b-1))
}

func opLDR(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	s := 56 - ea&7*8
	return retire(t, i.rt(), m>>s|t.Registers[i.rt()]&(^uint64(0)<<(64-s)))
}

func opSDL(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	b := ea & 7 * 8
	v.storeWord(ea, t.Registers[i.rt()]>>b|m&^(^uint64(0)>>b))
	return retire(t, 0, 0)
}

func opSDR(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	s := 56 - ea&7*8
	v.storeWord(ea, t.Registers[i.rt()]<<s|m&^(^uint64(0)<<s))
	return retire(t, 0, 0)
}
