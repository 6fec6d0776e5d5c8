package scan

import "fmt"

// implementedSyscalls are the n64 numbers the VM handles (docs/spec.md §7.2 "Supported
// syscalls"), with their names; every other number makes the step fail.
var implementedSyscalls = map[int64]string{
	5009: "mmap", 5012: "brk", 5055: "clone", 5205: "exit_group", 5058: "exit",
	5000: "read", 5001: "write", 5070: "fcntl", 5023: "sched_yield", 5034: "nanosleep",
	5178: "gettid", 5038: "getpid", 5002: "open", 5194: "futex", 5222: "clock_gettime",
	5313: "getrandom", 5284: "eventfd2",
}

// noopSyscalls return 0 and do nothing (docs/spec.md §7.3 "No-op syscalls"); they count as
// implemented.
var noopSyscalls = map[int64]string{
	5011: "munmap", 5010: "mprotect", 5196: "sched_getaffinity", 5027: "madvise",
	5014: "rt_sigprocmask", 5129: "sigaltstack", 5013: "rt_sigaction", 5297: "prlimit64",
	5003: "close", 5016: "pread64", 5004: "stat", 5005: "fstat", 5247: "openat",
	5087: "readlink", 5257: "readlinkat", 5015: "ioctl", 5285: "epoll_create1",
	5287: "pipe2", 5208: "epoll_ctl", 5272: "epoll_pwait", 5061: "uname", 5100: "getuid",
	5102: "getgid", 5026: "mincore", 5225: "tgkill", 5095: "getrlimit", 5008: "lseek",
	5036: "setitimer", 5216: "timer_create", 5217: "timer_settime", 5220: "timer_delete",
}

// otherSyscallNames names n64 syscalls the VM does not implement that Go programs are
// known to contain (Linux arch/mips/kernel/syscalls/syscall_n64.tbl, number + 5000).
var otherSyscallNames = map[int64]string{
	5006: "lstat", 5007: "poll", 5017: "pwrite64", 5018: "readv", 5019: "writev",
	5020: "access", 5021: "pipe", 5024: "mremap", 5031: "dup", 5032: "dup2",
	5035: "getitimer", 5040: "socket", 5041: "connect", 5042: "accept", 5043: "sendto",
	5044: "recvfrom", 5045: "sendmsg", 5046: "recvmsg", 5048: "bind", 5049: "listen",
	5057: "execve", 5059: "wait4", 5060: "kill", 5071: "flock", 5072: "fsync",
	5076: "getdents", 5077: "getcwd", 5078: "chdir", 5079: "fchdir", 5094: "gettimeofday",
	5096: "getrusage", 5097: "sysinfo", 5105: "geteuid", 5106: "getegid", 5108: "getppid",
	5109: "getpgrp", 5110: "setsid", 5153: "prctl", 5155: "setrlimit", 5192: "tkill",
	5195: "sched_setaffinity", 5197: "cacheflush", 5209: "epoll_wait", 5211: "rt_sigreturn",
	5212: "set_tid_address", 5223: "clock_getres", 5224: "clock_nanosleep", 5237: "waitid",
	5242: "set_thread_area", 5252: "newfstatat", 5253: "unlinkat", 5259: "faccessat",
	5261: "ppoll", 5268: "set_robust_list", 5279: "fallocate", 5286: "dup3",
	5308: "getdents64", 5326: "statx", 5434: "pidfd_open", 5435: "clone3", 5439: "faccessat2",
	5424: "pidfd_send_signal", 5438: "pidfd_getfd",
}

// SyscallImplemented reports whether the VM handles syscall number n.
func SyscallImplemented(n int64) bool {
	_, impl := implementedSyscalls[n]
	_, noop := noopSyscalls[n]
	return impl || noop
}

// SyscallName is "5153 (prctl)", or the bare number when it has no known name.
func SyscallName(n int64) string {
	for _, m := range []map[int64]string{implementedSyscalls, noopSyscalls, otherSyscallNames} {
		if name, found := m[n]; found {
			return fmt.Sprintf("%d (%s)", n, name)
		}
	}
	return fmt.Sprint(n)
}
