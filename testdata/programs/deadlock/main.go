//go:debug decoratemappings=0

// deadlock never finishes: two workers, each on its own OS thread, take one lock each and
// then wait for the other's lock forever (lock-order inversion). The waits are raw
// FUTEX_WAIT_PRIVATE syscalls, which the Go runtime does not see: to the runtime both
// workers are running, so its own detector ("all goroutines are asleep - deadlock!") never
// fires, on Linux as in the VM. In the VM a futex wait on a matching value only yields, so
// the workers spin: load the lock, wait, load again. The livelock detector of `vm run`
// (--livelock-window) has to stop it.
//
// The same lock-order inversion with sync.Mutex needs no detector: the goroutines park, and
// the runtime itself ends the program with "fatal error: all goroutines are asleep -
// deadlock!" and exit status 2, in the VM as under qemu-mips64 (checked by hand).
// Under qemu-mips64 this program hangs, as it would on Linux.
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"syscall"
	"unsafe"
)

const futexWaitPrivate = 128

var (
	locks [2]uint32 // 0 free, 1 held
	held  atomic.Int32
)

// lockOrWait takes the lock with a CAS, sleeping in the kernel while it is held.
func lockOrWait(l *uint32) {
	for !atomic.CompareAndSwapUint32(l, 0, 1) {
		syscall.RawSyscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(l)), futexWaitPrivate, 1, 0, 0, 0)
	}
}

func worker(first, second int, done chan<- struct{}) {
	runtime.LockOSThread()
	lockOrWait(&locks[first])
	held.Add(1)
	for held.Load() < 2 { // both hold their first lock before either asks for the second
	}
	lockOrWait(&locks[second])
	done <- struct{}{} // never reached
}

func main() {
	runtime.GOMAXPROCS(4)
	done := make(chan struct{})
	go worker(0, 1, done)
	go worker(1, 0, done)
	for held.Load() < 2 {
		runtime.Gosched()
	}
	fmt.Println("deadlock: each worker holds one lock and waits for the other's")
	<-done
	<-done
	fmt.Println("unreachable")
}
