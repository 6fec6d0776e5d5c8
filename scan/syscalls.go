package scan

import (
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// SyscallImplemented reports whether the VM handles syscall number n (implemented or a
// no-op, docs/spec.md §7.2 "Supported syscalls" and §7.3 "No-op syscalls").
func SyscallImplemented(n int64) bool {
	_, st := mips64.Syscall(uint64(n))
	return st != mips64.SyscallUnimplemented
}

// SyscallName is "5153 (prctl)", or the bare number when it has no known name.
func SyscallName(n int64) string {
	if name, _ := mips64.Syscall(uint64(n)); name != "" {
		return fmt.Sprintf("%d (%s)", n, name)
	}
	return fmt.Sprint(n)
}

// syscallBareName is the name of an implemented or no-op number, else "".
func syscallBareName(n int64) string {
	if !SyscallImplemented(n) {
		return ""
	}
	name, _ := mips64.Syscall(uint64(n))
	return name
}
