package corpus

import (
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/vectors"
)

// Syscall vectors (docs/spec.md §7 "Syscalls", §8 "Pre-image oracle", §6 "LL/SC reservation",
// §12.1 "Error registers" to §12.2 "Clock", §12.16 "Pre-image" to §12.20 "fcntl and streams").
// Errors use convention B (§7.1): $v0 = errno, $a3 = -1. errno: EBADF 9, EAGAIN 11, EINVAL 22.
const (
	ebadf, eagain, einval = 9, 11, 22
	bufAddr               = 0x20000
	heapStart             = 0x0000_1000_0000_0000
)

func syscalls() []*B {
	out := []*B{
		// mmap (§7.2, §12.18)
		V("mmap-heap", "§7.2 mmap a0=0: v0 = heap, heap += len").Sys(5009, 0, 0x1000).Ret(heapStart).SetHeap(heapStart + 0x1000),
		V("mmap-heap-rounds-up", "§7.2 mmap len rounded up to 4096").Sys(5009, 0, 0x1001).Ret(heapStart).SetHeap(heapStart + 0x2000),
		V("mmap-len-0", "§7.2/§12.18 mmap len 0: v0 = heap, heap unchanged").Sys(5009, 0, 0).Ret(heapStart),
		V("mmap-len-max-einval", "§7.2/§12.18 mmap len 2^64-1: rounding wraps -> EINVAL, heap unchanged").Covers("syscall/mmap/einval").Sys(5009, 0, neg1).Err(einval),
		V("mmap-up-to-heap-end", "§7.2/§12.18 mmap ending exactly at HEAP_END succeeds").Heap(0x5FFF_FFFF_F000).Sys(5009, 0, 0x1000).Ret(0x5FFF_FFFF_F000).SetHeap(0x6000_0000_0000),
		V("mmap-past-heap-end-einval", "§7.2/§12.18 mmap past HEAP_END -> EINVAL").Covers("syscall/mmap/einval").Heap(0x5FFF_FFFF_F000).Sys(5009, 0, 0x2000).Err(einval),
		V("mmap-hint-verbatim", "§7.2/§12.18 mmap with a hint returns it verbatim (even unaligned), heap unchanged").Sys(5009, 0x1234_5679, 0x1000).Ret(0x1234_5679),
		V("brk", "§7.2 brk returns PROGRAM_BREAK").Sys(5012).Ret(0x4000_0000_0000),
		V("exit-group", "§7.2 exit_group: state exited, exitCode = a0 & 0xFF, no register change, pc not advanced").Sys(5205, 0x1FF).WantPC(0x4000, 0x4004).SetExit(0xFF),
		V("exit-group-many-threads", "§7.2/§12.5 exit_group with several threads").Threads2().Sys(5205, 1).WantPC(0x4000, 0x4004).SetExit(1),
		V("exit-last-thread", "§7.2/§12.5 exit by the last thread: thread and state exited").Sys(5058, 0x103).WantPC(0x4000, 0x4004).ThreadExit(3).SetExit(3).Covers("syscall/exit/last-thread"),
		V("exit-not-last", "§7.2/§12.5 exit with another thread on the stack: thread exited only").Threads2().Sys(5058, 4).WantPC(0x4000, 0x4004).ThreadExit(4).Covers("syscall/exit/not-last"),
		V("getpid", "§7.2 getpid = 0").Sys(5038).Ret(0),
		V("gettid", "§7.2 gettid = thread id").TID(5).Sys(5178).Ret(5),
		V("open-ebadf", "§7.2/§12.1 open always EBADF").Sys(5002).Err(ebadf),
		V("syscall-in-delay-slot", "§12.7 a syscall in a delay slot returns to the jump target").PC(0x4000, 0x5000).Sys(5038).Ret(0).WantPC(0x5000, 0x5004),
		V("syscall-v0-upper-bits", "§7.1 the syscall number is compared as 64 bits: 5038 + 2^32 is unsupported").Sys(0x1_0000_0000 + 5038).Exc(),
		V("syscall-unsupported-5006", "§7.3 any other number is an exception").Sys(5006).Exc(),
		V("syscall-unsupported-0", "§7.3 number 0").Sys(0).Exc(),
		V("syscall-unsupported-4001", "§7.3 a 32-bit ABI number").Sys(4001).Exc(),
		// eventfd2 (§7.2)
		V("eventfd2-nonblock", "§7.2 eventfd2 with EFD_NONBLOCK -> fd 100").Sys(5284, 7, 0x80).Ret(100),
		V("eventfd2-nonblock-cloexec", "§7.2 eventfd2 flags 0x880 include 0x80").Sys(5284, 0, 0x880).Ret(100),
		V("eventfd2-blocking-einval", "§7.2/§12.1 eventfd2 without 0x80 -> EINVAL").Sys(5284, 0, 0x800).Err(einval),
		// fcntl (§7.2, §12.20)
		V("fcntl-getfd-0", "§7.2 fcntl F_GETFD fd 0 -> 0").Sys(5070, 0, 1).Ret(0),
		V("fcntl-getfd-6", "§7.2 fcntl F_GETFD fd 6 -> 0").Sys(5070, 6, 1).Ret(0),
		V("fcntl-getfl-stdin", "§7.2 F_GETFL fd 0 -> O_RDONLY").Sys(5070, 0, 3).Ret(0),
		V("fcntl-getfl-stdout", "§7.2 F_GETFL fd 1 -> O_WRONLY").Sys(5070, 1, 3).Ret(1),
		V("fcntl-getfl-stderr", "§7.2 F_GETFL fd 2 -> O_WRONLY").Sys(5070, 2, 3).Ret(1),
		V("fcntl-getfl-hint-read", "§7.2 F_GETFL fd 3 -> O_RDONLY").Sys(5070, 3, 3).Ret(0),
		V("fcntl-getfl-hint-write", "§7.2 F_GETFL fd 4 -> O_WRONLY").Sys(5070, 4, 3).Ret(1),
		V("fcntl-getfl-preimage-read", "§7.2 F_GETFL fd 5 -> O_RDONLY").Sys(5070, 5, 3).Ret(0),
		V("fcntl-getfl-preimage-write", "§7.2 F_GETFL fd 6 -> O_WRONLY").Sys(5070, 6, 3).Ret(1),
		V("fcntl-fd100-ebadf", "§7.2/§12.20 fcntl fd 100 -> EBADF").Sys(5070, 100, 1).Err(ebadf),
		V("fcntl-fd7-ebadf", "§7.2 fcntl unknown fd -> EBADF").Sys(5070, 7, 3).Err(ebadf),
		V("fcntl-cmd2-einval", "§7.2/§12.20 fcntl cmd 2 -> EINVAL").Sys(5070, 0, 2).Err(einval),
		V("fcntl-cmd-checked-first", "§7.2 cmd is checked before fd: fd 100 cmd 2 -> EINVAL").Sys(5070, 100, 2).Err(einval),
		// read / write on the plain fds (§7.4, §12.20)
		V("read-stdin", "§7.4/§12.20 read fd 0 -> 0, no memory").Sys(5000, 0, bufAddr, 16).Ret(0),
		V("read-stdout-ebadf", "§7.4 read fd 1 -> EBADF").Sys(5000, 1, bufAddr, 16).Err(ebadf),
		V("read-stderr-ebadf", "§7.4 read fd 2 -> EBADF").Sys(5000, 2, bufAddr, 16).Err(ebadf),
		V("read-hint-response", "§7.4 read fd 3 -> a2 (full count), memory untouched").Sys(5000, 3, bufAddr, 0x1234).Ret(0x1234),
		V("read-hint-write-ebadf", "§7.4 read fd 4 -> EBADF").Sys(5000, 4, bufAddr, 16).Err(ebadf),
		V("read-preimage-write-ebadf", "§7.4 read fd 6 -> EBADF").Sys(5000, 6, bufAddr, 16).Err(ebadf),
		V("read-eventfd-eagain", "§7.4/§12.1 read fd 100 -> EAGAIN").Sys(5000, 100, bufAddr, 8).Err(eagain),
		V("read-fd7-ebadf", "§7.4 read unknown fd -> EBADF").Sys(5000, 7, bufAddr, 8).Err(ebadf),
		V("write-stdin-ebadf", "§7.4 write fd 0 -> EBADF").Sys(5001, 0, bufAddr, 8).Err(ebadf),
		V("write-stdout-full-count", "§7.4/§12.20 write fd 1 returns the full count (> 8)").Sys(5001, 1, bufAddr, 0x20).Ret(0x20),
		V("write-stderr-full-count", "§7.4 write fd 2 returns the full count").Sys(5001, 2, bufAddr, 0x11).Ret(0x11),
		V("write-hint-response-ebadf", "§7.4 write fd 3 -> EBADF").Sys(5001, 3, bufAddr, 8).Err(ebadf),
		V("write-hint-full-count", "§7.4/§12.20 write fd 4 returns the full count, no state change").Sys(5001, 4, bufAddr, 0x10).M(bufAddr, 0x0000_0004_6869_6E74).Ret(0x10),
		V("write-preimage-read-ebadf", "§7.4 write fd 5 -> EBADF").Sys(5001, 5, bufAddr, 8).Err(ebadf),
		V("write-eventfd-eagain", "§7.4/§12.1 write fd 100 -> EAGAIN").Sys(5001, 100, bufAddr, 8).Err(eagain),
		V("write-fd7-ebadf", "§7.4 write unknown fd -> EBADF").Sys(5001, 7, bufAddr, 8).Err(ebadf),
		// pre-image key writes (§7.4, §12.16)
		V("write-key-unaligned", "§7.4 key write: k=3, n=5 bytes appended, offset reset").Sys(5001, 6, bufAddr+3, 8).M(bufAddr, 0x0011_2233_4455_6677).
			Key("0xAB", 0x20).Ret(5).WantKey("0xAB3344556677", 0),
		V("write-key-aligned-8", "§7.4 key write: 8 bytes shift the key left by 8").Sys(5001, 6, bufAddr, 8).M(bufAddr, 0x0102_0304_0506_0708).
			Key("0x1111111111111111111111111111111111111111111111111111111111111111", 9).Ret(8).WantKey("0x1111111111111111111111111111111111111111111111110102030405060708", 0),
		V("write-key-count-0", "§7.4/§12.16 key write with count 0: key unchanged, offset still reset to 0").Covers("syscall/write/fd6/count0").Sys(5001, 6, bufAddr, 0).M(bufAddr, 0x0102_0304_0506_0708).
			Key("0xAB", 0x20).Ret(0).WantKey("0xAB", 0),
		V("write-key-does-not-clear-reservation", "§6 preimage-key writes do not clear a reservation").Sys(5001, 6, bufAddr+4, 4).M(bufAddr, 0x0102_0304_0506_0708).
			LL(1, bufAddr, 0).Key("0x00", 0).Ret(4).WantKey("0x05060708", 0),
	}
	// No-op syscalls (§7.3): v0 = a3 = 0, nothing else.
	for _, n := range []uint64{5011, 5010, 5196, 5027, 5014, 5129, 5013, 5297, 5003, 5016, 5004, 5005, 5247, 5087, 5257, 5015, 5285, 5287, 5208, 5272, 5061, 5100, 5102, 5026, 5225, 5095, 5008, 5036, 5216, 5217, 5220} {
		out = append(out, V(fmt.Sprintf("noop-%d", n), "§7.3 no-op syscall: v0 = a3 = 0, pc advanced").Sys(n, 1, 2, 3).R(7, 0x77).Ret(0))
	}
	return out
}

// SetHeap expects the heap.
func (b *B) SetHeap(x uint64) *B { b.v.Expect.Heap = h(x); return b }

// SetExit expects the VM to have exited with code c.
func (b *B) SetExit(c uint64) *B { b.v.Expect.Exited, b.v.Expect.ExitCode = bp(true), h(c); return b }

// ThreadExit expects the active thread to have exited with code c.
func (b *B) ThreadExit(c uint64) *B { b.exp().Exited, b.exp().ExitCode = bp(true), h(c); return b }

// Key sets the pre-state pre-image key and offset.
func (b *B) Key(key string, off uint64) *B {
	b.v.Pre.PreimageKey, b.v.Pre.PreimageOffset = key, h(off)
	return b
}

// WantKey expects the pre-image key and offset.
func (b *B) WantKey(key string, off uint64) *B {
	b.v.Expect.PreimageKey, b.v.Expect.PreimageOffset = key, h(off)
	return b
}

// Threads2 puts an idle thread 1 under the active thread 0 on the left stack.
func (b *B) Threads2() *B {
	t := b.v.Pre.Thread
	b.v.Pre.Thread = nil
	t.ID = h(0)
	b.v.Pre.Left = append([]*vectors.Thread{{ID: h(1), PC: h(0x8000)}}, t)
	return b
}
