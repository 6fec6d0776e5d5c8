package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// addu $10, $8, $9 with r8 = 1, r9 = 2: r10 = 3 (hand-derived, docs/spec.md §5.3 "SPECIAL").
const wordADDU = "0x01095021"

func threadBytes(r10 uint64) []byte {
	t := &vm.Thread{PC: 0x4000, NextPC: 0x4004}
	t.Registers[8], t.Registers[9], t.Registers[10] = 1, 2, r10
	b := vm.EncodeThread(t)
	return b[:]
}

// aBundle is a divergence on addu where the Go VM wrote goR10 and the EVM evmR10.
func aBundle(word string, goR10, evmR10 uint64) *check.Bundle {
	return &check.Bundle{
		Instruction: &check.BundleInsn{PC: 0x4000, Word: word},
		Witness:     check.BundleWitness{Proof: threadBytes(0xdead)},
		Go:          check.BundleGo{Thread: threadBytes(goR10)},
		EVM:         &evmharness.EVMOutcome{Thread: threadBytes(evmR10)},
	}
}

// The independent opinion sides with whichever side computed what MIPS64 computes: a bug
// planted in either side's result is named as that side's.
func TestQemuOpinionNamesTheSide(t *testing.T) {
	cases := []struct {
		name          string
		b             *check.Bundle
		sidesWith     string
		summarySubstr string
	}{
		{"EVM wrong", aBundle(wordADDU, 3, 4), "go", "EVM has r10 0x4 where QEMU has 0x3"},
		{"Go wrong", aBundle(wordADDU, 4, 3), "evm", "Go has r10 0x4 where QEMU has 0x3"},
		{"both wrong", aBundle(wordADDU, 4, 5), "neither", "agrees with neither"},
		{"EVM reverted", func() *check.Bundle {
			b := aBundle(wordADDU, 3, 3)
			b.EVM.Reverted = true
			return b
		}(), "go", "EVM has an exception where QEMU has none"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := qemuOpinion(c.b)
			require.Equal(t, "qemu-mips64", o.Source)
			require.Equal(t, c.sidesWith, o.SidesWith, o.Summary)
			require.Contains(t, o.Summary, c.summarySubstr)
			var sb strings.Builder
			check.FormatBundle(&sb, c.b)
		})
	}
}

// Where Cannon deliberately differs from MIPS64, or QEMU is not asked, there is no opinion.
func TestQemuOpinionAbstains(t *testing.T) {
	cases := []struct{ name, word, why string }{
		{"reserved field set (sa of addu)", "0x01095061", "deviation"},
		{"a load", "0x8d0a0000", "mem instruction"},
		{"not an instruction the oracle knows", "0x44000000", "not an instruction the QEMU oracle compares"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := qemuOpinion(aBundle(c.word, 3, 4))
			require.Empty(t, o.SidesWith)
			require.Contains(t, o.Summary, c.why)
		})
	}
}

// End to end: a step contract that reverts on every step diverges at the first
// instruction, daddiu; the report says QEMU sides with the Go VM.
func TestRunReportsTheIndependentOpinion(t *testing.T) {
	dir := t.TempDir()
	contract := writeFile(t, "liar.hex", alwaysInvalid+"\n")
	code, stdout, stderr := cli(t, "run", exitGuest(t), "--contract", contract, "--bundle-dir", dir, "--quiet")
	require.Equal(t, exitDivergence, code, stderr)
	require.Contains(t, stdout, "independent opinion (qemu-mips64): daddiu: sides with the Go VM, against the EVM step contract (EVM has an exception where QEMU has none)")
	require.Contains(t, stdout, "inputs: zero(r0)=0x0  v0(r2)=0x0\n")
	require.Contains(t, stdout, `rule: docs/spec.md §5.2 "Primary opcodes"`)
	b, err := check.ReadBundle(dir + "/divergence-step-0.json")
	require.NoError(t, err)
	require.NotNil(t, b.Opinion)
	require.Equal(t, "go", b.Opinion.SidesWith)
}
