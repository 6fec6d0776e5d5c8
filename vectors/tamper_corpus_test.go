package vectors

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// vectorInputs builds the honest step input of every vector of the corpus as written, the
// way `fpvmdiff vectors` does: one Go step with proofs on the vector's pre-state.
func vectorInputs(t testing.TB) (names []string, ins []*check.StepInput) {
	t.Helper()
	vs, err := Load(filepath.Join("..", "testdata", "vectors"))
	require.NoError(t, err)
	for _, v := range vs {
		c, err := Resolve(v)
		require.NoError(t, err, v.Name)
		machine := vm.New(c.State, c.Oracle, nil, nil)
		wit, goErr := machine.Step(true)
		if goErr != nil {
			wit = machine.FailedStepWitness()
		}
		if wit == nil {
			continue
		}
		in := check.InputFromWitness(check.OurWitness(wit))
		in.GoErr, in.Store = goErr, c.Store
		if goErr == nil {
			post := c.State.EncodeWitness()
			in.GoPost = post[:]
		}
		names = append(names, v.Name)
		ins = append(ins, in)
	}
	return names, ins
}

// tamperAll checks each input honestly, then runs its forged witnesses, and sums them.
func tamperAll(t *testing.T, s *evmharness.Session, names []string, ins []*check.StepInput, opt check.TamperOptions) *check.TamperStats {
	t.Helper()
	stats := &check.TamperStats{Words: opt.Words}
	for i, in := range ins {
		rep := check.CheckStep(s, in)
		require.True(t, rep.Agree(), "%s: the honest step disagrees: %v", names[i], rep.Mismatches)
		stats.Add(check.Tamper(s, in, rep.EVM, opt))
	}
	return stats
}

// requireNoFindings fails with the findings the run kept.
func requireNoFindings(t *testing.T, st *check.TamperStats) {
	t.Helper()
	if st.Findings == 0 {
		return
	}
	var b strings.Builder
	check.FormatTamper(&b, st)
	t.Fatalf("tamper findings on the honest contract:\n%s", b.String())
}

// memoryKinds are the step kinds that read memory besides the instruction fetch; tamper
// mode must have seen each (issue 14).
var memoryKinds = []string{"load", "store", "ll", "lld", "sc", "scd", "futex-wait", "preimage-key-write", "preimage-read", "clock_gettime", "getrandom"}

// TestTamperVectors forges every used word of every vector's witness (and a sample of the
// unused ones, and every state field): the honest contract rejects each forged used word
// with the right error, ignores the unused ones, and agrees with the stateless replay on
// every forged state.
func TestTamperVectors(t *testing.T) {
	if testing.Short() {
		t.Skip("forges some 100k witnesses")
	}
	names, ins := vectorInputs(t)
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	st := tamperAll(t, s, names, ins, check.TamperOptions{Seed: 1})
	var b strings.Builder
	check.FormatTamper(&b, st)
	t.Logf("vectors:\n%s", b.String())
	requireNoFindings(t, st)
	// The stateless replay is the expectation of every state forgery: it must agree with
	// the contract on every forged proof too, and on every honest witness (so no step goes
	// without state forgeries).
	require.Zero(t, st.GoReplay, "the Go VM's stateless replay differs from the contract:\n%s", b.String())
	require.Zero(t, st.StateSkipped, "steps without state forgeries:\n%s", b.String())
	for _, k := range memoryKinds {
		require.NotZero(t, st.Kinds[k], "no vector step of kind %s was tampered", k)
	}
	require.NotZero(t, st.Rejected)
	require.NotZero(t, st.AcceptedUnused)
	require.NotZero(t, st.StateAgreed)
}

// BenchmarkTamper measures tamper mode per checked step on the vector corpus's steps, with
// run's default of 8 words per region: forged witnesses per second, and the cost of one
// step's forgeries (ns/op).
func BenchmarkTamper(b *testing.B) {
	names, ins := vectorInputs(b)
	s, err := evmharness.NewBuiltinSession()
	require.NoError(b, err)
	honest := make([]*evmharness.EVMOutcome, len(ins))
	for i, in := range ins {
		rep := check.CheckStep(s, in)
		require.True(b, rep.Agree(), names[i])
		honest[i] = rep.EVM
	}
	tried := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := i % len(ins)
		tried += check.Tamper(s, ins[k], honest[k], check.TamperOptions{Words: 8, Seed: 1}).Tried
	}
	b.ReportMetric(float64(tried)/b.Elapsed().Seconds(), "forgeries/s")
	b.ReportMetric(float64(tried)/float64(b.N), "forgeries/step")
}
