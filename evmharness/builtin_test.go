package evmharness

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEmbeddedArtifactsMatchContracts(t *testing.T) {
	for _, name := range []string{"MIPS64", "PreimageOracle"} {
		committed, err := os.ReadFile("../contracts/artifacts/" + name + ".json")
		require.NoError(t, err)
		embeddedCopy, err := embedded.ReadFile("artifacts/" + name + ".json")
		require.NoError(t, err)
		require.True(t, string(committed) == string(embeddedCopy),
			"evmharness/artifacts/%s.json is stale: run go generate ./evmharness", name)
	}
}

func TestBuiltinSession_OneStepAgrees(t *testing.T) {
	s, err := NewBuiltinSession()
	require.NoError(t, err)
	for _, insn := range []uint32{0x24080005, 0x0000000D} {
		in := oneStep(t, insn)
		rep := s.CheckStep(in)
		require.True(t, rep.Agree(), "insn 0x%08x: %v (evm: %+v)", insn, rep.Mismatches, rep.EVM)
		t.Logf("insn 0x%08x: gas %d reverted=%v %s at %v via %v", insn, rep.EVM.Gas, rep.EVM.Reverted, rep.EVM.RevertReason, rep.EVM.RevertAt, rep.EVM.RevertCalls)
	}
}
