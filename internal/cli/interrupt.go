package cli

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// exitInterrupted is the exit status of a run stopped by SIGINT or SIGTERM after writing
// its summary so far: 128 + SIGINT, what a shell reports for ^C.
const exitInterrupted = 130

// interruptOnSignal returns a channel closed on the first SIGINT or SIGTERM (what ^C, a CI
// runner cancelling a job and a cluster preempting a pod send). After the first signal the
// default action is restored, so a second one kills the process at once. stop ends the
// watch.
func interruptOnSignal(e *env) (interrupt <-chan struct{}, stop func()) {
	ch := make(chan struct{})
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			signal.Reset(os.Interrupt, syscall.SIGTERM)
			fmt.Fprintf(e.stderr, "%s: %v: stopping after the steps already handed to the EVM workers; a second signal kills\n", e.name, s)
			close(ch)
		case <-done:
		}
	}()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(done)
		})
	}
}
