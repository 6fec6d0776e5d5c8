package vm

// Clock ids and the step-to-time rate of clock_gettime (docs/spec.md §7.2 "Supported
// syscalls", §9.1 "Constants").
const (
	clockRealtime  = 0
	clockMonotonic = 1
	stepsPerSecond = 10_000_000
	nanosPerStep   = 1_000_000_000 / stepsPerSecond
)

// sysClockGettime writes a timespec of two 8-byte words at buf&^7. MONOTONIC time is derived
// from the already-incremented step counter; REALTIME is the epoch (0/0), as in every official
// implementation (docs/spec.md §7.5 "Open points in the syscall text"). The second word is
// proven against the root left by the first write (slot 2), and its address may wrap to 0.
func (v *VM) sysClockGettime(t *Thread, clock, buf uint64) {
	if clock != clockRealtime && clock != clockMonotonic {
		sysError(t, errEINVAL)
		return
	}
	var secs, nsecs uint64
	if clock == clockMonotonic {
		step := v.state.Step
		secs, nsecs = step/stepsPerSecond, step%stepsPerSecond*nanosPerStep
	}
	addr := buf &^ 7
	v.storeWord(addr, secs)
	v.storeSecondWord(addr+8, nsecs)
	sysReturn(t, 0)
}
