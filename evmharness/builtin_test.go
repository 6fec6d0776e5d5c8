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
