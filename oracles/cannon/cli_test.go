package cannon

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/internal/cli"
	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// The CLI as fpvmdiff-cannon runs it: the fpvmdiff commands with the production VM
// registered as "cannon" (cmd/fpvmdiff-cannon does the same).
func TestMain(m *testing.M) {
	cli.RegisterVM("cannon", Open)
	os.Exit(m.Run())
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = cli.Main(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func guestPath(t *testing.T, name string) string {
	t.Helper()
	return guests.MustBuild(t, name)
}

// `run --vm cannon`: the production VM produces the witness of every step of hello and
// our step contract, in the EVM, checks each one. No divergence, every step checked.
func TestCLIRunVMCannonHelloEveryStep(t *testing.T) {
	js := filepath.Join(t.TempDir(), "run.json")
	code, out, errOut := runCLI("run", guestPath(t, "hello"), "--vm", "cannon", "--check", "all", "--quiet", "--json", js)
	require.Equal(t, 0, code, "%s\n%s", out, errOut)
	var res struct {
		StepsRun     uint64 `json:"steps_run"`
		StepsChecked uint64 `json:"steps_checked"`
		Exited       bool   `json:"exited"`
		ExitCode     uint8  `json:"exit_code"`
	}
	data, err := os.ReadFile(js)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &res))
	require.True(t, res.Exited)
	require.Equal(t, uint8(0), res.ExitCode)
	require.Greater(t, res.StepsRun, uint64(450_000))
	require.Equal(t, res.StepsRun, res.StepsChecked, "every step checked")
}

// --vm cannon with --contract: any contract build checks production's witnesses (here our
// own contract's exported artifact, given as a file), in sample mode too.
func TestCLIRunVMCannonContractFile(t *testing.T) {
	artifact := filepath.Join(repoRoot(t), "contracts", "artifacts", "MIPS64.json")
	for _, mode := range []string{"all", "sample"} {
		code, out, errOut := runCLI("run", guestPath(t, "exitcode"), "--vm", "cannon", "--contract", artifact,
			"--check", mode, "--max-steps", "3000", "--quiet")
		require.Equal(t, 0, code, "%s\n%s", out, errOut)
		require.Contains(t, out, "no divergence")
	}
}

func TestCLILockstep(t *testing.T) {
	hello := guestPath(t, "hello")
	dir := t.TempDir()

	js, junit := filepath.Join(dir, "ls.json"), filepath.Join(dir, "ls.xml")
	code, out, errOut := runCLI("lockstep", hello, "--quiet", "--json", js, "--junit", junit, "--checkpoint-every", "100k")
	require.Equal(t, 0, code, "%s\n%s", out, errOut)
	require.Contains(t, out, "ours vs cannon")
	require.Contains(t, out, "result: agree; guest exited with code 0")
	var sum check.LockstepSummary
	data, err := os.ReadFile(js)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &sum))
	require.True(t, sum.Agree)
	require.Equal(t, sum.End, sum.StepsCompared)
	require.Equal(t, 6, sum.Checkpoints, "loaded states, 4 checkpoints, the end")
	x, err := os.ReadFile(junit)
	require.NoError(t, err)
	require.Contains(t, string(x), `failures="0"`)

	code, out, _ = runCLI("lockstep", hello, "--quiet", "--range", "100k:200k")
	require.Equal(t, 0, code)
	require.Contains(t, out, "steps 100,000..200,000: 100,000 compared")

	preFile := filepath.Join(repoRoot(t), "testdata", "programs", "preimage", "preimages.json")
	code, out, errOut = runCLI("lockstep", guestPath(t, "preimage"), "--quiet", "--preimages", preFile)
	require.Equal(t, 0, code, "%s\n%s", out, errOut)
}

// Bad input to lockstep is a one-line error and exit code 2.
func TestCLILockstepBadInput(t *testing.T) {
	dir := t.TempDir()
	notELF := filepath.Join(dir, "not.elf")
	require.NoError(t, os.WriteFile(notELF, []byte("hello"), 0o644))
	partial := filepath.Join(dir, "partial.json")
	require.NoError(t, os.WriteFile(partial, []byte(`{}`), 0o644))
	hello, pre := guestPath(t, "hello"), guestPath(t, "preimage")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"not an ELF", []string{notELF}, "ours: load ELF: truncated ELF"},
		{"missing ELF", []string{filepath.Join(dir, "absent.elf")}, "reading ELF"},
		{"range past the end", []string{hello, "--range", "1G:2G"}, "past the end of the program"},
		{"pre-image file missing a key", []string{pre, "--preimages", partial}, "lacks a key the guest reads"},
		{"unknown VM", []string{hello, "--b", "nosuch"}, `unknown VM "nosuch"`},
		{"zero checkpoint period", []string{hello, "--checkpoint-every", "0"}, "--checkpoint-every 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(append([]string{"lockstep", "--quiet"}, tc.args...)...)
			require.Equal(t, 2, code, "%s\n%s", out, errOut)
			require.Contains(t, errOut, tc.want)
			require.Equal(t, 1, strings.Count(strings.TrimSpace(errOut), "\n")+1, "one line: %q", errOut)
		})
	}
	// The missing key is named.
	_, _, errOut := runCLI("lockstep", "--quiet", pre, "--preimages", partial)
	require.Contains(t, errOut, "0x0100000000000000000000000000000000000000000000000000000000000001")
}

// A divergence between lockstep's two VMs exits 1 and writes a bundle. The planted
// difference is on production's side, in a register, at step 4242.
func TestCLILockstepDivergenceBundle(t *testing.T) {
	const name = "cannon-planted"
	cli.RegisterVM(name, perturbOpen(Open, 4242, func(v check.VM) { v.(*VM).active().Registers[9]++ }))
	dir := t.TempDir()
	code, out, errOut := runCLI("lockstep", guestPath(t, "hello"), "--quiet", "--b", name, "--bundle-dir", dir)
	require.Equal(t, 1, code, "%s\n%s", out, errOut)
	require.Contains(t, out, "DIVERGENCE at step 4242")
	require.Contains(t, out, "regs[9]")
	data, err := os.ReadFile(filepath.Join(dir, "lockstep-step-4242.json"))
	require.NoError(t, err)
	var b check.LockstepBundle
	require.NoError(t, json.Unmarshal(data, &b))
	require.Equal(t, uint64(4242), b.Step)
	require.Equal(t, "regs[9]", b.Diff[0].Field)
	require.Equal(t, name, b.B.VM)
}

// repro --elf: the production VM's third opinion on a bundle in which one side lies.
func TestCLIReproThirdOpinion(t *testing.T) {
	hello := guestPath(t, "hello")
	elf, err := os.ReadFile(hello)
	require.NoError(t, err)
	dir := t.TempDir()
	// Our VM's post-state is made to lie at step 321 (the EVM is right).
	res, err := check.Run(check.RunConfig{ELF: elf, Program: "hello", MaxSteps: 1000, BundleDir: dir, Workers: 1,
		GoPostHook: func(step uint64, post []byte) {
			if step == 321 {
				post[72] ^= 0x40 // heap
			}
		}})
	require.NoError(t, err)
	require.NotNil(t, res.Divergence)
	js := filepath.Join(dir, "repro.json")
	code, out, errOut := runCLI("repro", res.BundlePath, "--elf", hello, "--json", js)
	require.Equal(t, 0, code, "the replay itself agrees (the lie was in the recorded Go post-state): %s\n%s", out, errOut)
	require.Contains(t, out, "third opinion (cannon) on step 321: "+check.VerdictEVM)
	var got struct {
		ThirdOpinion check.Opinion `json:"third_opinion"`
	}
	data, err := os.ReadFile(js)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &got))
	require.Equal(t, "heap", got.ThirdOpinion.Fields[0].Field)
	require.Equal(t, "evm", got.ThirdOpinion.Fields[0].Agrees)

	// The wrong program is a clear error.
	code, _, errOut = runCLI("repro", res.BundlePath, "--elf", guestPath(t, "exitcode"))
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "not the bundle's program")
}
