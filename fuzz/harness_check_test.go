package fuzz

import (
	"errors"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/stretchr/testify/require"
)

// The comparison the targets rely on must be able to fail: a changed Go post-state byte, or
// a Go error on a step the contract accepts, is a disagreement.
func TestStepperDetectsDisagreement(t *testing.T) {
	s := newSource(nil)
	st, act := genState(s)
	act.Exited, st.Exited, st.StepsSinceLastContextSwitch = false, false, 0
	putInsn(st.Memory, act.PC, 0x24080005) // addiu t0, zero, 5
	p := newStepper(t, st, nil)
	in := p.goStep()
	require.NoError(t, in.GoErr)
	require.True(t, check.CheckStep(p.sess, in).Agree(), "the honest step agrees")

	flipped := *in
	flipped.GoPost = append([]byte(nil), in.GoPost...)
	flipped.GoPost[79] ^= 1 // heap
	require.False(t, check.CheckStep(p.sess, &flipped).Agree(), "a changed post-state byte")

	failed := *in
	failed.GoPost, failed.GoErr = nil, errors.New("pretend fault")
	require.False(t, check.CheckStep(p.sess, &failed).Agree(), "a Go fault against an EVM success")
}
