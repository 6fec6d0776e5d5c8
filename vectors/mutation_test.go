package vectors

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// mutants are copies of v whose expectation is wrong in one way each: the outcome kind
// flipped, and every listed value off by one bit.
func mutants(t *testing.T, v *Vector) map[string]*Vector {
	t.Helper()
	clone := func() *Vector {
		data, err := json.Marshal(v)
		require.NoError(t, err)
		var c Vector
		require.NoError(t, json.Unmarshal(data, &c))
		c.File = v.File
		zero := []string{}
		c.Randomize = &zero
		return &c
	}
	out := map[string]*Vector{}
	flip := clone()
	if v.Expect.Exception {
		flip.Expect = Expect{}
	} else {
		flip.Expect = Expect{Exception: true}
	}
	out["outcome flipped"] = flip
	if v.Expect.Exception {
		if v.Expect.Fault != "" {
			k := clone()
			k.Expect.Fault = "division by zero"
			if v.Expect.Fault == k.Expect.Fault {
				k.Expect.Fault = "invalid instruction"
			}
			out["fault kind"] = k
		}
		return out
	}
	bump := func(p *Hex64) { *p ^= 1 }
	if v.Expect.Thread != nil {
		for r := range v.Expect.Thread.Regs {
			c := clone()
			c.Expect.Thread.Regs[r] ^= 1
			out["reg "+r] = c
		}
	}
	for a := range v.Expect.Memory {
		c := clone()
		c.Expect.Memory[a] ^= 1
		out["mem "+a] = c
	}
	for name, get := range map[string]func(e *Expect) *Hex64{
		"heap": func(e *Expect) *Hex64 { return e.Heap }, "preimageOffset": func(e *Expect) *Hex64 { return e.PreimageOffset },
		"nextThreadID": func(e *Expect) *Hex64 { return e.NextThreadID }, "llAddress": func(e *Expect) *Hex64 { return e.LLAddress },
		"stepsSince": func(e *Expect) *Hex64 { return e.StepsSinceLastContextSwitch }, "exitCode": func(e *Expect) *Hex64 { return e.ExitCode },
	} {
		if get(&v.Expect) != nil {
			c := clone()
			bump(get(&c.Expect))
			out[name] = c
		}
	}
	// Something the vector leaves unchanged must be checked too: claim $at changed.
	c := clone()
	if c.Expect.Thread == nil {
		c.Expect.Thread = &ThreadChange{}
	}
	if _, listed := c.Expect.Thread.Regs["1"]; !listed && activeSurvives(t, v) {
		if c.Expect.Thread.Regs == nil {
			c.Expect.Thread.Regs = map[string]Hex64{}
		}
		c.Expect.Thread.Regs["1"] = 0x5A5A
		out["unlisted $at"] = c
	}
	return out
}

// TestCorpusMutants shows every vector can fail, on both sides: each mutant of its
// expectation must be reported by the Go check and by the EVM check.
func TestCorpusMutants(t *testing.T) {
	vs, err := Load("../testdata/vectors")
	require.NoError(t, err)
	r := newRunner(t, 0)
	for _, v := range vs {
		for what, m := range mutants(t, v) {
			results, err := r.Run(m)
			require.NoError(t, err, "%s / %s", v.Name, what)
			res := results[0]
			all := strings.Join(res.Failures, "\n")
			msg := fmt.Sprintf("vector %s, mutant %q: failures:\n%s", v.Name, what, all)
			require.False(t, res.Pass(), msg)
			require.Contains(t, all, "go: ", msg)
			require.Contains(t, all, "evm: ", msg)
		}
	}
}

// activeSurvives: the pre-state's active thread is still on a stack after the step.
func activeSurvives(t *testing.T, v *Vector) bool {
	c, err := Resolve(v)
	require.NoError(t, err)
	if v.Expect.Left == nil && v.Expect.Right == nil {
		return true
	}
	for _, ids := range []*[]Hex64{v.Expect.Left, v.Expect.Right} {
		if ids == nil {
			continue
		}
		for _, id := range *ids {
			if uint64(id) == c.ActiveID {
				return true
			}
		}
	}
	return false
}
