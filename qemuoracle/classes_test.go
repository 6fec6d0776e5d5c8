package qemuoracle

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestClassesAgainstQemu: operands drawn inside every operand class of every row QEMU can
// run (coverage/classes), the Go VM against QEMU. This is the independent oracle of
// `vectors --variants` operand variants, which compare the Go VM only with the contract.
func TestClassesAgainstQemu(t *testing.T) {
	tc, err := FindToolchain()
	require.NoError(t, err)
	dir := t.TempDir()
	elf, err := tc.BuildDriver("", dir)
	require.NoError(t, err)
	q, err := tc.StartQemu(elf)
	require.NoError(t, err)
	defer q.Close()
	rep, err := RunClasses(q, 14, 4)
	require.NoError(t, err)
	var msgs []string
	for _, m := range rep.Mismatches {
		msgs = append(msgs, m.String())
	}
	require.Empty(t, rep.Mismatches, "the Go VM disagrees with QEMU inside operand classes:\n%s", strings.Join(msgs, "\n"))
	t.Logf("%d cases in %d classes; unreachable under QEMU's deviations: %d (%s)", rep.Compared, rep.Classes,
		len(rep.Unreachable), strings.Join(rep.Unreachable, ", "))
	require.Greater(t, rep.Classes, 450) // 495 when written; the others are out of QEMU's reach (deviations, delay slots)
	if os.Getenv("FPVMDIFF_SHOW_UNREACHABLE") != "" {
		for _, u := range rep.Unreachable {
			t.Log("unreachable:", u)
		}
	}
}
