package vm

import (
	"errors"
	"testing"
)

// FuzzLoad checks that no input makes the loader panic and that every failure is a
// *LoadError.
func FuzzLoad(f *testing.F) {
	good := tinyELF()
	f.Add(good)
	for _, n := range []int{0, 4, 16, 63, 64, 100, 64 + 5*56, len(good) - 1} {
		f.Add(good[:n])
	}
	f.Add(testELF(testEntry, []testSegment{{typ: 1, vaddr: 0x10000, memsz: 0x100, off: 1 << 40, overrideSize: true}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := Load(data)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error is %T, not *LoadError: %v", err, err)
			}
			return
		}
		if st == nil || len(st.LeftThreadStack) != 1 {
			t.Fatal("success without a state")
		}
	})
}
