package check

import (
	"testing"

	"github.com/fpvmdiff/fpvmdiff/evmharness"

	"github.com/stretchr/testify/require"
)

// A step leaves nothing behind in the EVM that changes the next one: a step checked in a
// fresh session and the same step checked after hundreds of others (reused calldata buffer,
// warm caches, oracle loads) give the same gas, logs and return value.
func TestCheckStep_NoStateCarriedBetweenSteps(t *testing.T) {
	ins, err := PrepareSteps(guestELF(t, "hello"), 1000, 400)
	require.NoError(t, err)
	require.Len(t, ins, 400)
	mips, oracle, _, err := RunConfig{}.contracts()
	require.NoError(t, err)
	busy, err := evmharness.NewSession(mips, oracle)
	require.NoError(t, err)
	for _, in := range ins[:len(ins)-1] {
		require.True(t, CheckStep(busy, in).Agree())
	}
	for _, in := range []*StepInput{ins[0], ins[len(ins)/2], ins[len(ins)-1]} {
		fresh, err := evmharness.NewSession(mips, oracle)
		require.NoError(t, err)
		want := CheckStep(fresh, in)
		got := CheckStep(busy, in)
		require.True(t, want.Agree())
		require.Equal(t, want.EVM.Gas, got.EVM.Gas, "step %d", in.PreStep())
		require.Equal(t, want.EVM.Logs, got.EVM.Logs)
		require.Equal(t, want.EVM.Return, got.EVM.Return)
	}
}

// PrepareSteps gives the witnesses Run would check: consecutive steps from the start step.
func TestPrepareSteps(t *testing.T) {
	ins, err := PrepareSteps(guestELF(t, "hello"), 50, 3)
	require.NoError(t, err)
	require.Len(t, ins, 3)
	for i, in := range ins {
		require.Equal(t, uint64(50+i), in.PreStep())
		require.NoError(t, in.GoErr)
	}
	_, err = PrepareSteps([]byte("not an elf"), 0, 1)
	require.ErrorContains(t, err, "loading the ELF")
}
