package vm

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Instruction encodings for the observer tests, written by hand from docs/spec.md §5.2
// "Primary opcodes" and §6 "LL/SC reservation": I-type = op<<26 | rs<<21 | rt<<16 | imm16.
const (
	rV0, rA0, rA1, rA2, rT0, rT1, rS0, rSP = 2, 4, 5, 6, 8, 9, 16, 29
	obsData                                = 0x2000 // the data word of the tests, in $s0
	obsStack                               = 0x4000_0000
)

func iType(op, rs, rt uint32, imm int16) uint32 {
	return op<<26 | rs<<21 | rt<<16 | uint32(uint16(imm))
}

func daddiu(rt, rs uint32, imm int16) uint32 { return iType(0x19, rs, rt, imm) }
func ll(rt, rs uint32, off int16) uint32     { return iType(0x30, rs, rt, off) }
func sc(rt, rs uint32, off int16) uint32     { return iType(0x38, rs, rt, off) }
func sw(rt, rs uint32, off int16) uint32     { return iType(0x2B, rs, rt, off) }
func sd(rt, rs uint32, off int16) uint32     { return iType(0x3F, rs, rt, off) }
func lui(rt uint32, imm int16) uint32        { return iType(0x0F, 0, rt, imm) }
func ori(rt, rs uint32, imm int16) uint32    { return iType(0x0D, rs, rt, imm) }

// obsBranch is `beq $0, $0, target` placed at pc (its delay slot follows).
func obsBranch(pc, target uint64) uint32 {
	return iType(0x04, 0, 0, int16((int64(target)-int64(pc)-4)/4))
}

const (
	insSyscall = 0x0000000C
	insNop     = 0x00000000
)

// sys loads a syscall number into $v0 and calls it: two instructions.
func sys(num int16) []uint32 { return []uint32{daddiu(rV0, 0, num), insSyscall} }

// obsThread is a thread at pc with $s0 = obsData and $sp = obsStack, other registers zero.
func obsThread(id, pc uint64) *Thread {
	t := &Thread{ThreadID: id, PC: pc, NextPC: pc + 4}
	t.Registers[rS0], t.Registers[rSP] = obsData, obsStack
	return t
}

// obsState places each code block at its address; threads are given bottom first (the last
// one runs first).
func obsState(code map[uint64][]uint32, threads ...*Thread) *State {
	mem := memory.New()
	for base, words := range code {
		for i, w := range words {
			a := base + 4*uint64(i)
			old := mem.GetWord(a &^ 7)
			if a&4 == 0 {
				mem.SetWord(a, old&0xFFFF_FFFF|uint64(w)<<32)
			} else {
				mem.SetWord(a&^7, old&^0xFFFF_FFFF|uint64(w))
			}
		}
	}
	mem.SetWord(obsData, 0)
	return &State{Memory: mem, Heap: 0x1000_0000_0000, LeftThreadStack: threads, NextThreadID: uint64(len(threads))}
}

func concat(parts ...[]uint32) []uint32 {
	var out []uint32
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func runWithStats(t *testing.T, s *State, maxSteps uint64) *Stats {
	t.Helper()
	v := New(s, nil, nil, nil)
	v.EnableStats()
	_, err := v.Run(maxSteps)
	require.NoError(t, err)
	require.True(t, s.Exited, "the test program must exit")
	return v.Stats()
}

func TestStatsCounters(t *testing.T) {
	// One thread: every expectation below is counted off the listing by hand.
	oneThread := concat([]uint32{
		ll(rT0, rS0, 0),      // 1: LL
		daddiu(rT0, rT0, 1),  // 2
		sc(rT0, rS0, 0),      // 3: SC succeeds, 2 steps after its LL; word = 1
		sc(rT0, rS0, 0),      // 4: SC fails, no reservation
		ll(rT0, rS0, 0),      // 5: LL
		sw(rT1, rS0, 4),      // 6: store to the other half of the word: same-thread invalidation
		daddiu(rV0, 0, 5194), // 7
		daddiu(rA0, rS0, 0),  // 8
		daddiu(rA1, 0, 128),  // 9
		insSyscall,           // 10: FUTEX_WAIT for 0, the word holds 1: EAGAIN
		daddiu(rV0, 0, 5194), // 11
		daddiu(rA2, 0, 1),    // 12
		insSyscall,           // 13: FUTEX_WAIT for 1: matches, yields
		daddiu(rV0, 0, 5194), // 14
		daddiu(rA1, 0, 129),  // 15
		insSyscall,           // 16: FUTEX_WAKE: yields
	}, sys(5023), // 17, 18: sched_yield
		sys(5034), // 19, 20: nanosleep
		[]uint32{
			ll(rT0, rS0, 0),     // 21: LL
			daddiu(rA0, 0, 1),   // 22: CLOCK_MONOTONIC
			daddiu(rA1, rS0, 0), // 23
		}, sys(5222), // 24, 25: clock_gettime writes the word: syscall invalidation
		sys(5205), // 26, 27: exit_group
	)
	// Two threads: thread 0 (top) and thread 1 (below it).
	t0 := concat([]uint32{ll(rT0, rS0, 0)}, sys(5023), // LL; yield to thread 1
		[]uint32{ll(rT0, rS0, 0)}, sys(5205)) // takes over thread 1's reservation; exit_group
	t1 := concat([]uint32{
		sw(rT1, rS0, 0), // invalidates thread 0's reservation
		ll(rT0, rS0, 0),
	}, sys(5023), // thread 1 is alone on its stack: it moves over and stays active
		sys(5023)) // now thread 0 is on top again
	// clone with the only accepted flags, then both threads exit(2).
	clone := concat([]uint32{lui(rA0, 0x5), ori(rA0, rA0, 0x0F00), daddiu(rA1, 0, 0x100)}, sys(5055),
		sys(5058))

	tests := []struct {
		name    string
		state   func() *State
		steps   uint64
		threads []ThreadStats
		created uint64
		exited  uint64
	}{
		{
			name:  "one thread",
			state: func() *State { return obsState(map[uint64][]uint32{0x1000: oneThread}, obsThread(0, 0x1000)) },
			steps: 27,
			threads: []ThreadStats{{ThreadID: 0, Counters: Counters{
				Steps: 27, VoluntaryPreemptions: 4, Yields: 2, FutexWaits: 1, FutexWaitsEAGAIN: 1, FutexWakes: 1,
				LoadLinked: 3, SCSuccesses: 1, SCFailures: 1, LongestLLToSC: 2,
				ReservationInvalidations: Invalidations{StoreBySameThread: 1, SyscallWrite: 1},
			}}},
		},
		{
			name: "two threads",
			state: func() *State {
				return obsState(map[uint64][]uint32{0x1000: t0, 0x1100: t1}, obsThread(1, 0x1100), obsThread(0, 0x1000))
			},
			steps: 6 + 6,
			threads: []ThreadStats{
				{ThreadID: 0, Counters: Counters{Steps: 6, VoluntaryPreemptions: 1, Yields: 1, LoadLinked: 2,
					ReservationInvalidations: Invalidations{TakenOver: 1}}},
				{ThreadID: 1, Counters: Counters{Steps: 6, VoluntaryPreemptions: 2, Yields: 2, LoadLinked: 1,
					ReservationInvalidations: Invalidations{StoreByOtherThread: 1}}},
			},
		},
		{
			name: "forced preemption",
			state: func() *State {
				s := obsState(map[uint64][]uint32{0x1000: sys(5205)}, obsThread(0, 0x1000))
				s.StepsSinceLastContextSwitch = SchedQuantum
				return s
			},
			steps:   3,
			threads: []ThreadStats{{ThreadID: 0, Counters: Counters{Steps: 3, ForcedPreemptions: 1}}},
		},
		{
			// Parent: lui, ori, daddiu, daddiu, clone (5); child: daddiu, exit (2) and its pop (1);
			// parent: daddiu, exit (2).
			name:  "clone and exit",
			state: func() *State { return obsState(map[uint64][]uint32{0x1000: clone}, obsThread(0, 0x1000)) },
			steps: 10,
			threads: []ThreadStats{
				{ThreadID: 0, Exited: true, Counters: Counters{Steps: 7, ThreadsCreated: 1}},
				{ThreadID: 1, Exited: true, Counters: Counters{Steps: 3}},
			},
			created: 1,
			exited:  2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := runWithStats(t, tc.state(), 1000)
			require.Equal(t, tc.steps, st.Steps)
			require.Equal(t, tc.created, st.ThreadsCreated)
			require.Equal(t, tc.exited, st.ThreadsExited)
			require.Len(t, st.Threads, len(tc.threads))
			var total Counters
			for i := range tc.threads {
				require.Equal(t, tc.threads[i], *st.Threads[i], "thread %d", tc.threads[i].ThreadID)
				total.add(&tc.threads[i].Counters)
			}
			require.Equal(t, total, st.Total)
			require.Positive(t, st.Pages)
		})
	}
}

func TestStatsNilWithoutEnable(t *testing.T) {
	v := New(obsState(map[uint64][]uint32{0x1000: sys(5205)}, obsThread(0, 0x1000)), nil, nil, nil)
	_, err := v.Run(10)
	require.NoError(t, err)
	require.Nil(t, v.Stats())
}

// Observing must not change what the VM does: the same program with and without stats
// ends in the same state.
func TestStatsDoNotChangeTheRun(t *testing.T) {
	prog := concat([]uint32{ll(rT0, rS0, 0), sc(rT0, rS0, 0)}, sys(5023), sys(5205))
	plain := obsState(map[uint64][]uint32{0x1000: prog}, obsThread(0, 0x1000))
	watched := obsState(map[uint64][]uint32{0x1000: prog}, obsThread(0, 0x1000))
	_, err := New(plain, nil, nil, nil).Run(100)
	require.NoError(t, err)
	runWithStats(t, watched, 100)
	require.Equal(t, plain.Hash(), watched.Hash())
}
