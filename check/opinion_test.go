package check

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestThirdOpinion(t *testing.T) {
	hello := guestELF(t, "hello")

	t.Run("the contract lies: backs the Go VM", func(t *testing.T) {
		res, _ := patchedRun(t, 300, 79, false, 1000, 1)
		require.True(t, res.Diverged())
		op, err := ThirdOpinion(res.Divergence, hello, nil, OurVM, "third")
		require.NoError(t, err)
		require.Equal(t, uint64(299), op.Step)
		require.Equal(t, VerdictGo, op.Verdict)
		require.Len(t, op.Fields, 1)
		require.Equal(t, "heap", op.Fields[0].Field)
		require.Equal(t, "go", op.Fields[0].Agrees)
	})
	t.Run("the contract reverts: backs the Go VM", func(t *testing.T) {
		res, _ := patchedRun(t, 300, 0, true, 1000, 1)
		op, err := ThirdOpinion(res.Divergence, hello, nil, OurVM, "third")
		require.NoError(t, err)
		require.Equal(t, VerdictGo, op.Verdict)
		require.Equal(t, "outcome", op.Fields[0].Field)
		require.Contains(t, op.EVMOutcome, "patched revert")
	})
	t.Run("the Go VM lies: backs the EVM", func(t *testing.T) {
		res, err := Run(RunConfig{ELF: hello, Program: "hello", MaxSteps: 500, BundleDir: t.TempDir(),
			GoPostHook: func(step uint64, post []byte) {
				if step == 123 {
					post[72] ^= 0x40
				}
			}})
		require.NoError(t, err)
		op, err := ThirdOpinion(res.Divergence, hello, nil, OurVM, "third")
		require.NoError(t, err)
		require.Equal(t, VerdictEVM, op.Verdict)
		require.Equal(t, "evm", op.Fields[0].Agrees)
	})
	t.Run("not the bundle's program", func(t *testing.T) {
		res, _ := patchedRun(t, 300, 79, false, 1000, 1)
		_, err := ThirdOpinion(res.Divergence, guestELF(t, "exitcode"), nil, OurVM, "third")
		require.ErrorContains(t, err, "differs from the bundle's pre-state")
		b := *res.Divergence
		b.Step = 50_000_000
		_, err = ThirdOpinion(&b, hello, nil, OurVM, "third")
		require.ErrorContains(t, err, "before the bundle's step 50000000")
	})
}
