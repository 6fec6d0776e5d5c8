package check

import (
	"encoding/binary"
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// FieldDiff is one field on which the two sides disagree.
type FieldDiff struct {
	Field string `json:"field"`
	Go    string `json:"go"`
	EVM   string `json:"evm"`
}

func (d FieldDiff) String() string { return fmt.Sprintf("%-28s go=%s evm=%s", d.Field, d.Go, d.EVM) }

// field is one fixed-size field of a packed encoding (docs/spec.md §2.1 "State witness and
// state hash" and §2.2 "Thread record").
type field struct {
	name      string
	off, size int
}

var stateFields = []field{
	{"memRoot", 0, 32}, {"preimageKey", 32, 32}, {"preimageOffset", 64, 8}, {"heap", 72, 8},
	{"llReservationStatus", 80, 1}, {"llAddress", 81, 8}, {"llOwnerThread", 89, 8},
	{"exitCode", 97, 1}, {"exited", 98, 1}, {"step", 99, 8},
	{"stepsSinceLastContextSwitch", 107, 8}, {"traverseRight", 115, 1},
	{"leftThreadStack", 116, 32}, {"rightThreadStack", 148, 32}, {"nextThreadID", 180, 8},
}

var threadFields = func() []field {
	f := []field{{"threadID", 0, 8}, {"exitCode", 8, 1}, {"exited", 9, 1}, {"pc", 10, 8}, {"nextPC", 18, 8}, {"lo", 26, 8}, {"hi", 34, 8}}
	for i := 0; i < 32; i++ {
		f = append(f, field{fmt.Sprintf("r%d ($%s)", i, mips64.RegName(i)), 42 + 8*i, 8})
	}
	return f
}()

// StateSize and ThreadSize are the packed sizes the diffs decode.
const (
	StateSize  = 188
	ThreadSize = 298
)

func renderField(b []byte, f field) string {
	if f.off+f.size > len(b) {
		return "(absent)"
	}
	v := b[f.off : f.off+f.size]
	switch f.size {
	case 1:
		return fmt.Sprintf("%d", v[0])
	case 8:
		return fmt.Sprintf("0x%016x", binary.BigEndian.Uint64(v))
	default:
		return fmt.Sprintf("0x%x", v)
	}
}

func diffFields(fields []field, size int, goB, evmB []byte) []FieldDiff {
	var out []FieldDiff
	if len(goB) != len(evmB) || len(goB) != size {
		out = append(out, FieldDiff{Field: "(length)", Go: fmt.Sprint(len(goB)), EVM: fmt.Sprint(len(evmB))})
	}
	for _, f := range fields {
		g, e := renderField(goB, f), renderField(evmB, f)
		if g != e {
			out = append(out, FieldDiff{Field: f.name, Go: g, EVM: e})
		}
	}
	return out
}

// DiffStates decodes two 188-byte state witnesses and lists the fields that differ. Bytes
// beyond 188 in either input are reported as a length difference only.
func DiffStates(goState, evmState []byte) []FieldDiff {
	return diffFields(stateFields, StateSize, goState, evmState)
}

// DiffThreads does the same for two 298-byte thread encodings.
func DiffThreads(goThread, evmThread []byte) []FieldDiff {
	return diffFields(threadFields, ThreadSize, goThread, evmThread)
}

// DescribeState renders every field of a state witness, for display.
func DescribeState(b []byte) []FieldDiff {
	out := make([]FieldDiff, 0, len(stateFields))
	for _, f := range stateFields {
		out = append(out, FieldDiff{Field: f.name, Go: renderField(b, f)})
	}
	return out
}
