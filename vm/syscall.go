package vm

import "strconv"

// Syscall numbers of the MIPS64 n64 ABI that state version 8 knows (docs/spec.md §7.2
// "Supported syscalls", §7.3 "No-op syscalls").
const (
	sysRead             = 5000
	sysWrite            = 5001
	sysOpen             = 5002
	sysClose            = 5003
	sysStat             = 5004
	sysFstat            = 5005
	sysLseek            = 5008
	sysMmap             = 5009
	sysMprotect         = 5010
	sysMunmap           = 5011
	sysBrk              = 5012
	sysRtSigaction      = 5013
	sysRtSigprocmask    = 5014
	sysIoctl            = 5015
	sysPread64          = 5016
	sysSchedYield       = 5023
	sysMincore          = 5026
	sysMadvise          = 5027
	sysNanosleep        = 5034
	sysSetitimer        = 5036
	sysGetpid           = 5038
	sysClone            = 5055
	sysExit             = 5058
	sysUname            = 5061
	sysFcntl            = 5070
	sysReadlink         = 5087
	sysGetrlimit        = 5095
	sysGetuid           = 5100
	sysGetgid           = 5102
	sysSigaltstack      = 5129
	sysGettid           = 5178
	sysFutex            = 5194
	sysSchedGetaffinity = 5196
	sysExitGroup        = 5205
	sysEpollCtl         = 5208
	sysTimerCreate      = 5216
	sysTimerSettime     = 5217
	sysTimerDelete      = 5220
	sysClockGettime     = 5222
	sysTgkill           = 5225
	sysOpenat           = 5247
	sysReadlinkat       = 5257
	sysEpollPwait       = 5272
	sysEventfd2         = 5284
	sysEpollCreate1     = 5285
	sysPipe2            = 5287
	sysPrlimit64        = 5297
	sysGetrandom        = 5313
)

// Registers of the syscall calling convention (docs/spec.md §7.1 "Calling convention and
// errors", §9.1 "Constants").
const (
	regV0 = 2
	regA0 = 4
	regA1 = 5
	regA2 = 6
	regA3 = 7
	regSP = 29
)

// Errno values returned in $v0 on failure.
const (
	errEBADF  = 9
	errEAGAIN = 11
	errEINVAL = 22
)

// sysErrorSignal marks a failed syscall in $a3.
const sysErrorSignal = ^uint64(0)

// execSyscall executes the SYSCALL instruction of the active thread t (docs/spec.md §7
// "Syscalls", §8 "Pre-image oracle"). The number in $v0 is compared as a full 64-bit value;
// $a3 is never an input.
func (v *VM) execSyscall(t *Thread, insn uint32) error {
	r := &t.Registers
	a0, a1, a2 := r[regA0], r[regA1], r[regA2]
	switch num := r[regV0]; num {
	case sysRead:
		return v.sysRead(t, insn, a0, a1, a2)
	case sysWrite:
		v.sysWrite(t, a0, a1, a2)
	case sysMmap:
		v.sysMmap(t, a0, a1)
	case sysBrk:
		sysReturn(t, programBreak)
	case sysClone:
		v.sysClone(t, a0, a1)
	case sysExitGroup:
		// The calling thread keeps its registers and pc: the VM simply stops.
		v.state.Exited, v.state.ExitCode = true, uint8(a0)
	case sysExit:
		v.sysExit(t, a0)
	case sysFcntl:
		sysFcntlCall(t, a0, a1)
	case sysSchedYield, sysNanosleep:
		v.yield(t)
	case sysGettid:
		sysReturn(t, t.ThreadID)
	case sysGetpid:
		sysReturn(t, 0)
	case sysOpen:
		sysError(t, errEBADF)
	case sysFutex:
		v.sysFutex(t, a0, a1, a2)
	case sysClockGettime:
		v.sysClockGettime(t, a0, a1)
	case sysGetrandom:
		v.sysGetrandom(t, a0, a1)
	case sysEventfd2:
		sysEventfd2Call(t, a1)
	case sysMunmap, sysMprotect, sysSchedGetaffinity, sysMadvise, sysRtSigprocmask,
		sysSigaltstack, sysRtSigaction, sysPrlimit64, sysClose, sysPread64, sysStat, sysFstat,
		sysOpenat, sysReadlink, sysReadlinkat, sysIoctl, sysEpollCreate1, sysPipe2, sysEpollCtl,
		sysEpollPwait, sysUname, sysGetuid, sysGetgid, sysMincore, sysTgkill, sysGetrlimit,
		sysLseek, sysSetitimer, sysTimerCreate, sysTimerSettime, sysTimerDelete:
		sysReturn(t, 0)
	default:
		return v.fault(FaultUnsupportedSyscall, insn, "syscall number "+strconv.FormatUint(num, 10))
	}
	return nil
}

// sysReturn completes a successful syscall: $v0 = v0, $a3 = 0, pc advances.
func sysReturn(t *Thread, v0 uint64) {
	t.Registers[regV0] = v0
	t.Registers[regA3] = 0
	t.PC = t.NextPC
	t.NextPC += 4
}

// sysError completes a failed syscall with the register convention of state versions 7 and 8
// (docs/spec.md §7.1 "Calling convention and errors", convention B): $v0 = errno, $a3 = -1.
// This is the single place that would change to select the older convention A.
func sysError(t *Thread, errno uint64) {
	t.Registers[regV0] = errno
	t.Registers[regA3] = sysErrorSignal
	t.PC = t.NextPC
	t.NextPC += 4
}
