package cli

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// The plain fpvmdiff binary has only our VM: lockstep against itself works (a determinism
// check), and the default second VM points to fpvmdiff-cannon.
func TestLockstepCommand(t *testing.T) {
	hello := guests.MustBuild(t, "hello")
	code, stdout, stderr := cli(t, "lockstep", hello, "--b", "ours", "--quiet")
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "result: agree; guest exited with code 0")

	code, _, stderr = cli(t, "lockstep", hello, "--quiet")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, `--b: unknown VM "cannon"`)
	require.Contains(t, stderr, "make cannon")

	code, _, stderr = cli(t, "lockstep", hello, "--b", "ours", "--range", "5:5")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "empty")
}
