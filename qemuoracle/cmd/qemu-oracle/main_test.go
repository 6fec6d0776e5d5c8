package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunSmallSample(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"-n", "600", "-seed", "3", "-class", "mem,branch"}, &out, &errOut)
	require.Equal(t, 0, code, "stderr: %s", errOut.String())
	require.Contains(t, out.String(), "600 cases compared, seed 3")
	require.Regexp(t, `mem\s+300\s+0\s+0`, out.String())
	require.Regexp(t, `branch\s+300\s+0\s+0`, out.String())
	require.Contains(t, out.String(), "aligned-ea")
}

func TestRunUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"extra"}, {"-bogus"}} {
		var out, errOut bytes.Buffer
		require.Equal(t, 2, run(args, &out, &errOut), "%v", args)
		require.NotEmpty(t, errOut.String())
	}
	var out, errOut bytes.Buffer
	require.Equal(t, 2, run([]string{"-n", "5", "-class", "fpu"}, &out, &errOut))
	require.Contains(t, errOut.String(), `unknown instruction class "fpu"`)
}
