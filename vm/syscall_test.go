package vm

import (
	"strconv"
	"testing"
)

func TestSyscall_MmapBrk(t *testing.T) {
	heapAt := func(h uint64) func(s *State) { return func(s *State) { s.Heap = h } }
	cases := []scCase{
		{name: "page", num: 5009, a0: 0, a1: 0x1000, expect: func(s *State, th *Thread) {
			scOK(th, 0x1000_0000_0000)
			s.Heap = 0x1000_0000_1000
		}},
		{name: "len 0 returns heap, heap unchanged", num: 5009, a1: 0, expect: func(s *State, th *Thread) {
			scOK(th, 0x1000_0000_0000)
		}},
		{name: "len 1 rounds up to a page", num: 5009, a1: 1, expect: func(s *State, th *Thread) {
			scOK(th, 0x1000_0000_0000)
			s.Heap = 0x1000_0000_1000
		}},
		{name: "len 0x1001 rounds up to two pages", num: 5009, a1: 0x1001, expect: func(s *State, th *Thread) {
			scOK(th, 0x1000_0000_0000)
			s.Heap = 0x1000_0000_2000
		}},
		{name: "unaligned heap is kept unaligned", num: 5009, a1: 0x1000, build: heapAt(0x1000_0000_0001),
			expect: func(s *State, th *Thread) {
				scOK(th, 0x1000_0000_0001)
				s.Heap = 0x1000_0000_1001
			}},
		{name: "rounding wraps", num: 5009, a1: 0xFFFF_FFFF_FFFF_FFFF, expect: func(s *State, th *Thread) {
			scErr(th, 22)
		}},
		{name: "heap end wraps", num: 5009, a1: 0xFFFF_FFFF_FFFF_F000, expect: func(s *State, th *Thread) {
			scErr(th, 22)
		}},
		{name: "ends exactly at HEAP_END", num: 5009, a1: 0x1000, build: heapAt(0x5FFF_FFFF_F000),
			expect: func(s *State, th *Thread) {
				scOK(th, 0x5FFF_FFFF_F000)
				s.Heap = 0x6000_0000_0000
			}},
		{name: "passes HEAP_END", num: 5009, a1: 0x1001, build: heapAt(0x5FFF_FFFF_F000),
			expect: func(s *State, th *Thread) { scErr(th, 22) }},
		{name: "heap already past HEAP_END, len 0", num: 5009, a1: 0, build: heapAt(0x6000_0000_1000),
			expect: func(s *State, th *Thread) { scErr(th, 22) }},
		{name: "hint returned verbatim", num: 5009, a0: 0x1234_5677, a1: 0x1000, expect: func(s *State, th *Thread) {
			scOK(th, 0x1234_5677)
		}},
		{name: "hint never fails", num: 5009, a0: 0xFFFF_FFFF_FFFF_FFFF, a1: 0xFFFF_FFFF_FFFF_FFFF,
			build: heapAt(0x6000_0000_1000), expect: func(s *State, th *Thread) {
				scOK(th, 0xFFFF_FFFF_FFFF_FFFF)
			}},
		{name: "brk", num: 5012, a0: 0x1234, expect: func(s *State, th *Thread) {
			scOK(th, 0x0000_4000_0000_0000)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
}

func TestSyscall_SimpleResults(t *testing.T) {
	cases := []scCase{
		{name: "gettid", num: 5178, build: func(s *State) { s.ActiveThread().ThreadID = 0x2A },
			expect: func(s *State, th *Thread) { th.ThreadID = 0x2A; scOK(th, 0x2A) }},
		{name: "getpid", num: 5038, expect: func(s *State, th *Thread) { scOK(th, 0) }},
		{name: "getpid in a delay slot continues at the branch target", num: 5038,
			build: func(s *State) { s.ActiveThread().NextPC = 0x3000 },
			expect: func(s *State, th *Thread) {
				th.Registers[2], th.Registers[7] = 0, 0
				th.PC, th.NextPC = 0x3000, 0x3004
			}},
		{name: "open is EBADF", num: 5002, a0: scData, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "eventfd2 nonblock", num: 5284, a0: 7, a1: 0x80, expect: func(s *State, th *Thread) { scOK(th, 100) }},
		{name: "eventfd2 nonblock plus other flags", num: 5284, a1: 0x80880, expect: func(s *State, th *Thread) { scOK(th, 100) }},
		{name: "eventfd2 without nonblock", num: 5284, a1: 0, expect: func(s *State, th *Thread) { scErr(th, 22) }},
		{name: "eventfd2 with O_NONBLOCK of other arches only", num: 5284, a1: 0x800, expect: func(s *State, th *Thread) { scErr(th, 22) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
}

func TestSyscall_Noops(t *testing.T) {
	noops := []uint64{5011, 5010, 5196, 5027, 5014, 5129, 5013, 5297, 5003, 5016, 5004, 5005, 5247, 5087,
		5257, 5015, 5285, 5287, 5208, 5272, 5061, 5100, 5102, 5026, 5225, 5095, 5008, 5036, 5216, 5217, 5220}
	for _, num := range noops {
		c := scCase{num: num, a0: 1, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scOK(th, 0) }}
		t.Run(fmtNum(num), func(t *testing.T) { scRun(t, c) })
	}
}

func TestSyscall_Unsupported(t *testing.T) {
	for _, num := range []uint64{0, 4001, 5006, 5007, 5314, 6000, 0x1_0000_1389 /* 5001 + 2^32 */, 0xFFFF_FFFF_FFFF_FFFF} {
		c := scCase{num: num, fault: FaultUnsupportedSyscall}
		t.Run(fmtNum(num), func(t *testing.T) { scRun(t, c) })
	}
}

func TestSyscall_Fcntl(t *testing.T) {
	type row struct {
		fd, cmd uint64
		v0      uint64
		errno   uint64
	}
	rows := []row{
		{0, 1, 0, 0}, {1, 1, 0, 0}, {2, 1, 0, 0}, {3, 1, 0, 0}, {4, 1, 0, 0}, {5, 1, 0, 0}, {6, 1, 0, 0},
		{7, 1, 0, 9}, {100, 1, 0, 9}, {0xFFFF_FFFF_FFFF_FFFF, 1, 0, 9},
		{0, 3, 0, 0}, {3, 3, 0, 0}, {5, 3, 0, 0},
		{1, 3, 1, 0}, {2, 3, 1, 0}, {4, 3, 1, 0}, {6, 3, 1, 0},
		{7, 3, 0, 9}, {100, 3, 0, 9},
		{100, 2, 0, 22}, {0, 2, 0, 22}, {0, 0, 0, 22}, {1, 4, 0, 22}, {7, 4, 0, 22}, {1, 0x1_0000_0001, 0, 22},
	}
	for _, r := range rows {
		c := scCase{num: 5070, a0: r.fd, a1: r.cmd, expect: func(s *State, th *Thread) {
			if r.errno != 0 {
				scErr(th, r.errno)
			} else {
				scOK(th, r.v0)
			}
		}}
		t.Run(fmtNum(r.fd)+"/"+fmtNum(r.cmd), func(t *testing.T) { scRun(t, c) })
	}
}

func TestSyscall_ReadWriteFds(t *testing.T) {
	withData := func(s *State) { s.Memory.SetWord(scData, 0x1122_3344_5566_7788) }
	cases := []scCase{
		{name: "read stdin", num: 5000, a0: 0, a1: scData, a2: 8, build: withData, expect: func(s *State, th *Thread) { scOK(th, 0) }},
		{name: "read stdout", num: 5000, a0: 1, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "read stderr", num: 5000, a0: 2, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "read hint response, full count, memory untouched", num: 5000, a0: 3, a1: scData, a2: 0x1234, build: withData,
			expect: func(s *State, th *Thread) { scOK(th, 0x1234) }},
		{name: "read hint request fd", num: 5000, a0: 4, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "read preimage key fd", num: 5000, a0: 6, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "read fd 7", num: 5000, a0: 7, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "read eventfd", num: 5000, a0: 100, a1: scData, a2: 8, build: withData, expect: func(s *State, th *Thread) { scErr(th, 11) }},
		{name: "read fd -1", num: 5000, a0: 0xFFFF_FFFF_FFFF_FFFF, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "write stdin", num: 5001, a0: 0, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "write stdout, count not truncated", num: 5001, a0: 1, a1: scData, a2: 20, build: withData,
			expect: func(s *State, th *Thread) { scOK(th, 20) }},
		{name: "write stderr", num: 5001, a0: 2, a1: scData, a2: 9, build: withData, expect: func(s *State, th *Thread) { scOK(th, 9) }},
		{name: "write hint response fd", num: 5001, a0: 3, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "write preimage data fd", num: 5001, a0: 5, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "write fd 7", num: 5001, a0: 7, a1: scData, a2: 8, expect: func(s *State, th *Thread) { scErr(th, 9) }},
		{name: "write eventfd", num: 5001, a0: 100, a1: scData, a2: 8, build: withData, expect: func(s *State, th *Thread) { scErr(th, 11) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
}

func fmtNum(n uint64) string { return strconv.FormatUint(n, 10) }
