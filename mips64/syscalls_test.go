package mips64

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm"
)

// Every number from 5000 to 5499 is unimplemented here exactly when a syscall step of the Go
// VM faults with an unimplemented syscall.
func TestSyscallStatusAgreesWithTheVM(t *testing.T) {
	const syscallWord = 0x0000_000C
	for n := uint64(5000); n < 5500; n++ {
		err := stepOnVM(syscallWord, map[int]uint64{2: n})
		name, st := Syscall(n)
		unimplemented := faultKind(err) == vm.FaultUnsupportedSyscall
		require.Equal(t, unimplemented, st == SyscallUnimplemented, "%d (%s): vm error %v", n, name, err)
	}
}

// Names written by hand from syscall_n64.tbl; each number appears once.
func TestSyscallNames(t *testing.T) {
	for _, tc := range []struct {
		n      uint64
		name   string
		status SyscallStatus
	}{
		{5000, "read", SyscallImplemented}, {5010, "mprotect", SyscallNoOp}, {5153, "prctl", SyscallUnimplemented},
		{5313, "getrandom", SyscallImplemented}, {5220, "timer_delete", SyscallNoOp}, {5999, "", SyscallUnimplemented},
	} {
		name, st := Syscall(tc.n)
		require.Equal(t, tc.name, name, "%d", tc.n)
		require.Equal(t, tc.status, st, "%d", tc.n)
	}
	seen := map[uint64]bool{}
	for _, s := range Syscalls() {
		require.False(t, seen[s.Number], "%d listed twice", s.Number)
		seen[s.Number] = true
	}
}
