package evmharness

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/stretchr/testify/require"
)

func TestDecodeRevert(t *testing.T) {
	custom, err := abi.JSON(strings.NewReader(`[{"type":"error","name":"Bad","inputs":[{"name":"x","type":"uint256"}]}]`))
	require.NoError(t, err)
	badSel := selector("Bad(uint256)")
	imp := selector("InvalidMemoryProof()")
	panic11 := append(selPanic[:], make([]byte, 32)...)
	panic11[35] = 0x11
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "revert without data"},
		{"short", []byte{1, 2}, "shorter than a selector"},
		{"Error(string)", ErrorRevertData("MIPS64: invalid instruction"), `Error("MIPS64: invalid instruction")`},
		{"Error(string) truncated", ErrorRevertData("abc")[:40], "malformed"},
		{"Panic", panic11, "Panic(0x11): arithmetic overflow or underflow"},
		{"custom from ABI", append(badSel[:], append(make([]byte, 31), 7)...), "Bad(7)"},
		{"known production error", imp[:], "InvalidMemoryProof()"},
		{"unknown", []byte{0xde, 0xad, 0xbe, 0xef, 1}, "custom error 0xdeadbeef"},
	}
	for _, c := range cases {
		require.Contains(t, DecodeRevert(c.data, &custom), c.want, c.name)
	}
}

func TestSourceMap(t *testing.T) {
	// PUSH1 1 (pc 0), PUSH2 1 2 (pc 2), JUMP (pc 5), REVERT (pc 6)
	code := []byte{0x60, 1, 0x61, 1, 2, 0x56, 0xFD}
	src := map[int]Source{0: {Path: "a.sol", Content: "line one\n  line two\nline three\n"}}
	sm, err := NewSourceMap(code, "0:4:0:-;11:8;;22:5:0:i", src)
	require.NoError(t, err)
	require.Equal(t, "a.sol:1: line one", sm.Lookup(0).String())
	require.Equal(t, "a.sol:2: line two", sm.Lookup(2).String())
	require.Equal(t, "a.sol:2: line two", sm.Lookup(5).String(), "empty entry repeats the previous one")
	require.Equal(t, "a.sol:3: line three", sm.Lookup(6).String())
	require.Equal(t, byte('i'), sm.JumpType(6))
	require.Nil(t, sm.Lookup(1), "inside push data")
	require.Nil(t, sm.Lookup(100))

	_, err = NewSourceMap(code, "0:x:0", src)
	require.ErrorContains(t, err, "source map entry 0")
}
