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

// When the Go side computes a wrong register, the bundle shows it register by register: the
// EVM's thread is recovered from the step contract's last 298-byte keccak256 input.
func TestCheckStep_ThreadDiffNamesTheRegister(t *testing.T) {
	s, err := NewBuiltinSession()
	require.NoError(t, err)
	in := oneStep(t, 0x24080005) // addiu a4, zero, 5
	in.GoThread[42+8*8+7] = 6    // Go claims a4 = 6
	in.GoPost[130] ^= 1          // and a different left stack root
	rep := s.CheckStep(in)
	require.False(t, rep.Agree())
	b := NewBundle(in, rep, s, "addiu")
	require.Len(t, b.ThreadDiff, 1)
	require.Equal(t, FieldDiff{Field: "r8 ($a4)", Go: "0x0000000000000006", EVM: "0x0000000000000005"}, b.ThreadDiff[0])
	require.Equal(t, "leftThreadStack", b.StateDiff[0].Field)
}

func TestParseArtifact_OursAndForges(t *testing.T) {
	forge := `{"abi":[{"type":"constructor","inputs":[{"name":"o","type":"address"}]}],
		"bytecode":{"object":"0x6001","sourceMap":"1:2:0"},
		"deployedBytecode":{"object":"0x6002","sourceMap":"3:4:0"}}`
	a, err := ParseArtifact("forge.json", []byte(forge))
	require.NoError(t, err)
	require.Equal(t, []byte{0x60, 0x01}, a.Creation)
	require.Equal(t, []byte{0x60, 0x02}, a.Deployed)
	require.Equal(t, "3:4:0", a.DeployedSourceMap)
	require.Len(t, a.ABI.Constructor.Inputs, 1)

	ours, err := BuiltinArtifact("MIPS64")
	require.NoError(t, err)
	require.NotEmpty(t, ours.DeployedSourceMap)
	require.Contains(t, ours.Sources[0].Path, "MIPS64.sol")

	for _, bad := range []string{`{"bytecode":"0xzz"}`, `{"abi":[]}`, `{"bytecode":"0x__lib__"}`, `[`} {
		_, err := ParseArtifact("bad.json", []byte(bad))
		require.Error(t, err, bad)
	}
}
