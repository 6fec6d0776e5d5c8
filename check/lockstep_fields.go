package check

import (
	"encoding/binary"
	"fmt"
)

// lsField is one fixed-size field of a packed encoding (docs/spec.md "State hash" and
// "Thread"), named for lockstep reports.
type lsField struct {
	name      string
	off, size int
}

var lsStateFields = []lsField{
	{"memRoot", 0, 32}, {"preimageKey", 32, 32}, {"preimageOffset", 64, 8}, {"heap", 72, 8},
	{"llReservationStatus", 80, 1}, {"llAddress", 81, 8}, {"llOwnerThread", 89, 8},
	{"exitCode", 97, 1}, {"exited", 98, 1}, {"step", 99, 8},
	{"stepsSinceLastContextSwitch", 107, 8}, {"traverseRight", 115, 1},
	{"leftThreadsRoot", 116, 32}, {"rightThreadsRoot", 148, 32}, {"nextThreadID", 180, 8},
}

var lsThreadFields = func() []lsField {
	f := []lsField{{"thread.threadID", 0, 8}, {"thread.exitCode", 8, 1}, {"thread.exited", 9, 1},
		{"thread.pc", 10, 8}, {"thread.nextPC", 18, 8}, {"thread.lo", 26, 8}, {"thread.hi", 34, 8}}
	for i := 0; i < 32; i++ {
		f = append(f, lsField{fmt.Sprintf("thread.regs[%d]", i), 42 + 8*i, 8})
	}
	return f
}()

// diffPacked lists the fields on which two packed encodings differ; a missing or short
// encoding reads as "(none)".
func diffPacked(fields []lsField, a, b []byte) []LockstepField {
	var out []LockstepField
	for _, f := range fields {
		x, y := renderPacked(a, f), renderPacked(b, f)
		if x != y {
			out = append(out, LockstepField{Field: f.name, A: x, B: y})
		}
	}
	return out
}

func renderPacked(b []byte, f lsField) string {
	if f.off+f.size > len(b) {
		return "(none)"
	}
	v := b[f.off : f.off+f.size]
	switch f.size {
	case 1:
		return fmt.Sprintf("%d", v[0])
	case 8:
		return hex64(binary.BigEndian.Uint64(v))
	default:
		return fmt.Sprintf("0x%x", v)
	}
}
