package opprogram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// The capture's facts (testdata/op-program/README.md): five local boot values (type 1) and
// 63 keccak256 pre-images (type 2), all served by the host to the program it was captured
// from. Local key 1 holds the L1 head block hash; its header is the keccak pre-image under
// the same hash with the first byte set to 2.
const (
	localKeys  = 5
	keccakKeys = 63
	l1Head     = "0x52a2f6b4e022b51f00c262926f43383a216a957c3c3b9463b15866663da8bf44"
	claimKey   = "0x0100000000000000000000000000000000000000000000000000000000000003"
)

// Fully checked windows, each 250,000 steps (measured on the pinned client, see
// testdata/op-program/README.md): the first holds all of the boot-info reads of the five local
// keys (type 1, steps 212,359,802 – 212,395,285); the second the first keccak reads, of the
// L1 head header and the agreed output root (type 2, from step 222,748,940). No window under
// 10.4M steps holds both kinds, which is more than CI can check in full.
var windows = []struct {
	name     string
	rng      string
	keyTypes []string
}{
	{"boot info", "212300000:212550000", []string{"type1"}},
	{"first keccak reads", "222700000:222950000", []string{"type2"}},
}

// maxSteps bounds every whole run (the program takes about 440M steps), so a VM that keeps
// it from finishing fails the test (vm run exits 5) instead of hanging it.
const maxSteps = "1G"

type env struct {
	root, bin, elf, dir string
}

func setup(t *testing.T) env {
	t.Helper()
	elf, bin := os.Getenv("OP_PROGRAM_ELF"), os.Getenv("FPVMDIFF_BIN")
	if elf == "" || bin == "" {
		t.Skip("run by `make op-program-test` (part of `make test`), which builds the client and sets OP_PROGRAM_ELF and FPVMDIFF_BIN")
	}
	root, err := guests.RepoRoot()
	require.NoError(t, err)
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(root, p)
	}
	e := env{root: root, bin: abs(bin), elf: abs(elf), dir: filepath.Join(root, "testdata", "op-program")}
	for _, p := range []string{e.bin, e.elf} {
		_, err := os.Stat(p)
		require.NoError(t, err, "missing %s (run `make op-program-test`)", p)
	}
	return e
}

// fpvmdiff runs the CLI and returns its exit code, stdout and stderr.
func (e env) fpvmdiff(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(e.bin, args...)
	cmd.Dir = e.root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	t.Logf("fpvmdiff %s: exit %d\n%s", strings.Join(args, " "), code, tail(stderr.String(), 12))
	return code, stdout.String(), stderr.String()
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

// preimagesWithout writes a copy of pre.json lacking key.
func (e env) preimagesWithout(t *testing.T, key string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(e.dir, "pre.json"))
	require.NoError(t, err)
	var m map[string]string
	require.NoError(t, json.Unmarshal(raw, &m))
	require.Contains(t, m, key)
	delete(m, key)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "pre-missing.json")
	require.NoError(t, os.WriteFile(path, out, 0o644))
	return path
}

// The whole program on the Go VM: the true claim is verified (exit 0), the wrong one (local
// key 3 changed in its last byte) is rejected (exit 1); the program's own log says which.
func TestVMRun(t *testing.T) {
	e := setup(t)
	cases := []struct {
		preimages string
		exit      int
		lastLog   string
	}{
		{"pre.json", 0, `msg="Claim successfully verified"`},
		{"pre-wrong-claim.json", 1, `msg="Claim is invalid"`},
	}
	for _, c := range cases {
		t.Run(c.preimages, func(t *testing.T) {
			js := filepath.Join(t.TempDir(), "run.json")
			code, stdout, _ := e.fpvmdiff(t, "vm", "run", e.elf, "--preimages", filepath.Join(e.dir, c.preimages), "--json", js,
				"--max-steps", maxSteps)
			require.Equal(t, c.exit, code)
			require.Contains(t, tail(stdout, 1), c.lastLog, "the guest's last log line")
			var sum struct {
				Outcome  string `json:"outcome"`
				ExitCode int    `json:"exit_code"`
			}
			readJSON(t, js, &sum)
			require.Equal(t, "exited", sum.Outcome)
			require.Equal(t, c.exit, sum.ExitCode)
		})
	}
}

// A pre-image file lacking a key the program reads stops the run with a VM fault (exit 3)
// whose one line names the key, its type, the step and the thread.
func TestVMRunMissingPreimage(t *testing.T) {
	e := setup(t)
	cases := []struct{ key, desc string }{
		{claimKey, "type 1, local input 3"},
		{"0x02" + l1Head[4:], "type 2, keccak256"},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			code, _, stderr := e.fpvmdiff(t, "vm", "run", e.elf, "--preimages", e.preimagesWithout(t, c.key), "--max-steps", maxSteps)
			require.Equal(t, 3, code, "exit 3: VM fault")
			want := regexp.MustCompile(`(?m)^fpvmdiff vm run: vm fault at step [0-9]+ \(thread [0-9]+, pc 0x[0-9a-f]+, insn 0x0000000c\): ` +
				regexp.QuoteMeta(fmt.Sprintf("pre-image not available: key %s (%s): pre-image not found", c.key, c.desc)) + `$`)
			require.Regexp(t, want, stderr)
		})
	}
}

// runResult is the part of `fpvmdiff run --json` these checks read.
type runResult struct {
	FirstStep     uint64            `json:"first_step"`
	LastStep      uint64            `json:"last_step"`
	StepsRun      uint64            `json:"steps_run"`
	StepsChecked  uint64            `json:"steps_checked"`
	PreimageReads map[string]uint64 `json:"preimage_reads"`
	Classes       map[string]struct {
		Run     uint64 `json:"run"`
		Checked uint64 `json:"checked"`
	} `json:"classes"`
	Exited     bool            `json:"exited"`
	ExitCode   uint8           `json:"exit_code"`
	GoFault    string          `json:"go_fault"`
	Divergence json.RawMessage `json:"divergence"`
	Gas        struct {
		Count, Min, Median, P99, Max uint64
	} `json:"gas"`
}

func (e env) check(t *testing.T, args ...string) runResult {
	t.Helper()
	js := filepath.Join(t.TempDir(), "check.json")
	args = append([]string{"run", e.elf, "--preimages", filepath.Join(e.dir, "pre.json"), "--quiet",
		"--bundle-dir", t.TempDir(), "--json", js}, args...)
	code, stdout, _ := e.fpvmdiff(t, args...)
	require.Equal(t, 0, code, "a divergence (exit 1) or an error (exit 2):\n%s", stdout)
	var res runResult
	readJSON(t, js, &res)
	require.Empty(t, res.Divergence)
	require.Empty(t, res.GoFault)
	t.Logf("steps run %d, checked %d, gas per step min %d median %d p99 %d max %d, pre-image reads checked %v",
		res.StepsRun, res.StepsChecked, res.Gas.Min, res.Gas.Median, res.Gas.P99, res.Gas.Max, res.PreimageReads)
	return res
}

// The whole trace, sampled: every behaviour class at least K times, every pre-image read
// (each of the 68 pre-images at least once), every 100,000th step and the last step.
func TestSampledCheck(t *testing.T) {
	e := setup(t)
	const k = 3
	res := e.check(t, "--check", "sample", "--sample-k", fmt.Sprint(k), "--sample-every", "100k", "--max-steps", maxSteps)
	require.True(t, res.Exited)
	require.Equal(t, uint8(0), res.ExitCode, "the claim is verified")
	var reads uint64
	for name, c := range res.Classes {
		require.GreaterOrEqual(t, c.Checked, min(c.Run, k), "class %s", name)
		if strings.HasPrefix(name, "syscall/read/fd5") {
			require.Equal(t, c.Run, c.Checked, "every pre-image read is checked (%s)", name)
			reads += c.Run
		}
	}
	require.Equal(t, reads, res.PreimageReads["type1"]+res.PreimageReads["type2"], "only local and keccak keys are read")
	require.GreaterOrEqual(t, res.PreimageReads["type1"], uint64(localKeys))
	require.GreaterOrEqual(t, res.PreimageReads["type2"], uint64(keccakKeys))
	require.Less(t, res.StepsChecked, res.StepsRun/1000, "sampled")
}

// Every step of windows where the program reads pre-images.
func TestWindowsCheckedInFull(t *testing.T) {
	e := setup(t)
	for _, w := range windows {
		t.Run(w.name, func(t *testing.T) {
			res := e.check(t, "--check", "all", "--range", w.rng)
			var a, b uint64
			_, err := fmt.Sscanf(w.rng, "%d:%d", &a, &b)
			require.NoError(t, err)
			require.GreaterOrEqual(t, b-a, uint64(200_000))
			require.Equal(t, a, res.FirstStep)
			require.Equal(t, b, res.LastStep)
			require.Equal(t, b-a, res.StepsChecked, "every step of the window")
			for _, kt := range w.keyTypes {
				require.NotZero(t, res.PreimageReads[kt], "pre-image reads of %s in the window", kt)
			}
		})
	}
}

// scan with the op-program allowlist is clean; without one of its entries the finding that
// entry accepted fails the scan again.
func TestScan(t *testing.T) {
	e := setup(t)
	allow := filepath.Join(e.dir, "op-program.allow")
	code, stdout, _ := e.fpvmdiff(t, "scan", "--allow", allow, e.elf)
	require.Equal(t, 0, code, stdout)
	require.Contains(t, stdout, "findings: 0")
	require.NotContains(t, stdout, "allowlist entries that matched nothing", "every entry still matches something")

	raw, err := os.ReadFile(allow)
	require.NoError(t, err)
	var kept []string
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(line, "syscall.socket ") {
			kept = append(kept, line)
		}
	}
	require.Len(t, kept, len(strings.Split(string(raw), "\n"))-1)
	less := filepath.Join(t.TempDir(), "less.allow")
	require.NoError(t, os.WriteFile(less, []byte(strings.Join(kept, "\n")), 0o644))
	code, stdout, _ = e.fpvmdiff(t, "scan", "--allow", less, e.elf)
	require.Equal(t, 1, code)
	require.Regexp(t, `(?m)^findings: 1$`, stdout)
	require.Regexp(t, `(?m)^  unsupported syscall +syscall\.socket +syscall 5040 \(socket\)`, stdout)
}
