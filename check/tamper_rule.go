package check

import (
	"encoding/binary"
)

// Which parts of a witness a step relies on, by the rule of the spec, decoded here from the
// witness bytes alone — not by asking the Go VM, whose witness records slot usage only
// implicitly (an unused slot is left zero). Tamper mode (tamper.go) expects the step
// contract to reject a corruption of every part this rule marks as used, and to ignore a
// corruption of every other part; the contract's outcome then verifies the rule.
//
// The rule follows the order the on-chain step checks things in (docs/spec.md §4 "One step:
// the scheduler" and §5.1 "Decoding and common rules"):
//
//	exited byte > 1            revert InvalidExitedValue before anything is read
//	VM exited                  nothing is read: the state is logged as it is
//	active stack root empty    revert before the thread is read
//	otherwise                  the thread witness and the inner root are verified against
//	                           the active stack root
//	thread exited              popped: no memory is read
//	quantum used up            preempted: no memory is read
//	pc not 4-aligned           revert InvalidPC before the fetch
//	otherwise                  slot 0 (the instruction word) is verified
//	                           slot 1 (the data word) when the instruction or syscall
//	                           reads or writes memory: loads, stores (read-modify-write),
//	                           every op >= 0x20 and LDL/LDR (read before validation),
//	                           LL/LLD, a successful SC/SCD, futex wait, a pre-image key
//	                           write (fd 6), a pre-image read (fd 5), getrandom,
//	                           clock_gettime with clock 0 or 1
//	                           slot 2 for clock_gettime's second word (clock 0 or 1)

// StepUse says which parts of a witness the step contract must verify.
type StepUse struct {
	// Kind names the step for reports: "load", "store", "ll", "futex-wait",
	// "preimage-read", "clock_gettime", "alu", "pop", "exited", …
	Kind   string
	Thread bool    // the thread witness and the inner root of the active stack
	Slots  [3]bool // memory proof slots 0 (instruction), 1 (data), 2 (second data word)
}

// Witness proof layout (docs/spec.md §10 "The step() call"): the thread, the inner root, three
// memory proofs of a leaf and 59 siblings each.
const (
	proofInnerRoot = ThreadSize         // 298
	proofSlots     = ThreadSize + 32    // 330: where slot 0 starts
	memProofWords  = 60                 // leaf + 59 siblings
	memProofSize   = memProofWords * 32 // 1920
	fullProofSize  = proofSlots + 3*memProofSize
	stateExitedOff = 98
)

// emptyThreadRoot is keccak256(bytes32(0) ‖ bytes32(0)) (docs/spec.md §2.3 "Thread stacks").
var emptyThreadRoot = [32]byte{
	0xad, 0x32, 0x28, 0xb6, 0x76, 0xf7, 0xd3, 0xcd, 0x42, 0x84, 0xa5, 0x44, 0x3f, 0x17, 0xf1, 0x96,
	0x2b, 0x36, 0xe4, 0x91, 0xb3, 0x0a, 0x40, 0xb2, 0x40, 0x58, 0x49, 0xe5, 0x97, 0xba, 0x5f, 0xb5,
}

// slotStart is the offset of memory proof slot i in the proof.
func slotStart(i int) int { return proofSlots + i*memProofSize }

// Syscall numbers and arguments the rule needs (docs/spec.md §7 "Syscalls").
const (
	sysRead         = 5000
	sysWrite        = 5001
	sysFutex        = 5194
	sysClockGettime = 5222
	sysGetrandom    = 5313
	fdPreimageRead  = 5
	fdPreimageWrite = 6
	futexWait       = 128
)

// StepUseOf applies the rule to a witness.
func StepUseOf(state, proof []byte) StepUse {
	if len(state) != StateSize {
		return StepUse{Kind: "malformed-state"}
	}
	switch state[stateExitedOff] {
	case 0:
	case 1:
		return StepUse{Kind: "exited"}
	default:
		return StepUse{Kind: "invalid-exited"}
	}
	active := state[116:148]
	if state[115] != 0 {
		active = state[148:180]
	}
	if [32]byte(active) == emptyThreadRoot {
		return StepUse{Kind: "empty-stack"}
	}
	if len(proof) < proofSlots {
		return StepUse{Kind: "short-proof"}
	}
	u := StepUse{Thread: true}
	th := proof[:ThreadSize]
	if th[9] != 0 {
		u.Kind = "pop"
		return u
	}
	if binary.BigEndian.Uint64(state[107:]) >= schedQuantum {
		u.Kind = "preempt"
		return u
	}
	pc := binary.BigEndian.Uint64(th[10:])
	if pc&3 != 0 {
		u.Kind = "invalid-pc"
		return u
	}
	u.Slots[0] = true
	if len(proof) < slotStart(1) {
		u.Kind = "short-proof"
		return u
	}
	leaf := proof[proofSlots : proofSlots+32]
	word := binary.BigEndian.Uint64(leaf[(pc>>3&3)*8:])
	insn := uint32(word >> 32)
	if pc&4 != 0 {
		insn = uint32(word)
	}
	reg := func(i uint32) uint64 { return binary.BigEndian.Uint64(th[42+8*i:]) }
	op, funct := insn>>26, insn&0x3F
	rs := insn >> 21 & 31
	data := func(kind string) StepUse {
		u.Kind, u.Slots[1] = kind, true
		return u
	}
	if op == 0 && funct == 0x0C {
		switch reg(2) {
		case sysFutex:
			if reg(5) == futexWait {
				return data("futex-wait")
			}
			u.Kind = "futex"
		case sysWrite:
			if reg(4) == fdPreimageWrite {
				return data("preimage-key-write")
			}
			u.Kind = "write"
		case sysRead:
			if reg(4) == fdPreimageRead {
				return data("preimage-read")
			}
			u.Kind = "read"
		case sysClockGettime:
			if reg(4) <= 1 {
				u.Slots[2] = true
				return data("clock_gettime")
			}
			u.Kind = "clock_gettime-einval"
		case sysGetrandom:
			return data("getrandom")
		default:
			u.Kind = "syscall"
		}
		return u
	}
	switch {
	case op == 0x30:
		return data("ll")
	case op == 0x34:
		return data("lld")
	case op == 0x38 || op == 0x3C:
		// SC/SCD touch memory only when they succeed (docs/spec.md §6 "LL/SC reservation").
		ea := reg(rs) + uint64(int64(int16(insn)))
		status := byte(1)
		if op == 0x3C {
			status = 2
		}
		tid := binary.BigEndian.Uint64(th[0:])
		if state[80] == status && binary.BigEndian.Uint64(state[89:]) == tid && binary.BigEndian.Uint64(state[81:]) == ea {
			if op == 0x3C {
				return data("scd")
			}
			return data("sc")
		}
		u.Kind = "sc-fail"
	case op == 2 || op == 3:
		u.Kind = "jump"
	case op == 1 || (op >= 4 && op <= 7):
		u.Kind = "branch"
	case (op >= 0x28 && op <= 0x2E) || op == 0x3F:
		return data("store")
	case (op >= 0x20 && op <= 0x27) || op == 0x37 || op == 0x1A || op == 0x1B:
		return data("load")
	case op >= 0x20:
		// Invalid, but the data word is read (and verified) before the op is validated.
		return data("invalid-mem-op")
	default:
		u.Kind = "alu"
	}
	return u
}
