package check

import (
	"testing"

	"github.com/fpvmdiff/fpvmdiff/evmharness"

	"github.com/stretchr/testify/require"
)

func TestBuiltinSession_OneStepAgrees(t *testing.T) {
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	for _, insn := range []uint32{0x24080005, 0x0000000D} {
		in := oneStep(t, insn)
		rep := CheckStep(s, in)
		require.True(t, rep.Agree(), "insn 0x%08x: %v (evm: %+v)", insn, rep.Mismatches, rep.EVM)
		t.Logf("insn 0x%08x: gas %d reverted=%v %s at %v via %v", insn, rep.EVM.Gas, rep.EVM.Reverted, rep.EVM.RevertReason, rep.EVM.RevertAt, rep.EVM.RevertCalls)
	}
}

// When the Go side computes a wrong register, the bundle shows it register by register: the
// EVM's thread is recovered from the step contract's last 298-byte keccak256 input.
func TestCheckStep_ThreadDiffNamesTheRegister(t *testing.T) {
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	in := oneStep(t, 0x24080005) // addiu a4, zero, 5
	in.GoThread[42+8*8+7] = 6    // Go claims a4 = 6
	in.GoPost[130] ^= 1          // and a different left stack root
	rep := CheckStep(s, in)
	require.False(t, rep.Agree())
	b := NewBundle(in, rep, s, "addiu")
	require.Len(t, b.ThreadDiff, 1)
	require.Equal(t, FieldDiff{Field: "r8 ($a4)", Go: "0x0000000000000006", EVM: "0x0000000000000005"}, b.ThreadDiff[0])
	require.Equal(t, "leftThreadStack", b.StateDiff[0].Field)
}
