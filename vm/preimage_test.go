package vm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Well-known digests: keccak256("") = c5d24601…a470, keccak256("abc") = 4e03657a…6c45,
// sha256("") = e3b0c442…b855, sha256("abc") = ba7816bf…15ad.
const (
	keyKeccakEmpty = "0x02d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
	keyKeccakABC   = "0x0203657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
	keySha256Empty = "0x04b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	keySha256ABC   = "0x047816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
)

func mustKey(t *testing.T, s string) [32]byte {
	t.Helper()
	b, err := decodeHex(s)
	require.NoError(t, err)
	require.Len(t, b, 32)
	return [32]byte(b)
}

func TestPreimageKeyFor(t *testing.T) {
	cases := []struct {
		typ  byte
		data string
		want string
	}{
		{2, "", keyKeccakEmpty},
		{2, "abc", keyKeccakABC},
		{4, "", keySha256Empty},
		{4, "abc", keySha256ABC},
	}
	for _, c := range cases {
		got, err := PreimageKeyFor(c.typ, []byte(c.data))
		require.NoError(t, err)
		require.Equal(t, mustKey(t, c.want), got, "type %d %q", c.typ, c.data)
	}
	for _, typ := range []byte{0, 1, 3, 5, 6, 7} {
		_, err := PreimageKeyFor(typ, []byte("abc"))
		require.ErrorContains(t, err, "key type")
	}
}

func TestLocalKey(t *testing.T) {
	require.Equal(t, mustKey(t, "0x0100000000000000000000000000000000000000000000000000000000000001"), LocalKey(1))
	require.Equal(t, mustKey(t, "0x0100000000000000000000000000000000000000000000000102030405060708"), LocalKey(0x0102030405060708))
}

func TestPreimageMap(t *testing.T) {
	m := NewPreimageMap()
	k := mustKey(t, keyKeccakABC)
	m.Add(k, []byte("abc"))
	got, err := m.GetPreimage(k)
	require.NoError(t, err)
	require.Equal(t, []byte("abc"), got)
	_, err = m.GetPreimage(mustKey(t, keyKeccakEmpty))
	require.ErrorIs(t, err, ErrPreimageNotFound)
	require.ErrorContains(t, err, keyKeccakEmpty)

	buf := []byte("hint one")
	m.Hint(buf)
	buf[0] = 'X' // the map keeps its own copy
	require.Equal(t, [][]byte{[]byte("hint one")}, m.Hints)

	var zero PreimageMap // usable without the constructor
	zero.Add(k, nil)
	got, err = zero.GetPreimage(k)
	require.NoError(t, err)
	require.Empty(t, got)
}

func writeJSON(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "preimages.json")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

func TestReadPreimageFile_Valid(t *testing.T) {
	local := "0x0100000000000000000000000000000000000000000000000000000000000002"
	blob := "0x05aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	precompile := "0x06bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	body := `{
		"` + keyKeccakABC + `": "0x616263",
		"` + keyKeccakEmpty + `": "0x",
		"0x` + strings.ToUpper(keySha256ABC[2:]) + `": "0x616263",
		"` + local + `": "0x` + strings.Repeat("11", 32) + `",
		"` + blob + `": "0x` + strings.Repeat("22", 32) + `",
		"` + precompile + `": "0x01deadbeef"
	}`
	m, err := ReadPreimageFile(writeJSON(t, body))
	require.NoError(t, err)
	require.Len(t, m.Preimages, 6)
	require.Equal(t, []byte("abc"), m.Preimages[mustKey(t, keyKeccakABC)])
	require.Equal(t, []byte{}, m.Preimages[mustKey(t, keyKeccakEmpty)])
	require.Equal(t, []byte("abc"), m.Preimages[mustKey(t, keySha256ABC)])
	require.Equal(t, []byte{0x01, 0xde, 0xad, 0xbe, 0xef}, m.Preimages[mustKey(t, precompile)])

	empty, err := ReadPreimageFile(writeJSON(t, "{}"))
	require.NoError(t, err)
	require.Empty(t, empty.Preimages)
}

func TestReadPreimageFile_Errors(t *testing.T) {
	k := func(typ string) string { return "0x" + typ + strings.Repeat("00", 31) }
	cases := []struct {
		name, body string
		msg        []string
	}{
		{"not an object", `["0x00"]`, []string{"JSON object"}},
		{"not JSON", `{"a":`, []string{"value must be a hex string"}},
		{"number value", `{"` + keyKeccakABC + `": 5}`, []string{keyKeccakABC, "hex string"}},
		{"trailing data", `{} {}`, []string{"after the JSON object"}},
		{"key without 0x", `{"` + keyKeccakABC[2:] + `": "0x616263"}`, []string{"0x prefix"}},
		{"key of 31 bytes", `{"0x` + strings.Repeat("02", 31) + `": "0x"}`, []string{"31 bytes, want 32"}},
		{"key with bad hex", `{"0x` + strings.Repeat("zz", 32) + `": "0x"}`, []string{"not valid hex"}},
		{"odd-length data", `{"` + keyKeccakABC + `": "0x616"}`, []string{keyKeccakABC, "data", "not valid hex"}},
		{"type 0", `{"` + k("00") + `": "0x"}`, []string{k("00"), "unsupported key type 0"}},
		{"type 3", `{"` + k("03") + `": "0x"}`, []string{"unsupported key type 3"}},
		{"type 7", `{"` + k("07") + `": "0x"}`, []string{"unsupported key type 7"}},
		{"keccak mismatch", `{"` + keyKeccakABC + `": "0x616264"}`, []string{keyKeccakABC, "keccak256"}},
		{"keccak key given sha256 data", `{"0x02` + keySha256ABC[4:] + `": "0x616263"}`, []string{"keccak256"}},
		{"sha256 mismatch", `{"` + keySha256ABC + `": "0x"}`, []string{keySha256ABC, "sha256"}},
		{"local 33 bytes", `{"` + k("01") + `": "0x` + strings.Repeat("11", 33) + `"}`, []string{"33 bytes, at most 32"}},
		{"blob 31 bytes", `{"` + k("05") + `": "0x` + strings.Repeat("11", 31) + `"}`, []string{"31 bytes, want exactly 32"}},
		{"blob 33 bytes", `{"` + k("05") + `": "0x` + strings.Repeat("11", 33) + `"}`, []string{"33 bytes, want exactly 32"}},
		{"precompile empty", `{"` + k("06") + `": "0x"}`, []string{"status byte"}},
		{"precompile status 2", `{"` + k("06") + `": "0x02"}`, []string{"status byte is 0x02"}},
		{"duplicate key", `{"` + keyKeccakABC + `": "0x616263", "` + keyKeccakABC + `": "0x616263"}`, []string{"same key"}},
		{"duplicate key in other case", `{"` + keyKeccakABC + `": "0x616263", "0x` + strings.ToUpper(keyKeccakABC[2:]) + `": "0x616263"}`, []string{"same key"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeJSON(t, c.body)
			_, err := ReadPreimageFile(p)
			require.Error(t, err)
			require.ErrorContains(t, err, p)
			for _, m := range c.msg {
				require.ErrorContains(t, err, m)
			}
		})
	}
	_, err := ReadPreimageFile(filepath.Join(t.TempDir(), "missing.json"))
	require.ErrorContains(t, err, "missing.json")
}
