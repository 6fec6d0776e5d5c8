package corpus

import "github.com/fpvmdiff/fpvmdiff/vectors"

// Scheduler, threads, pre-image reads, clock, getrandom, futex (docs/spec.md §4 "One step: the
// scheduler", §7 "Syscalls", §8 "Pre-image oracle", §12 "Edge cases").

const breakInsn = 0x0000000D // executing it would be an exception: proves no instruction ran

// T is a pre-state thread with a distinct pc per id.
func T(id uint64) *vectors.Thread {
	return &vectors.Thread{ID: h(id), PC: h(0x4000 + 0x1000*id)}
}

// TX is an exited thread.
func TX(id uint64) *vectors.Thread { t := T(id); t.Exited = bp(true); t.ExitCode = h(5); return t }

// Stacks replaces the single thread with explicit stacks; the active thread is the top of
// the stack traverseRight selects.
func (b *B) Stacks(left, right []*vectors.Thread, traverseRight bool) *B {
	b.v.Pre.Thread = nil
	b.v.Pre.Left, b.v.Pre.Right = left, right
	if traverseRight {
		b.v.Pre.TraverseRight = bp(true)
	}
	return b
}

// Layout expects the stacks (ids bottom first) and traverseRight.
func (b *B) Layout(left, right []uint64, traverseRight bool) *B {
	l, r := hexes(left), hexes(right)
	b.v.Expect.Left, b.v.Expect.Right = &l, &r
	b.v.Expect.TraverseRight = bp(traverseRight)
	return b
}

func hexes(xs []uint64) []vectors.Hex64 {
	out := []vectors.Hex64{}
	for _, x := range xs {
		out = append(out, vectors.Hex64(x))
	}
	return out
}

// Since expects stepsSinceLastContextSwitch.
func (b *B) Since(x uint64) *B { b.v.Expect.StepsSinceLastContextSwitch = h(x); return b }

// Unchanged expects no change at all (exited VM): step and the thread stay.
func (b *B) Unchanged(step uint64) *B { b.v.Expect.Step = h(step); return b }

var (
	noRandThreads = []string{"registers", "hilo", "reservation", "direction"}
	none          []uint64
)

func scheduler() []*B {
	return []*B{
		V("pop-exited-thread", "§4 step 5: an exited active thread is popped, counter reset, no instruction").
			Stacks([]*vectors.Thread{T(1), TX(0)}, nil, false).Insn(breakInsn).Layout([]uint64{1}, none, false).Since(0).Rand(noRandThreads...),
		V("pop-flips-when-stack-empties", "§4 step 5/10.4: the pop empties the active stack, so traverseRight flips").
			Stacks([]*vectors.Thread{TX(0)}, []*vectors.Thread{T(1)}, false).Insn(breakInsn).Layout(none, []uint64{1}, true).Since(0).Rand(noRandThreads...).Covers("sched/pop-flip"),
		V("pop-last-thread-exception", "§4 step 9: popping the only thread leaves no active thread: exception").
			Stacks([]*vectors.Thread{TX(0)}, nil, false).Insn(breakInsn).Exc().Rand(noRandThreads...).Covers("exception/empty-stack-after"),
		V("exited-thread-buried", "§12.6 an exited thread below the top is not popped").
			Stacks([]*vectors.Thread{TX(1), T(0)}, nil, false).Insn(0),
		V("preempt-at-quantum-single-thread", "§4 step 6/10.4: stepsSince == 100000 preempts even a single thread: moved, flip, same thread again").
			Step(0x50, 100_000).Insn(breakInsn).Layout(none, []uint64{0}, true).Since(0).WantPC(0x4000, 0x4004).Rand(noRandThreads...).Covers("sched/preempt-single-thread"),
		V("preempt-at-quantum-two-threads", "§4 preemption moves the active thread to the other stack; no flip while the stack is not empty").
			Stacks([]*vectors.Thread{T(1), T(0)}, nil, false).Step(0x50, 100_000).Insn(breakInsn).Layout([]uint64{1}, []uint64{0}, false).Since(0).WantPC(0x4000, 0x4004).Rand(noRandThreads...),
		V("preempt-keeps-reservation", "§4/§6/§12.15 a reservation survives preemption").
			Stacks([]*vectors.Thread{T(1), T(0)}, nil, false).Step(0x50, 100_000).LL(1, memBase, 0).Insn(breakInsn).Layout([]uint64{1}, []uint64{0}, false).Since(0).WantPC(0x4000, 0x4004).Rand(noRandThreads...),
		V("no-preempt-at-99999", "§4 step 6/10.4: at 99999 the instruction runs and the counter reaches 100000").
			Step(0x50, 99_999).Insn(0).Covers("sched/quantum-99999"),
		V("preempt-above-quantum", "§4 step 6: >= 100000 preempts").
			Step(0x50, 100_001).Insn(breakInsn).Layout(none, []uint64{0}, true).Since(0).WantPC(0x4000, 0x4004).Rand(noRandThreads...),
		V("exited-vm-unchanged", "§4 step 1/10.4: an exited VM returns the state unchanged, step not incremented").
			Step(0x50, 7).Insn(breakInsn).SetPreExit(0).Unchanged(0x50),
		V("exited-vm-invalid-status", "§4 step 1: exited with exit code 1").
			Step(0x50, 7).Insn(breakInsn).SetPreExit(1).Unchanged(0x50),
		V("empty-active-stack-exception", "§4 step 2: an empty active stack is an exception").
			Stacks(nil, []*vectors.Thread{T(0)}, false).Exc().Rand("registers", "hilo").Covers("sched/empty-stack"),
		V("sched-yield-single-thread", "§7.2/§4/§12.4: sched_yield with an empty inactive stack: moved, flip, runs again").
			Sys(5023).Ret(0).Layout(none, []uint64{0}, true).Since(0).Rand(noRandThreads...).Covers("sched/yield-inactive-empty"),
		V("sched-yield-inactive-nonempty", "§7.2/§4/§12.4: yield onto a non-empty inactive stack; the active stack empties, so flip").
			Stacks([]*vectors.Thread{T(0)}, []*vectors.Thread{T(1)}, false).Sys(5023).Ret(0).Layout(none, []uint64{1, 0}, true).Since(0).Rand(noRandThreads...).Covers("sched/yield-inactive-nonempty"),
		V("sched-yield-no-flip", "§7.2/§4: yield with another thread below: no flip, that thread runs next").
			Stacks([]*vectors.Thread{T(1), T(0)}, nil, false).Sys(5023).Ret(0).Layout([]uint64{1}, []uint64{0}, false).Since(0).Rand(noRandThreads...),
		V("nanosleep", "§7.2 nanosleep behaves as sched_yield").
			Stacks([]*vectors.Thread{T(1), T(0)}, nil, false).Sys(5034, 0x1234, 0x5678).Ret(0).Layout([]uint64{1}, []uint64{0}, false).Since(0).Rand(noRandThreads...),
		V("clone", "§7.2 clone: parent v0 = child id; child runs next with pre-syscall registers, sp = a1, v0 = a3 = 0").
			Sys(5055, 0x50F00, 0x7000_0000).R(7, 0x77).R(9, 0x99).HiLo(0x11, 0x22).Ret(1).
			Child(1, 0, 0x4004, 0x4008, 0x7000_0000).NextTID(2).Layout([]uint64{0, 1}, none, false).Since(0).Covers("sched/clone"),
		V("clone-bad-flags", "§7.2/§12.5 clone with flags != 0x50F00: VM exits with code 2, thread untouched").
			Sys(5055, 0x50F01, 0x7000_0000).WantPC(0x4000, 0x4004).SetExit(2),
		V("clone-on-right-stack", "§7.2/§4 clone pushes the child on the active (right) stack").
			Stacks(nil, []*vectors.Thread{T(0)}, true).Sys(5055, 0x50F00, 0x7000_0000).Ret(1).
			Child(1, 0, 0x4004, 0x4008, 0x7000_0000).NextTID(2).Layout(none, []uint64{0, 1}, true).Since(0),
		// futex (§7.2, §12.19)
		V("futex-wait-match", "§7.2/§12.19 futex WAIT: value equal only in lo32 of a2, address &~3; success preempts").
			Sys(5194, bufAddr+6, 128, 0xFFFF_FFFF_0000_0042).M(bufAddr, 0x1111_1111_0000_0042).Ret(0).Layout(none, []uint64{0}, true).Since(0).Rand(noRandThreads...).Covers("syscall/futex/wait-match"),
		V("futex-wait-mismatch-eagain", "§7.2/§7.5 futex WAIT with a different value: EAGAIN, no preemption").
			Sys(5194, bufAddr+4, 128, 0x43).M(bufAddr, 0x1111_1111_0000_0042).Err(eagain).Covers("syscall/futex/wait-eagain"),
		V("futex-wait-keeps-reservation", "§6 futex does not clear a reservation").
			Sys(5194, bufAddr+4, 128, 0x43).M(bufAddr, 0x1111_1111_0000_0042).LL(1, bufAddr+4, 0).Err(eagain),
		V("futex-wake", "§7.2 futex WAKE preempts").
			Stacks([]*vectors.Thread{T(1), T(0)}, nil, false).Sys(5194, bufAddr, 129, 1).Ret(0).Layout([]uint64{1}, []uint64{0}, false).Since(0).Rand(noRandThreads...),
		V("futex-op-0-einval", "§7.2/§12.19 futex op 0 -> EINVAL").Sys(5194, bufAddr, 0, 0).Err(einval),
		V("futex-op-1-einval", "§7.2/§12.19 futex op 1 -> EINVAL").Sys(5194, bufAddr, 1, 0).Err(einval),
		V("futex-op-flags-einval", "§7.2/§12.19 futex op 128|0x100 (no flag masking) -> EINVAL").Sys(5194, bufAddr, 0x180, 0).Err(einval),
	}
}

// SetPreExit marks the pre-state VM as exited with code c.
func (b *B) SetPreExit(c uint64) *B { b.v.Pre.Exited, b.v.Pre.ExitCode = bp(true), h(c); return b }

// NextTID expects nextThreadID.
func (b *B) NextTID(x uint64) *B { b.v.Expect.NextThreadID = h(x); return b }

// Child expects a new thread id copied from thread from with pc/nextPC/sp and v0 = a3 = 0.
func (b *B) Child(id, from, pc, next, sp uint64) *B {
	if b.v.Expect.Threads == nil {
		b.v.Expect.Threads = map[string]*vectors.ThreadChange{}
	}
	b.v.Expect.Threads[hexKey(id)] = &vectors.ThreadChange{
		From: h(from), PC: h(pc), NextPC: h(next), Exited: bp(false), ExitCode: h(0),
		Regs: map[string]vectors.Hex64{"29": vectors.Hex64(sp), "2": 0, "7": 0},
	}
	return b
}

func hexKey(x uint64) string {
	b, _ := vectors.Hex64(x).MarshalJSON()
	return string(b[1 : len(b)-1])
}

// Pre-image reads (§7.4, §8.2, §12.16). Data 12 34 56 78 98 76 54 32 under its keccak256 key;
// the buffer word is EE EE EE EE FF FF FF FF.
func preimageReads() []*B {
	const data = "0x1234567898765432"
	rd := func(name, rule string, off, addr, count, wantMem, v0, wantOff uint64) *B {
		return V(name, rule).Sys(5000, 5, addr, count).M(bufAddr, 0xEEEE_EEEE_FFFF_FFFF).
			Pre(data, "keccak256", off).Ret(v0).WantM(bufAddr, wantMem).WantOff(wantOff)
	}
	return []*B{
		rd("read-preimage-3", "§7.4 read fd5 at +0, count 3, offset 8 (spec example)", 8, bufAddr, 3, 0x1234_56EE_FFFF_FFFF, 3, 11),
		rd("read-preimage-unaligned-1", "§7.4 read at +1, count 2, offset 9 (spec example)", 9, bufAddr+1, 2, 0xEE34_56EE_FFFF_FFFF, 2, 11),
		rd("read-preimage-unaligned-2", "§7.4 read at +2, count 4, offset 12 (spec example)", 12, bufAddr+2, 4, 0xEEEE_9876_5432_FFFF, 4, 16),
		rd("read-preimage-count-15", "§7.4 count 15 at +0 reads 8 bytes", 8, bufAddr, 15, 0x1234_5678_9876_5432, 8, 16),
		rd("read-preimage-count-15-at-1", "§7.4 count 15 at +1 reads 7 bytes", 8, bufAddr+1, 15, 0xEE12_3456_7898_7654, 7, 15),
		rd("read-preimage-unaligned-3", "§7.4/§12.16 read at +3 reads 5 bytes", 8, bufAddr+3, 8, 0xEEEE_EE12_3456_7898, 5, 13),
		rd("read-preimage-unaligned-7", "§7.4/§12.16 read at +7 reads 1 byte", 8, bufAddr+7, 8, 0xEEEE_EEEE_FFFF_FF12, 1, 9),
		rd("read-preimage-last-byte", "§7.4/§8.2 offset 15 = the last byte: 1 byte", 15, bufAddr, 8, 0x32EE_EEEE_FFFF_FFFF, 1, 16),
		rd("read-preimage-length-prefix", "§8.2/§12.16 offset 0 reads the 8-byte big-endian length", 0, bufAddr, 8, 0x0000_0000_0000_0008, 8, 8),
		rd("read-preimage-prefix-and-data", "§8.2 offset 4 straddles the length prefix and the data", 4, bufAddr, 8, 0x0000_0008_1234_5678, 8, 12),
		V("read-preimage-count-0-clears-reservation", "§7.4/§6 read fd5 count 0: nothing copied, the word is still written back: reservation cleared").Covers("syscall/read/fd5/count0").
			Sys(5000, 5, bufAddr, 0).M(bufAddr, 0xEEEE_EEEE_FFFF_FFFF).LL(1, bufAddr+4, 0).Pre(data, "keccak256", 8).Ret(0).WantLL(0, 0, 0),
		V("read-preimage-past-end", "§7.4/§8.2/§13.8 read at offset 8+len is an exception").Covers("syscall/read/fd5/past-end").
			Sys(5000, 5, bufAddr, 8).M(bufAddr, 0).Pre(data, "keccak256", 16).Exc(),
		V("read-preimage-sha256", "§8.3 a type-4 (sha256) key: 3 bytes of data").Covers("preimage/sha256").
			Sys(5000, 5, bufAddr, 8).M(bufAddr, 0xEEEE_EEEE_FFFF_FFFF).Pre("0xAABBCC", "sha256", 8).Ret(3).WantM(bufAddr, 0xAABB_CCEE_FFFF_FFFF).WantOff(11),
		V("read-preimage-local", "§8.1/§8.3 a type-1 local key, localized on chain with sender and local context").Covers("preimage/local").
			Sys(5000, 5, bufAddr, 8).M(bufAddr, 0).PreKey("0x0100000000000000000000000000000000000000000000000000000000000002", "0x0102030405060708090A", 8).Ret(8).WantM(bufAddr, 0x0102_0304_0506_0708).WantOff(16),
	}
}

// Pre adds a pre-image by type and makes it the current key at offset off.
func (b *B) Pre(data, typ string, off uint64) *B {
	b.v.Pre.Preimages = append(b.v.Pre.Preimages, vectors.Preimage{Type: typ, Data: data})
	b.v.Pre.PreimageKey, b.v.Pre.PreimageOffset = "@0", h(off)
	return b
}

// PreKey adds a pre-image by explicit key and makes it current.
func (b *B) PreKey(key, data string, off uint64) *B {
	b.v.Pre.Preimages = append(b.v.Pre.Preimages, vectors.Preimage{Key: key, Data: data})
	b.v.Pre.PreimageKey, b.v.Pre.PreimageOffset = "@0", h(off)
	return b
}

// WantOff expects the pre-image offset.
func (b *B) WantOff(x uint64) *B { b.v.Expect.PreimageOffset = h(x); return b }

// clock_gettime (§7.2, §12.2). Pre step 0x12345677 -> post 0x12345678 = 305419896:
// secs 30 = 0x1E, nsecs (305419896 % 10^7) * 100 = 541989600 = 0x204E1AE0.
func clock() []*B {
	const pre = 0x1234_5677
	cg := func(name, rule string, step, clk, a1, e, secs, nsecs uint64) *B {
		return V(name, rule).Step(step, 3).Sys(5222, clk, a1).M(e, neg1).M(e+8, neg1).Ret(0).WantM(e, secs).WantM(e+8, nsecs)
	}
	return []*B{
		cg("clock-monotonic", "§7.2 MONOTONIC: secs = step/1e7, nsecs = (step%1e7)*100 of the incremented step", pre, 1, bufAddr, bufAddr, 0x1E, 0x204E_1AE0),
		cg("clock-unaligned", "§7.2/§12.2 a1 unaligned: words at a1&~7", pre, 1, bufAddr+5, bufAddr, 0x1E, 0x204E_1AE0),
		cg("clock-same-leaf-16", "§12.2 a1&31 = 16: both words in one leaf", pre, 1, bufAddr+0x10, bufAddr+0x10, 0x1E, 0x204E_1AE0),
		cg("clock-split-leaf", "§12.2/§12.3 a1&31 = 24: words in different leaves (slot 2 against the intermediate root)", pre, 1, bufAddr+0x18, bufAddr+0x18, 0x1E, 0x204E_1AE0),
		cg("clock-realtime-zero", "§7.5/§13.6 REALTIME writes 0/0", pre, 0, bufAddr, bufAddr, 0, 0),
		cg("clock-at-1e7", "§12.2 incremented step 10_000_000: 1 s, 0 ns", 9_999_999, 1, bufAddr, bufAddr, 1, 0),
		cg("clock-before-1e7", "§12.2 incremented step 9_999_999: 0 s, 999_999_900 ns", 9_999_998, 1, bufAddr, bufAddr, 0, 0x3B9A_C99C),
		V("clock-second-word-wraps", "§12.2 a1&~7 = 2^64-8: the second word wraps to address 0").Step(pre, 3).Sys(5222, 1, 0xFFFF_FFFF_FFFF_FFF8).
			M(0xFFFF_FFFF_FFFF_FFF8, neg1).M(0, neg1).Ret(0).WantM(0xFFFF_FFFF_FFFF_FFF8, 0x1E).WantM(0, 0x204E_1AE0).Covers("syscall/clock_gettime/wrap"),
		V("clock-einval", "§7.2/§12.1 other clock id -> EINVAL, no memory access").Sys(5222, 2, bufAddr).M(bufAddr, neg1).Err(einval),
		V("clock-clears-reservation-second-word", "§6 clock_gettime's second word clears a matching reservation").Step(pre, 3).Sys(5222, 1, bufAddr).
			M(bufAddr, 0).M(bufAddr+8, 0).LL(1, bufAddr+11, 0).Ret(0).WantM(bufAddr, 0x1E).WantM(bufAddr+8, 0x204E_1AE0).WantLL(0, 0, 0),
	}
}

// getrandom (§7.2, §12.17): pre step 0x1a2b3c4d5e6f7530, seed = incremented step,
// splitmix64 = 0x4141302768c9e9d0 (bytes 41 41 30 27 68 C9 E9 D0). Buffer EE×8.
func getrandom() []*B {
	const step = 0x1a2b_3c4d_5e6f_7530
	gr := func(name, rule string, k, n, want, v0 uint64) *B {
		return V(name, rule).Step(step, 3).Sys(5313, bufAddr+k, n, 0xFF).M(bufAddr, 0xEEEE_EEEE_EEEE_EEEE).Ret(v0).WantM(bufAddr, want)
	}
	return []*B{
		gr("getrandom-align0-len8", "§7.2 getrandom k=0 len 8: the whole word (official splitmix64 vector)", 0, 8, 0x4141_3027_68C9_E9D0, 8),
		gr("getrandom-align1-len8", "§7.2 k=1 len 8 -> n=7, mask 0x00FF..FF (spec example)", 1, 8, 0xEE41_3027_68C9_E9D0, 7),
		gr("getrandom-align2-len1", "§7.2/§12.17 k=2 len 1", 2, 1, 0xEEEE_30EE_EEEE_EEEE, 1),
		gr("getrandom-align3-len1", "§7.2/§12.17 k=3 len 1", 3, 1, 0xEEEE_EE27_EEEE_EEEE, 1),
		gr("getrandom-align4-len9", "§7.2/§12.17 k=4 len 9 -> n=4", 4, 9, 0xEEEE_EEEE_68C9_E9D0, 4),
		gr("getrandom-align5-len2", "§7.2/§12.17 k=5 len 2", 5, 2, 0xEEEE_EEEE_EEC9_E9EE, 2),
		gr("getrandom-align6-len3", "§7.2 k=6 len 3 -> n=2, mask 0xFFFF (spec example)", 6, 3, 0xEEEE_EEEE_EEEE_E9D0, 2),
		gr("getrandom-align7-len1", "§7.2/§12.17 k=7 len 1", 7, 1, 0xEEEE_EEEE_EEEE_EED0, 1),
		V("getrandom-len0-clears-reservation", "§7.2/§6/§12.17 getrandom len 0 writes the word back: reservation cleared").Covers("syscall/getrandom/len0").
			Step(step, 3).Sys(5313, bufAddr, 0, 0).M(bufAddr, 0xEEEE_EEEE_EEEE_EEEE).LL(2, bufAddr, 0).Ret(0).WantLL(0, 0, 0),
	}
}
