package evmharness

import (
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

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
func dummyOracle() *Artifact {
	return &Artifact{Name: "dummy-oracle", Creation: initcode([]byte{opSTOP})}
}

// errorString is the revert data of Error(msg).
func errorString(msg string) []byte {
	out := append([]byte(nil), selError[:]...)
	w := make([]byte, 32)
	binary.BigEndian.PutUint64(w[24:], 32)
	out = append(out, w...)
	w = make([]byte, 32)
	binary.BigEndian.PutUint64(w[24:], uint64(len(msg)))
	out = append(out, w...)
	pad := make([]byte, (len(msg)+31)/32*32)
	copy(pad, msg)
	return append(out, pad...)
}
