package fuzz

import (
	"errors"
	"math/rand"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm"
)

// The generators must reach both sides of the comparison: steps that succeed and each
// kind of fault the target is about. A generator that only ever builds faulting states
// would let every target pass while checking nothing but reverts.
func TestGeneratorsReachSuccessesAndFaults(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	input := func() []byte {
		b := make([]byte, 100+r.Intn(200))
		r.Read(b)
		return b
	}
	cases := []struct {
		name string
		run  func(t *testing.T)
		want []string
	}{
		{"instruction", func(t *testing.T) { checkInstruction(t, r.Uint32(), input()) },
			[]string{"ok", string(vm.FaultInvalidInstruction), string(vm.FaultBranchInDelaySlot)}},
		{"syscall", func(t *testing.T) { checkSyscall(t, uint8(r.Intn(256)), r.Uint64(), input()) },
			[]string{"ok", string(vm.FaultUnsupportedSyscall)}},
		{"threads", func(t *testing.T) { checkThreads(t, input()) }, []string{"ok"}},
		{"preimage", func(t *testing.T) { checkPreimage(t, input()) },
			[]string{"ok", "ok+preimage", string(vm.FaultPreimageOutOfRange)}},
	}
	defer func() { onStep = nil }()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seen := map[string]int{}
			onStep = func(in *check.StepInput) {
				k := "ok"
				var f *vm.Fault
				if errors.As(in.GoErr, &f) {
					k = string(f.Kind)
				}
				if in.HasPreimage {
					k += "+preimage"
				}
				seen[k]++
			}
			for range 300 {
				c.run(t)
			}
			for _, w := range c.want {
				require.Positive(t, seen[w], "outcome %q never reached; reached %v", w, seen)
			}
		})
	}
}
