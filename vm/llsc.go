package vm

// Load-linked / store-conditional (docs/spec.md §6 "LL/SC reservation"). One reservation
// exists per VM: LL/LLD take it over whoever held it; SC/SCD succeed only for the same thread,
// the same width and the exact same address, unaligned low bits included. Any store to the
// reserved 8-byte word clears it (storeWord does that), by whichever thread.

// Reservation status values: which of LL (32-bit) or LLD (64-bit) took the reservation.
const (
	llStatusNone  = 0
	llStatus32bit = 1
	llStatus64bit = 2
)

func (v *VM) loadLinked(t *Thread, i inst, status uint8, val uint64) error {
	s := v.state
	s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = status, effectiveAddr(t, i), t.ThreadID
	return retire(t, i.rt(), val)
}

func opLL(v *VM, t *Thread, i inst) error {
	ea, m := v.load(t, i)
	return v.loadLinked(t, i, llStatus32bit, sext32(uint32(getField(m, ea, 4))))
}

func opLLD(v *VM, t *Thread, i inst) error {
	_, m := v.load(t, i)
	return v.loadLinked(t, i, llStatus64bit, m)
}

// holdsReservation reports whether an SC of the given width by t at the effective address of
// i may complete, and if so consumes the reservation.
func (v *VM) holdsReservation(t *Thread, i inst, status uint8) bool {
	s := v.state
	if s.LLReservationStatus != status || s.LLOwnerThread != t.ThreadID || s.LLAddress != effectiveAddr(t, i) {
		return false
	}
	s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = llStatusNone, 0, 0
	return true
}

// opSC writes rt = 1 on success and rt = 0 on failure; a failed SC touches no memory, so its
// step needs no data proof.
func opSC(v *VM, t *Thread, i inst) error {
	if !v.holdsReservation(t, i, llStatus32bit) {
		return retire(t, i.rt(), 0)
	}
	ea, m := v.load(t, i)
	v.storeWord(ea, putField(m, ea, 4, t.Registers[i.rt()]))
	return retire(t, i.rt(), 1)
}

func opSCD(v *VM, t *Thread, i inst) error {
	if !v.holdsReservation(t, i, llStatus64bit) {
		return retire(t, i.rt(), 0)
	}
	v.storeWord(effectiveAddr(t, i), t.Registers[i.rt()])
	return retire(t, i.rt(), 1)
}
