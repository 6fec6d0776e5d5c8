package mips64

// The n64 syscall numbers (Linux arch/mips/kernel/syscalls/syscall_n64.tbl, number + 5000)
// with what MT-Cannon does with each (docs/spec.md §7.2 "Supported syscalls", §7.3 "No-op
// syscalls").

// SyscallStatus is the spec's decision for a syscall number.
type SyscallStatus int

const (
	// SyscallUnimplemented numbers make the step fail.
	SyscallUnimplemented SyscallStatus = iota
	// SyscallImplemented numbers have their own behaviour (docs/spec.md §7.2 "Supported syscalls").
	SyscallImplemented
	// SyscallNoOp numbers return 0 and do nothing (docs/spec.md §7.3 "No-op syscalls").
	SyscallNoOp
)

// SyscallInfo is one named syscall number.
type SyscallInfo struct {
	Number uint64
	Name   string
	Status SyscallStatus
}

// syscalls lists the implemented and no-op numbers in docs/spec.md order, then the
// numbers the VM does not implement (status 0) that Go programs are known to contain.
var syscalls = []SyscallInfo{
	{5009, "mmap", SyscallImplemented}, {5012, "brk", SyscallImplemented}, {5055, "clone", SyscallImplemented},
	{5205, "exit_group", SyscallImplemented}, {5058, "exit", SyscallImplemented}, {5000, "read", SyscallImplemented},
	{5001, "write", SyscallImplemented}, {5070, "fcntl", SyscallImplemented}, {5023, "sched_yield", SyscallImplemented},
	{5034, "nanosleep", SyscallImplemented}, {5178, "gettid", SyscallImplemented}, {5038, "getpid", SyscallImplemented},
	{5002, "open", SyscallImplemented}, {5194, "futex", SyscallImplemented}, {5222, "clock_gettime", SyscallImplemented},
	{5313, "getrandom", SyscallImplemented}, {5284, "eventfd2", SyscallImplemented},

	{5011, "munmap", SyscallNoOp}, {5010, "mprotect", SyscallNoOp}, {5196, "sched_getaffinity", SyscallNoOp},
	{5027, "madvise", SyscallNoOp}, {5014, "rt_sigprocmask", SyscallNoOp}, {5129, "sigaltstack", SyscallNoOp},
	{5013, "rt_sigaction", SyscallNoOp}, {5297, "prlimit64", SyscallNoOp}, {5003, "close", SyscallNoOp},
	{5016, "pread64", SyscallNoOp}, {5004, "stat", SyscallNoOp}, {5005, "fstat", SyscallNoOp},
	{5247, "openat", SyscallNoOp}, {5087, "readlink", SyscallNoOp}, {5257, "readlinkat", SyscallNoOp},
	{5015, "ioctl", SyscallNoOp}, {5285, "epoll_create1", SyscallNoOp}, {5287, "pipe2", SyscallNoOp},
	{5208, "epoll_ctl", SyscallNoOp}, {5272, "epoll_pwait", SyscallNoOp}, {5061, "uname", SyscallNoOp},
	{5100, "getuid", SyscallNoOp}, {5102, "getgid", SyscallNoOp}, {5026, "mincore", SyscallNoOp},
	{5225, "tgkill", SyscallNoOp}, {5095, "getrlimit", SyscallNoOp}, {5008, "lseek", SyscallNoOp},
	{5036, "setitimer", SyscallNoOp}, {5216, "timer_create", SyscallNoOp}, {5217, "timer_settime", SyscallNoOp},
	{5220, "timer_delete", SyscallNoOp},

	{5006, "lstat", 0}, {5007, "poll", 0}, {5017, "pwrite64", 0}, {5018, "readv", 0}, {5019, "writev", 0},
	{5020, "access", 0}, {5021, "pipe", 0}, {5024, "mremap", 0}, {5031, "dup", 0}, {5032, "dup2", 0},
	{5035, "getitimer", 0}, {5040, "socket", 0}, {5041, "connect", 0}, {5042, "accept", 0}, {5043, "sendto", 0},
	{5044, "recvfrom", 0}, {5045, "sendmsg", 0}, {5046, "recvmsg", 0}, {5048, "bind", 0}, {5049, "listen", 0},
	{5057, "execve", 0}, {5059, "wait4", 0}, {5060, "kill", 0}, {5071, "flock", 0}, {5072, "fsync", 0},
	{5076, "getdents", 0}, {5077, "getcwd", 0}, {5078, "chdir", 0}, {5079, "fchdir", 0}, {5094, "gettimeofday", 0},
	{5096, "getrusage", 0}, {5097, "sysinfo", 0}, {5105, "geteuid", 0}, {5106, "getegid", 0}, {5108, "getppid", 0},
	{5109, "getpgrp", 0}, {5110, "setsid", 0}, {5153, "prctl", 0}, {5155, "setrlimit", 0}, {5192, "tkill", 0},
	{5195, "sched_setaffinity", 0}, {5197, "cacheflush", 0}, {5209, "epoll_wait", 0}, {5211, "rt_sigreturn", 0},
	{5212, "set_tid_address", 0}, {5223, "clock_getres", 0}, {5224, "clock_nanosleep", 0}, {5237, "waitid", 0},
	{5242, "set_thread_area", 0}, {5252, "newfstatat", 0}, {5253, "unlinkat", 0}, {5259, "faccessat", 0},
	{5261, "ppoll", 0}, {5268, "set_robust_list", 0}, {5279, "fallocate", 0}, {5286, "dup3", 0},
	{5308, "getdents64", 0}, {5326, "statx", 0}, {5434, "pidfd_open", 0}, {5435, "clone3", 0}, {5439, "faccessat2", 0},
	{5424, "pidfd_send_signal", 0}, {5438, "pidfd_getfd", 0},
}

var syscallByNumber = func() map[uint64]SyscallInfo {
	m := make(map[uint64]SyscallInfo, len(syscalls))
	for _, s := range syscalls {
		m[s.Number] = s
	}
	return m
}()

// Syscall names syscall number n ("" when it has no known name) and says what the spec
// does with it.
func Syscall(n uint64) (name string, status SyscallStatus) {
	s := syscallByNumber[n]
	return s.Name, s.Status
}

// Syscalls lists every named number: the implemented ones and the no-ops in docs/spec.md
// order, then unimplemented ones Go programs are known to contain.
func Syscalls() []SyscallInfo { return append([]SyscallInfo(nil), syscalls...) }
