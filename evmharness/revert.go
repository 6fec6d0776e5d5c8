package evmharness

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/crypto"
)

// Revert data shapes of Solidity: Error(string), Panic(uint256), and custom errors.
var (
	selError = selector("Error(string)")
	selPanic = selector("Panic(uint256)")
)

// knownErrors are the custom errors of the production contracts (docs/spec.md §10.4 "Reverts",
// §8.3 "Loading a part before a step"), so that a contract given as raw bytecode, without an
// ABI, still gets named reverts.
var knownErrors = func() map[[4]byte]string {
	m := map[[4]byte]string{}
	for _, sig := range []string{
		"InvalidExitedValue()", "InvalidMemoryProof()", "InvalidSecondMemoryProof()",
		"InvalidPC()", "InvalidAddress()", "UnsupportedStateVersion()",
		"PartOffsetOOB()", "NotEnoughGas()", "InvalidProof()", "InvalidPreimage()",
		"InvalidInputSize()", "WrongStartingBlock()", "StatusAlreadySet()",
	} {
		m[selector(sig)] = sig
	}
	return m
}()

// panicReasons are the Solidity panic codes.
var panicReasons = map[uint64]string{
	0x00: "generic compiler panic",
	0x01: "assert failed",
	0x11: "arithmetic overflow or underflow",
	0x12: "division or modulo by zero",
	0x21: "invalid enum value",
	0x22: "invalid storage byte array encoding",
	0x31: "pop on an empty array",
	0x32: "array index out of bounds",
	0x41: "out of memory",
	0x51: "call of a zero-initialized internal function",
}

func selector(sig string) [4]byte {
	var s [4]byte
	copy(s[:], crypto.Keccak256([]byte(sig)))
	return s
}

// DecodeRevert renders revert data for people: Error(string) as its message, Panic(uint256)
// with its meaning, a custom error by name (from the ABIs given, then the production set),
// anything else as hex. It never fails.
func DecodeRevert(data []byte, abis ...*abi.ABI) string {
	if len(data) == 0 {
		return "revert without data"
	}
	if len(data) < 4 {
		return fmt.Sprintf("revert data 0x%x (shorter than a selector)", data)
	}
	var sel [4]byte
	copy(sel[:], data)
	args := data[4:]
	switch sel {
	case selError:
		if msg, ok := decodeABIString(args); ok {
			return fmt.Sprintf("Error(%q)", msg)
		}
		return fmt.Sprintf("Error(string) with malformed data 0x%x", args)
	case selPanic:
		if len(args) != 32 {
			return fmt.Sprintf("Panic(uint256) with malformed data 0x%x", args)
		}
		code := new(big.Int).SetBytes(args)
		reason := "unknown panic code"
		if code.IsUint64() {
			if r, ok := panicReasons[code.Uint64()]; ok {
				reason = r
			}
		}
		return fmt.Sprintf("Panic(0x%x): %s", code, reason)
	}
	for _, a := range abis {
		if a == nil {
			continue
		}
		for _, e := range a.Errors {
			if [4]byte(e.ID[:4]) != sel {
				continue
			}
			vals, err := e.Inputs.Unpack(args)
			if err != nil || len(e.Inputs) == 0 {
				return e.Sig
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				parts[i] = fmt.Sprint(v)
			}
			return fmt.Sprintf("%s(%s)", e.Name, strings.Join(parts, ", "))
		}
	}
	if name, ok := knownErrors[sel]; ok {
		return name
	}
	return fmt.Sprintf("custom error 0x%x (not in the ABI) with data 0x%x", sel, args)
}

// decodeABIString decodes one ABI-encoded string argument, bounds-checked.
func decodeABIString(b []byte) (string, bool) {
	if len(b) < 64 {
		return "", false
	}
	off, ok := smallWord(b[:32])
	if !ok || off+32 > uint64(len(b)) {
		return "", false
	}
	n, ok := smallWord(b[off : off+32])
	if !ok || off+32+n > uint64(len(b)) {
		return "", false
	}
	s := b[off+32 : off+32+n]
	if !utf8.Valid(s) {
		return fmt.Sprintf("0x%x", s), true
	}
	return string(s), true
}

// smallWord reads a 32-byte big-endian word that must fit in 32 bits.
func smallWord(w []byte) (uint64, bool) {
	for _, c := range w[:28] {
		if c != 0 {
			return 0, false
		}
	}
	return uint64(binary.BigEndian.Uint32(w[28:])), true
}

func describeRevertSuffix(ret []byte) string {
	if len(ret) == 0 {
		return ""
	}
	return ": " + DecodeRevert(ret)
}

// ErrorRevertData is the revert data of Error(msg), as Solidity's require(cond, msg) returns it
// (tests build lying contracts with it).
func ErrorRevertData(msg string) []byte {
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
