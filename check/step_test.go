package check

import (
	"testing"

	"github.com/fpvmdiff/fpvmdiff/evmharness"

	"github.com/stretchr/testify/require"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// oneStep runs one Go step of "addiu $t0, $zero, 5" (0x24080005) and returns the step input
// with the Go outcome, as the diff loop builds it.
func oneStep(t testing.TB, insn uint32) *StepInput {
	t.Helper()
	m := memory.New()
	m.SetWord(0x1_0000, uint64(insn)<<32)
	th := &fpvm.Thread{PC: 0x1_0000, NextPC: 0x1_0004}
	s := &fpvm.State{Memory: m, NextThreadID: 1, LeftThreadStack: []*fpvm.Thread{th}}
	v := fpvm.New(s, nil, nil, nil)
	w, err := v.Step(true)
	if err != nil {
		w = v.FailedStepWitness()
	}
	in := InputFromWitness(OurWitness(w))
	in.GoErr = err
	if err == nil {
		post := s.EncodeWitness()
		in.GoPost = post[:]
	}
	enc := fpvm.EncodeThread(th)
	in.GoThread = enc[:]
	return in
}

func liarSession(t *testing.T, l liar) *evmharness.Session {
	t.Helper()
	art, err := evmharness.LoadContractFile(writeHexContract(t, initcode(l.runtime())))
	require.NoError(t, err)
	s, err := evmharness.NewSession(art, dummyOracle())
	require.NoError(t, err)
	return s
}

func TestCheckStep_HandWrittenContracts(t *testing.T) {
	in := oneStep(t, 0x24080005)
	hash := fpvm.StateHash(in.GoPost)
	flipped := append([]byte(nil), in.GoPost...)
	flipped[79] ^= 0x01 // last byte of heap
	flippedHash := fpvm.StateHash(flipped)

	cases := []struct {
		name      string
		contract  liar
		wantAgree bool
		wantMsg   string
		wantField string // a field of the decoded state diff
	}{
		{name: "honest", contract: liar{logs: [][]byte{in.GoPost}, ret: hash[:]}, wantAgree: true},
		{name: "log with one flipped byte, consistent hash", contract: liar{logs: [][]byte{flipped}, ret: flippedHash[:]},
			wantMsg: "post-state differs", wantField: "heap"},
		{name: "right log, wrong return value", contract: liar{logs: [][]byte{in.GoPost}, ret: flippedHash[:]},
			wantMsg: "return value"},
		{name: "return of 31 bytes", contract: liar{logs: [][]byte{in.GoPost}, ret: hash[:31]},
			wantMsg: "returned 31 bytes"},
		{name: "no log", contract: liar{ret: hash[:]}, wantMsg: "emitted 0 logs"},
		{name: "two logs", contract: liar{logs: [][]byte{in.GoPost, in.GoPost}, ret: hash[:]}, wantMsg: "emitted 2 logs"},
		{name: "log with a topic", contract: liar{logs: [][]byte{in.GoPost}, ret: hash[:], topic: true}, wantMsg: "topics"},
		{name: "revert", contract: liar{revertOnly: true, revert: evmharness.ErrorRevertData("nope")}, wantMsg: `Error("nope")`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := liarSession(t, c.contract)
			rep := CheckStep(s, in)
			if c.wantAgree {
				require.True(t, rep.Agree(), "%v", rep.Mismatches)
				return
			}
			require.False(t, rep.Agree())
			require.Contains(t, rep.Mismatches[0], c.wantMsg)
			b := NewBundle(in, rep, s, "addiu")
			if c.wantField != "" {
				require.Len(t, b.StateDiff, 1)
				require.Equal(t, c.wantField, b.StateDiff[0].Field)
			}
		})
	}
}

func TestCheckStep_GoFaultNeedsRevert(t *testing.T) {
	in := oneStep(t, 0x0000000D) // BREAK: invalid in MT-Cannon
	require.Error(t, in.GoErr)

	s := liarSession(t, liar{revertOnly: true, revert: evmharness.ErrorRevertData("MIPS64: invalid instruction")})
	rep := CheckStep(s, in)
	require.True(t, rep.Agree(), "%v", rep.Mismatches)
	require.True(t, rep.EVM.Reverted)

	post := make([]byte, StateSize)
	h := fpvm.StateHash(post)
	s = liarSession(t, liar{logs: [][]byte{post}, ret: h[:]})
	rep = CheckStep(s, in)
	require.False(t, rep.Agree())
	require.Contains(t, rep.Mismatches[0], "Go step failed")
}

func TestCheckStep_GoPostWithFlippedByte(t *testing.T) {
	in := oneStep(t, 0x24080005)
	hash := fpvm.StateHash(in.GoPost)
	s := liarSession(t, liar{logs: [][]byte{append([]byte(nil), in.GoPost...)}, ret: hash[:]})
	in.GoPost[120] ^= 0x80 // inside leftThreadStack
	rep := CheckStep(s, in)
	require.False(t, rep.Agree())
	b := NewBundle(in, rep, s, "")
	require.Len(t, b.StateDiff, 1)
	require.Equal(t, "leftThreadStack", b.StateDiff[0].Field)
}
