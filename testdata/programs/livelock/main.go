//go:debug decoratemappings=0

// livelock never finishes although its two workers keep busy: both want to enter, each
// may only enter when it holds the turn and the other does not want it, and each politely
// hands the turn over (a CAS) whenever the other wants it — "after you", "no, after you".
// The turn flips back and forth forever; CASes succeed and fail, nothing completes. The
// workers run on locked OS threads and yield with raw sched_yield syscalls, so the Go
// runtime schedules nothing and notices nothing. The livelock detector of `vm run`
// (--livelock-window) has to stop it.
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"syscall"
)

var (
	want  [2]atomic.Uint32
	turn  atomic.Uint32 // 1 + the index of the worker holding the turn
	ready atomic.Int32
)

func worker(me int, done chan<- struct{}) {
	runtime.LockOSThread()
	other := 1 - me
	want[me].Store(1)
	ready.Add(1)
	for {
		if turn.Load() == uint32(1+me) && want[other].Load() == 0 {
			break // never: the other worker always wants to enter
		}
		// Give way: hand the turn over if we hold it (fails when we do not), then yield.
		turn.CompareAndSwap(uint32(1+me), uint32(1+other))
		syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
	}
	want[me].Store(0)
	done <- struct{}{}
}

func main() {
	runtime.GOMAXPROCS(4)
	turn.Store(1)
	done := make(chan struct{})
	go worker(0, done)
	go worker(1, done)
	for ready.Load() < 2 {
		runtime.Gosched()
	}
	fmt.Println("livelock: both workers give way to each other forever")
	<-done
	<-done
	fmt.Println("unreachable")
}
