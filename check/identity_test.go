package check

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDisplayPath(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	cases := []struct{ in, want string }{
		{"", ""},
		{"prog.elf", "prog.elf"},
		{"../bin/prog.elf", "../bin/prog.elf"},
		{filepath.Join(wd, "sub", "prog.elf"), filepath.Join("sub", "prog.elf")},
		{"/elsewhere/entirely/prog.elf", "prog.elf"},
		{filepath.Join(filepath.Dir(wd), "sibling", "prog.elf"), "prog.elf"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, DisplayPath(c.in), "DisplayPath(%q)", c.in)
	}
}

func TestIdentityFirstDifference(t *testing.T) {
	a := Identity{ToolVersion: "v1", StateVersion: 8, ELFSHA256: "0x1", StepCodeHash: "0x2", OracleCodeHash: "0x3"}
	_, _, _, differ := a.FirstDifference(a)
	require.False(t, differ)
	b := a
	b.OracleCodeHash = "0x4"
	field, x, y, differ := a.FirstDifference(b)
	require.True(t, differ)
	require.Equal(t, [3]string{"oracle_code_hash", "0x3", "0x4"}, [3]string{field, x, y})
	b.ToolVersion = "v2"
	field, _, _, _ = a.FirstDifference(b)
	require.Equal(t, "tool_version", field, "the first field in the fixed order is named")
}

// A bundle written before version 2 (no identity) still decodes; a version from the future
// does not, and a version-2 bundle must say schema_version 2 as well.
func TestDecodeBundle_Versions(t *testing.T) {
	b, err := DecodeBundle(sampleBundle(t))
	require.NoError(t, err)
	require.Equal(t, 2, b.SchemaVersion)
	require.Equal(t, 8, b.StateVersion)
	require.NotEmpty(t, b.StepCodeHash)
	require.NotEmpty(t, b.ToolVersion)
	mustJSON := func(b *Bundle) []byte {
		data, err := json.Marshal(b)
		require.NoError(t, err)
		return data
	}
	b.Version, b.SchemaVersion, b.Identity = 1, 0, Identity{}
	_, err = DecodeBundle(mustJSON(b))
	require.NoError(t, err)
	b.Version = 3
	_, err = DecodeBundle(mustJSON(b))
	require.ErrorContains(t, err, "version: is 3; this fpvmdiff reads versions 1 to 2")
	b.Version, b.SchemaVersion = 2, 1
	_, err = DecodeBundle(mustJSON(b))
	require.ErrorContains(t, err, "schema_version: is 1 but version is 2")
}
