package vectors

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

func newRunner(t *testing.T, variants int) *Runner {
	t.Helper()
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	return &Runner{Session: s, Variants: variants, Seed: 1}
}

// TestCorpus runs every vector of testdata/vectors, with randomized variants, through both
// implementations.
func TestCorpus(t *testing.T) {
	vs, err := Load("../testdata/vectors")
	require.NoError(t, err)
	require.NotEmpty(t, vs)
	r := newRunner(t, 3)
	for _, v := range vs {
		results, err := r.Run(v)
		require.NoError(t, err)
		for _, res := range results {
			if !res.Pass() {
				t.Errorf("%s (%s) variant %d:\n  %s", res.Name, res.File, res.Variant, joinLines(res.Failures))
			}
		}
	}
}

// TestFailureDecodesEVMThread: when the contract's post-state differs from the expectation,
// the failure names the fields of the thread the contract hashed (not only the stack root
// that hides them), as `fpvmdiff run` does for a divergence; likewise for a step that
// should have failed, against the pre-state thread.
func TestFailureDecodesEVMThread(t *testing.T) {
	r := newRunner(t, 0)
	cases := []struct {
		name, expect string
		want         []string
	}{
		{
			// srav by 35 & 31 = 3: 0x80000000 -> 0xFFFF_FFFF_F000_0000 (docs/spec.md §5.3); the
			// vector claims 0xF000_0000 (no sign extension from bit 31).
			name:   "wrong register value",
			expect: `{"thread": {"regs": {"v0": "0xF0000000"}}}`,
			want: []string{
				"evm: leftThreadStack",
				"evm: thread 0 r2 ($v0)            want=0x00000000f0000000 evm=0xfffffffff0000000",
			},
		},
		{
			name:   "success where an exception was expected",
			expect: `"exception"`,
			want: []string{
				"evm: the step succeeded, want an exception (revert)",
				"evm: thread 0 pc                  pre=0x0000000000004000 evm=0x0000000000004004",
				"evm: thread 0 r2 ($v0)            pre=0x0000000000000000 evm=0xfffffffff0000000",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := resolveJSON(t, `{"name": "srav-decoded", "rule": "§5.3", "randomize": [],
				"pre": {"thread": {"regs": {"a0": "0x80000000", "a1": "35"}}, "asm": "srav v0, a0, a1"},
				"expect": `+tc.expect+`}`)
			require.NoError(t, err)
			res, err := r.Run(c.V)
			require.NoError(t, err)
			require.Len(t, res, 1)
			require.False(t, res[0].Pass())
			for _, w := range tc.want {
				require.Contains(t, joinLines(res[0].Failures), w)
			}
		})
	}
}
