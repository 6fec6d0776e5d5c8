package qemuoracle

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// The fixed-seed sample of `go test`: every class, 30,000 compared cases. `make
// qemu-oracle N=...` runs more with the same code.
func TestOracleSample(t *testing.T) {
	const n = 30_000
	rep, err := Run(Config{N: n, Seed: 1})
	require.NoError(t, err) // a missing tool says to run `make deps`
	var out bytes.Buffer
	rep.Print(&out)
	t.Log("\n" + out.String())
	require.Zero(t, rep.Mismatched, "the Go VM disagrees with QEMU:\n%s", out.String())
	require.Equal(t, n, rep.Compared())
	for _, c := range Classes {
		require.GreaterOrEqual(t, rep.Stats[c].Compared, n/len(Classes)*9/10, "class %s", c)
	}
	for _, d := range Deviations {
		if d.Action != Exclude {
			require.Positive(t, rep.Applied[d.ID], "deviation %s never acted in the sample", d.ID)
		}
	}
}

func TestMissingToolSaysMakeDeps(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := FindToolchain()
	require.ErrorIs(t, err, ErrMissingTool)
	require.ErrorContains(t, err, "qemu-mips64 not found")
	require.ErrorContains(t, err, "make deps")
	_, err = Run(Config{N: 1})
	require.ErrorContains(t, err, "make deps")
}

func TestRunRejectsUnknownClass(t *testing.T) {
	q := startQemu(t)
	_, err := RunWith(q, Config{N: 1, Classes: []Class{"fpu"}})
	require.ErrorContains(t, err, `unknown instruction class "fpu"`)
}
