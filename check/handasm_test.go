package check

import (
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/evmharness"

	"github.com/stretchr/testify/require"
)

// Hand-assembled EVM contracts for tests: contracts that lie, written opcode by opcode so
// their behaviour does not depend on any compiler or on our step contract.

const (
	opSTOP     = 0x00
	opMSTORE   = 0x52
	opCODECOPY = 0x39
	opLOG0     = 0xA0
	opLOG1     = 0xA1
	opRETURN   = 0xF3
	opREVERT   = 0xFD
	opPUSH1    = 0x60
	opPUSH2    = 0x61
	opPUSH32   = 0x7F
)

func push2(v int) []byte { return []byte{opPUSH2, byte(v >> 8), byte(v)} }

// initcode wraps runtime code in a constructor that returns it (constructor arguments
// appended after it are ignored).
func initcode(runtime []byte) []byte {
	const initLen = 3 + 3 + 2 + 1 + 3 + 2 + 1
	code := append(push2(len(runtime)), push2(initLen)...)
	code = append(code, opPUSH1, 0, opCODECOPY)
	code = append(code, push2(len(runtime))...)
	code = append(code, opPUSH1, 0, opRETURN)
	if len(code) != initLen {
		panic("initcode length")
	}
	return append(code, runtime...)
}

// liar describes a fixed-answer step contract: it ignores its calldata, emits the given logs
// (data only; one topic when topic is set) and returns ret, or reverts with revert.
type liar struct {
	logs       [][]byte
	topic      bool
	ret        []byte
	revert     []byte
	revertOnly bool
}

// runtime lays out: code, then the data blobs it copies from its own code.
func (l liar) runtime() []byte {
	var blobs [][]byte
	blobs = append(blobs, l.logs...)
	if l.revertOnly {
		blobs = [][]byte{l.revert}
	} else {
		blobs = append(blobs, l.ret)
	}
	// Each blob costs: PUSH2 size, PUSH2 off, PUSH1 0, CODECOPY, PUSH2 size, PUSH1 0, <op>
	// (+ PUSH1 topic for LOG1) = 14 (+2) bytes.
	per := 3 + 3 + 2 + 1 + 3 + 2 + 1
	if l.topic {
		per += 2
	}
	codeLen := per*len(blobs) + 1
	var code []byte
	off := codeLen
	for i, b := range blobs {
		last := i == len(blobs)-1
		code = append(code, push2(len(b))...)
		code = append(code, push2(off)...)
		code = append(code, opPUSH1, 0, opCODECOPY)
		if l.topic && !last {
			code = append(code, opPUSH1, 0x77)
		} else if l.topic {
			code = append(code, opPUSH1, 0)
		}
		code = append(code, push2(len(b))...)
		code = append(code, opPUSH1, 0)
		switch {
		case last && l.revertOnly:
			code = append(code, opREVERT)
		case last:
			code = append(code, opRETURN)
		case l.topic:
			code = append(code, opLOG1)
		default:
			code = append(code, opLOG0)
		}
		off += len(b)
	}
	code = append(code, opSTOP)
	if len(code) != codeLen {
		panic("liar code length")
	}
	for _, b := range blobs {
		code = append(code, b...)
	}
	return code
}

// writeHexContract writes creation code as a hex file, the raw form --contract accepts.
func writeHexContract(t *testing.T, creation []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "contract.hex")
	require.NoError(t, os.WriteFile(path, []byte("0x"+hex.EncodeToString(creation)+"\n"), 0o644))
	return path
}

// dummyOracle is an oracle that accepts every call and does nothing.
func dummyOracle() *evmharness.Artifact {
	return &evmharness.Artifact{Name: "dummy-oracle", Creation: initcode([]byte{opSTOP})}
}

// patchedMIPS returns creation code for our step contract with one change: right before
// it emits the post-state (LOG0 of 188 bytes at memory 0x80), when the post-state's step
// counter equals atStep, it either flips bit 0 of post-state byte flipByte or reverts
// with Error("patched revert"). The runtime is taken from a deployed instance (so the
// oracle immutable is filled in; a new session deploys the oracle at the same address) and
// wrapped in a plain constructor.
func patchedMIPS(t *testing.T, atStep uint64, flipByte int, revert bool) []byte {
	t.Helper()
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	code := append([]byte(nil), s.DeployedCode(s.MIPS)...)
	site := []byte{0x60, 0xBC, 0x60, 0x80, 0xA0} // PUSH1 188, PUSH1 0x80, LOG0
	at := -1
	for i := 0; i+len(site) <= len(code); i++ {
		if string(code[i:i+len(site)]) == string(site) {
			require.Equal(t, -1, at, "LOG0 site found twice")
			at = i
		}
	}
	require.NotEqual(t, -1, at, "LOG0 site not found in the step contract")
	tramp := len(code)
	// site: PUSH2 tramp, JUMP, JUMPDEST (where the trampoline returns)
	copy(code[at:], []byte{opPUSH2, byte(tramp >> 8), byte(tramp), 0x56, 0x5B})
	back := at + 4
	var tr []byte
	tr = append(tr, 0x5B)                                                       // JUMPDEST
	tr = append(tr, opPUSH1, 0x80+99-24, 0x51)                                  // MLOAD word ending with the step field
	tr = append(tr, 0x67, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x16) // PUSH8 mask, AND
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], atStep)
	tr = append(tr, 0x67)
	tr = append(tr, n[:]...)
	tr = append(tr, 0x14, 0x15) // EQ, ISZERO
	skipAt := len(tr)
	tr = append(tr, opPUSH2, 0, 0, 0x57) // PUSH2 skip, JUMPI
	if revert {
		msg := evmharness.ErrorRevertData("patched revert")
		for i := 0; i < len(msg); i += 32 {
			word := make([]byte, 32)
			copy(word, msg[i:])
			tr = append(tr, opPUSH32)
			tr = append(tr, word...)
			tr = append(tr, opPUSH2, byte((0x400+i)>>8), byte(0x400+i), opMSTORE)
		}
		tr = append(tr, opPUSH2, byte(len(msg)>>8), byte(len(msg)), opPUSH2, 0x04, 0x00, opREVERT)
	} else {
		addr := 0x80 + flipByte
		// mem[addr] ^= 1: MLOAD the word starting there, take its top byte, xor, MSTORE8.
		tr = append(tr, opPUSH2, byte(addr>>8), byte(addr), 0x51, opPUSH1, 248, 0x1C) // MLOAD, SHR 248
		tr = append(tr, opPUSH1, 1, 0x18)                                             // XOR 1
		tr = append(tr, opPUSH2, byte(addr>>8), byte(addr), 0x53)                     // MSTORE8
	}
	skip := tramp + len(tr)
	tr[skipAt+1], tr[skipAt+2] = byte(skip>>8), byte(skip)
	tr = append(tr, 0x5B)                                 // skip: JUMPDEST
	tr = append(tr, opPUSH1, 0xBC, opPUSH1, 0x80, opLOG0) // the original LOG0
	tr = append(tr, opPUSH2, byte(back>>8), byte(back), 0x56)
	return initcode(append(code, tr...))
}
