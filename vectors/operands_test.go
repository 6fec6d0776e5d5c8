package vectors

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const sravVector = `{"name":"srav-40","rule":"1.3 SRAV","randomize":["registers","operands"],
 "pre":{"thread":{"regs":{"8":"40","9":"0xDEADBEEF87654321"}},"insn":["0x01095007"]},
 "expect":{"thread":{"regs":{"10":"0xFFFFFFFFFF876543"}}}}`

// Operand variants draw new operands, always inside the classes of the vector as written,
// and are checked Go against EVM (the hand expectation no longer applies).
func TestOperandVariantsStayInClass(t *testing.T) {
	v := decodeOne(t, sravVector)
	c, err := Resolve(v)
	require.NoError(t, err)
	want := OperandClasses(c.State)
	require.Equal(t, []string{"amt=32-62,sign=neg,upper=dirty"}, want)
	seen := map[[2]uint64]bool{}
	for n := 1; n <= 40; n++ {
		pre, lay := c.variant(n, 7)
		require.True(t, lay.operands, "variant %d drew no operands", n)
		require.Equal(t, want, OperandClasses(pre), "variant %d left the class", n)
		t0 := pre.ActiveThread()
		seen[[2]uint64{t0.Registers[8], t0.Registers[9]}] = true
	}
	require.Greater(t, len(seen), 30, "variants should differ in their operands")

	results, err := newRunner(t, 40).Run(v)
	require.NoError(t, err)
	for _, res := range results {
		require.True(t, res.Pass(), "variant %d: %v", res.Variant, res.Failures)
		require.Equal(t, res.Variant > 0, res.Differential)
	}
}

// A memory operand moves with its word but keeps its offset and leaf position.
func TestOperandVariantsMoveMemory(t *testing.T) {
	v := decodeOne(t, `{"name":"lb","rule":"1.7","randomize":["operands"],
 "pre":{"thread":{"regs":{"8":"0x10000"}},"insn":["0x8109000d"],"memory":{"0x10008":"0x0000000000800000"}},
 "expect":{"thread":{"regs":{"9":"0xFFFFFFFFFFFFFF80"}}}}`)
	c, err := Resolve(v)
	require.NoError(t, err)
	want := OperandClasses(c.State)
	require.Equal(t, []string{"off=5", "leaf=1", "field=neg"}, want)
	for n := 1; n <= 20; n++ {
		pre, lay := c.variant(n, 3)
		require.True(t, lay.operands)
		require.Equal(t, want, OperandClasses(pre))
		ea := pre.ActiveThread().Registers[8] + 13
		require.Equal(t, uint64(operandRegion), ea&^(1<<29-1), "moved to the operand region")
	}
}
