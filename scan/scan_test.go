package scan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// row is a finding reduced to what a reader checks: kind, symbol, finding, wrapper, count.
type row struct {
	kind    Kind
	symbol  string
	finding string
	via     string
	count   int
}

func rows(fs []Finding) []row {
	var out []row
	for _, f := range fs {
		out = append(out, row{f.Kind, f.Symbol, f.Finding, f.Via, f.Count})
	}
	return out
}

// The expected report, written by hand from testdata/scan/unsupported.S.
var unsupportedWant = []row{
	{KindDeviating, "rotate", "rotr", "", 1},
	{KindInstruction, "accumulate", "madd", "", 2},
	{KindInstruction, "accumulate", "msubu", "", 1},
	{KindInstruction, "bitfield", "ext", "", 1},
	{KindInstruction, "fpu", "add.d", "", 1},
	{KindInstruction, "likely", "beql", "", 1},
	{KindInstruction, "prefetch", "pref", "", 1},
	{KindInstruction, "traps", "break", "", 1},
	{KindInstruction, "traps", "teq", "", 1},
	{KindSyscall, "big_number", "syscall:5041", "", 1},
	{KindSyscall, "send_signal", "syscall:5060", "raw_syscall", 1},
	{KindSyscall, "set_name", "syscall:5153", "", 1},
}

func TestScanFindsEverythingInTheUnsupportedELF(t *testing.T) {
	res, err := ScanFile(buildUnsupportedELF(t), Options{GoRuntimeAllowlist: true})
	require.NoError(t, err)
	require.False(t, res.GoBinary)
	require.Empty(t, res.Allowlists, "the Go runtime allowlist applies to Go binaries only")
	require.Equal(t, unsupportedWant, rows(res.Findings))
	require.False(t, res.Clean())
	require.Empty(t, res.Allowed)

	require.Len(t, res.Unresolved, 1)
	require.Equal(t, "computed", res.Unresolved[0].Symbol)
	var used []int64
	for _, s := range res.Syscalls {
		used = append(used, s.Number)
	}
	require.Equal(t, []int64{5001, 5023, 5205}, used, "write, sched_yield (through the wrapper), exit_group")

	for _, f := range res.Findings {
		if f.Finding == "syscall:5153" {
			require.Equal(t, "syscall 5153 (prctl)", f.Display)
		}
		if f.Kind == KindDeviating {
			require.Contains(t, f.Note, "executed as srl")
		}
	}
}

func TestAllowlistAcceptsAuditedFindings(t *testing.T) {
	elfPath := buildUnsupportedELF(t)
	allow, err := ParseAllowlist("mine.allow", []byte(`# audited
traps     teq           the trap guards an impossible state
send_*    syscall:5060  signals are never sent in this build
traps     break         if=godebug:never=1  only with a GODEBUG this binary lacks
nobody    madd          matches nothing
`))
	require.NoError(t, err)
	res, err := ScanFile(elfPath, Options{Allow: []*Allowlist{allow}})
	require.NoError(t, err)

	require.Equal(t, []row{
		{KindInstruction, "traps", "teq", "", 1},
		{KindSyscall, "send_signal", "syscall:5060", "raw_syscall", 1},
	}, rows(res.Allowed))
	require.Equal(t, "mine.allow:2", res.Allowed[0].Allowed)
	require.Equal(t, "the trap guards an impossible state", res.Allowed[0].Reason)
	require.Len(t, res.Findings, len(unsupportedWant)-2)
	for _, f := range res.Findings {
		if f.Finding == "break" {
			require.Contains(t, f.Note, "mine.allow:4 accepts it only with godebug:never=1")
		}
	}
	require.Equal(t, []string{"mine.allow:4: traps break", "mine.allow:5: nobody madd"}, res.UnusedAllow)
}

// Our guest programs are clean under the documented rule: the built-in, audited Go
// runtime allowlist. Without it, the findings are exactly the runtime code listed in
// docs/scan.md (hand-checked with objdump).
func TestGuestProgramsScanClean(t *testing.T) {
	for _, name := range []string{"hello", "exitcode", "mt", "preimage"} {
		t.Run(name, func(t *testing.T) {
			elfPath := guests.MustBuild(t, name)
			res, err := ScanFile(elfPath, Options{GoRuntimeAllowlist: true})
			require.NoError(t, err)
			require.True(t, res.GoBinary)
			require.Equal(t, "decoratemappings=0,madvdontneed=0", res.GoDebug)
			require.Empty(t, res.Findings, "findings in %s", name)
			require.True(t, res.Clean())

			strict, err := ScanFile(elfPath, Options{})
			require.NoError(t, err)
			got := map[row]bool{}
			for _, r := range rows(strict.Findings) {
				r.count = 0
				got[r] = true
			}
			for _, want := range []row{
				{KindInstruction, "runtime.abort", "teq", "", 0},
				{KindInstruction, "runtime.save_g", "rdhwr", "", 0},
				{KindInstruction, "runtime.memclrNoHeapPointers", "msa", "", 0},
				{KindSyscall, "runtime.raiseproc", "syscall:5060", "", 0},
				{KindSyscall, "runtime.setVMAName", "syscall:5153", "internal/runtime/syscall/linux.Syscall6", 0},
			} {
				require.True(t, got[want], "%+v missing from the strict scan of %s", want, name)
			}
			require.Equal(t, len(strict.Findings), len(res.Allowed), "every strict finding is accepted, none by accident")
		})
	}
}

// The setVMAName entry holds only for binaries that switch decorated mappings off.
func TestGoAllowlistConditionOnGodebug(t *testing.T) {
	a := GoRuntimeAllowlist()
	hit, blocked := a.match("runtime.setVMAName", "syscall:5153", parseGodebug("madvdontneed=0,decoratemappings=0"))
	require.NotNil(t, hit)
	require.Nil(t, blocked)
	hit, blocked = a.match("runtime.setVMAName", "syscall:5153", parseGodebug("decoratemappings=0,decoratemappings=1"))
	require.Nil(t, hit, "the later setting wins")
	require.NotNil(t, blocked)
	hit, _ = a.match("runtime.setVMAName", "syscall:5153", nil)
	require.Nil(t, hit)
}

func TestScanRejectsBadInput(t *testing.T) {
	hello, err := os.ReadFile(guests.MustBuild(t, "hello"))
	require.NoError(t, err)
	x86 := append([]byte(nil), hello...)
	x86[18], x86[19] = 0, 62 // e_machine = EM_X86_64
	little := append([]byte(nil), hello...)
	little[5] = 1 // ELFDATA2LSB
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a readable ELF file"},
		{"text", []byte("hello, world\n"), "not a readable ELF file"},
		{"truncated", hello[:100], "not a readable ELF file"},
		{"x86", x86, "want a 64-bit big-endian MIPS executable"},
		{"little-endian", little, "not a readable ELF file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Scan(tc.data, Options{})
			require.Error(t, err)
			var inErr *InputError
			require.ErrorAs(t, err, &inErr)
			require.Contains(t, err.Error(), tc.want)
		})
	}
	_, err = ScanFile(filepath.Join(t.TempDir(), "missing.elf"), Options{})
	require.ErrorContains(t, err, "no such file")
}

// Corrupted bytes anywhere never panic; they either scan or give an InputError.
func FuzzScan(f *testing.F) {
	f.Add([]byte("\x7fELF\x02\x02\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Scan(data, Options{GoRuntimeAllowlist: true})
		if err != nil {
			var inErr *InputError
			require.ErrorAs(t, err, &inErr)
			return
		}
		require.NotNil(t, res)
	})
}
