package qemuoracle

import (
	"testing"

	"github.com/fpvmdiff/fpvmdiff/mips64"
	"github.com/stretchr/testify/require"
)

// startQemu builds the driver and starts it. Missing tools fail the test with the message
// that says to run `make deps`: the oracle is part of the suite and must not silently skip.
func startQemu(t *testing.T) *Qemu {
	t.Helper()
	tc, err := FindToolchain()
	if err != nil {
		t.Fatalf("qemu oracle unavailable: %v", err)
	}
	elf, err := tc.BuildDriver("", t.TempDir())
	require.NoError(t, err)
	q, err := tc.StartQemu(elf)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, q.Close()) })
	return q
}

// handCase builds a case of op at batch slot 0 with the given fields and register values;
// everything else is zero.
func handCase(t *testing.T, l Layout, name string, f mips64.Fields, regs map[uint32]uint64) *Case {
	t.Helper()
	op, ok := opsByName[name]
	require.True(t, ok, "no op %q", name)
	c := &Case{Op: op, Entry: l.blockBase(0) + 4*SlotWord}
	c.In.F = f
	for r, v := range regs {
		require.NotZero(t, r, "R0 cannot hold a value")
		c.In.Regs[r] = v
	}
	return c
}

// runBoth runs one case on QEMU and on the Go VM.
func runBoth(t *testing.T, q *Qemu, c *Case) (QemuResult, Outcome, error) {
	t.Helper()
	res, err := q.Run([]*Case{c})
	require.NoError(t, err)
	g, goErr := RunGo(c, q.Layout)
	return res[0], g, goErr
}
