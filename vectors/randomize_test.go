package vectors

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const yieldVector = `{"name":"yield","rule":"6.2 sched_yield","randomize":["registers","hilo","reservation","direction","threads"],
 "pre":{"left":[{"id":"1","pc":"0x5000"},{"id":"0","regs":{"v0":"5023"}}],"insn":["0xc"]},
 "expect":{"thread":{"regs":{"v0":"0","a3":"0"}},"left":["1"],"right":["0"],"traverseRight":false,"stepsSinceLastContextSwitch":"0"}}`

func decodeOne(t *testing.T, body string) *Vector {
	t.Helper()
	v, err := decodeVector([]byte(body))
	require.NoError(t, err)
	require.NoError(t, v.Validate())
	return v
}

// Variants really move things around, and the expectation follows.
func TestVariantsRandomizeAndStillPass(t *testing.T) {
	v := decodeOne(t, yieldVector)
	c, err := Resolve(v)
	require.NoError(t, err)
	var mirrored, extra, reserved, regs bool
	for n := 1; n <= 16; n++ {
		pre, lay := c.variant(n, 42)
		mirrored = mirrored || lay.mirrored
		extra = extra || len(lay.extraLeft) > 0 && len(lay.extraRight) > 0
		reserved = reserved || pre.LLReservationStatus != 0
		act := pre.ActiveThread()
		require.Equal(t, uint64(0), act.ThreadID)
		require.Equal(t, uint64(5023), act.Registers[2], "listed registers are never randomized")
		require.Zero(t, act.Registers[0], "R0 is never randomized")
		regs = regs || act.Registers[8] != 0
	}
	require.True(t, mirrored && extra && reserved && regs, "mirrored %v extra %v reservation %v registers %v", mirrored, extra, reserved, regs)

	r := newRunner(t, 16)
	results, err := r.Run(v)
	require.NoError(t, err)
	require.Len(t, results, 17)
	for _, res := range results {
		require.True(t, res.Pass(), "variant %d: %v", res.Variant, res.Failures)
	}
}

// The same seed gives the same variant; another seed another.
func TestVariantsDeterministic(t *testing.T) {
	c, err := Resolve(decodeOne(t, yieldVector))
	require.NoError(t, err)
	a, _ := c.variant(3, 1)
	b, _ := c.variant(3, 1)
	d, _ := c.variant(3, 2)
	require.Equal(t, a.EncodeWitness(), b.EncodeWitness())
	require.NotEqual(t, a.EncodeWitness(), d.EncodeWitness())
}

func TestHex64AndRegisterNames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{`"0xFFFF_FFFF_FFFF_FFFF"`, ^uint64(0), true}, {`"5009"`, 5009, true}, {`12`, 12, true},
		{`"0x1_0000_0000_0000_0000"`, 0, false}, {`"-1"`, 0, false}, {`"0xZZ"`, 0, false}, {`true`, 0, false},
	} {
		var h Hex64
		err := h.UnmarshalJSON([]byte(tc.in))
		if !tc.ok {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, uint64(h), tc.in)
	}
	for in, want := range map[string]int{"5": 5, "r31": 31, "$29": 29, "a1": 5, "$v0": 2, "sp": 29, "ra": 31, "s8": 30, "zero": 0} {
		got, err := parseReg(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"32", "r-1", "x0", ""} {
		_, err := parseReg(bad)
		require.Error(t, err, bad)
	}
}
