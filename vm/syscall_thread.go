package vm

// cloneFlags is the only flag set clone accepts: VM|FS|FILES|SIGHAND|SYSVSEM|THREAD.
const cloneFlags = 0x0005_0F00

// Futex operations, matched exactly (no flag masking) (docs/spec.md §7.2 "Supported syscalls").
const (
	futexWaitPrivate = 128
	futexWakePrivate = 129
)

// sysClone creates a thread that resumes after the syscall with the parent's pre-syscall
// registers, its own stack pointer and a zero result. The child goes on top of the active
// stack so it runs next. Any other flag set stops the VM with the panic status and leaves
// the caller untouched.
func (v *VM) sysClone(t *Thread, flags, stack uint64) {
	s := v.state
	if flags != cloneFlags {
		s.Exited, s.ExitCode = true, StatusPanic
		return
	}
	child := &Thread{
		ThreadID:  s.NextThreadID,
		PC:        t.NextPC,
		NextPC:    t.NextPC + 4,
		LO:        t.LO,
		HI:        t.HI,
		Registers: t.Registers,
	}
	child.Registers[regSP] = stack
	child.Registers[regV0] = 0
	child.Registers[regA3] = 0
	s.NextThreadID++
	sysReturn(t, child.ThreadID)
	v.pushThread(child)
}

// sysExit marks the thread exited without touching its registers or pc; the scheduler pops it
// at its next turn. The last thread's exit also ends the VM.
func (v *VM) sysExit(t *Thread, code uint64) {
	t.Exited, t.ExitCode = true, uint8(code)
	if v.state.ThreadCount() == 1 {
		v.state.Exited, v.state.ExitCode = true, uint8(code)
	}
}

// yield completes the syscall and only then moves the thread to the other stack, so the
// thread is saved with its result and advanced pc.
func (v *VM) yield(t *Thread) {
	sysReturn(t, 0)
	v.preemptThread()
}

// sysFutex implements the simplified futex of state versions >= 6: a wait whose 32-bit value
// still matches just yields (waiters re-check when scheduled again), a mismatch fails with
// EAGAIN without yielding, and a wake yields without waking anyone.
func (v *VM) sysFutex(t *Thread, addr, op, val uint64) {
	switch op {
	case futexWaitPrivate:
		a := addr &^ 3
		word := v.loadWord(a)
		cur := uint32(word >> 32)
		if a&4 != 0 {
			cur = uint32(word)
		}
		if cur != uint32(val) {
			sysError(t, errEAGAIN)
			return
		}
		v.yield(t)
	case futexWakePrivate:
		v.yield(t)
	default:
		sysError(t, errEINVAL)
	}
}
