package scan

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseAllowlistErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"no reason", "runtime.abort teq\n", "x.allow:1: want '<symbol> <finding> <reason>'"},
		{"condition without reason", "a teq if=godebug:k=v\n", "x.allow:1: entry a teq has no reason"},
		{"bad syscall", "# c\na syscall:kill because\n", `x.allow:2: finding "syscall:kill": want syscall:<number>`},
		{"bad condition", "a teq if=env:X=1 reason\n", `x.allow:1: condition "if=env:X=1"`},
		{"condition without value", "a teq if=godebug:k reason\n", "want if=godebug:<key>=<value>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAllowlist("x.allow", []byte(tc.text))
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestParseAllowlistEntries(t *testing.T) {
	a, err := ParseAllowlist("x.allow", []byte("  # comment\n\nteq_user   teq   the teq in the name is not the finding\nf syscall:50* if=godebug:a=b  several  words here \n"))
	require.NoError(t, err)
	require.Len(t, a.Entries, 2)
	require.Equal(t, AllowEntry{Symbol: "teq_user", Finding: "teq", Reason: "the teq in the name is not the finding", Source: "x.allow:3"}, *a.Entries[0])
	require.Equal(t, AllowEntry{Symbol: "f", Finding: "syscall:50*", Cond: "godebug:a=b", Reason: "several  words here", Source: "x.allow:4"}, *a.Entries[1])
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"runtime.abort", "runtime.abort", true},
		{"runtime.abort", "runtime.aborts", false},
		{"runtime.*", "runtime.x/y.z", true},
		{"*.wait4", "syscall.wait4", true},
		{"a*a", "a", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
		{"syscall:50*", "syscall:5060", true},
		{"*", "", true},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, glob(tc.pattern, tc.s), "%q ~ %q", tc.pattern, tc.s)
	}
}

// The built-in list parses and every entry has a reason.
func TestGoRuntimeAllowlistParses(t *testing.T) {
	a := GoRuntimeAllowlist()
	require.NotEmpty(t, a.Entries)
	for _, e := range a.Entries {
		require.NotEmpty(t, e.Reason, e.Source)
	}
}

func TestSyscallTables(t *testing.T) {
	for n, want := range map[int64]bool{5000: true, 5010: true, 5284: true, 5313: true, 5220: true, 5153: false, 5060: false, 5057: false, 0: false} {
		require.Equal(t, want, SyscallImplemented(n), "%d", n)
	}
	require.Equal(t, "5153 (prctl)", SyscallName(5153))
	require.Equal(t, "5010 (mprotect)", SyscallName(5010))
	require.Equal(t, "9999", SyscallName(9999))
}
