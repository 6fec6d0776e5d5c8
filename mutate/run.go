package mutate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// Verdict is what one check made of one mutant.
type Verdict string

const (
	Killed    Verdict = "killed"
	Survived  Verdict = "survived"
	Stillborn Verdict = "stillborn" // the mutated sources did not build: not counted as a kill
	NotRun    Verdict = "not run"
	Broken    Verdict = "error" // the harness itself failed (copy, apply); never a kill
)

// Result is the outcome of one mutant.
type Result struct {
	Mutant Mutant
	Diff   Verdict
	DiffBy string // which check killed it: build, vectors, hello, or a timeout of one
	// Vectors is the number of distinct vectors that failed when the vector check killed
	// the mutant (0 otherwise): a kill with 1 rests on a single vector.
	Vectors  int
	Unit     Verdict
	Detail   string // the tail of the output that decided the verdict
	Duration time.Duration
}

// Runner applies mutants in copies of Repo and runs the differential suite there.
type Runner struct {
	Repo        string
	TmpRoot     string
	CmdTimeout  time.Duration
	UnitTimeout time.Duration // limit of the unit tests; 0 = CmdTimeout
	UnitGo      bool          // also run `go test ./vm/...` on Go mutants
	UnitSol     bool          // also run `forge test` on Solidity mutants (slow)
	Keep        bool          // keep the workspaces (for debugging a verdict)
	HelloSteps  int
	GuestELF    string
	VectorsArgs []string
}

// Baseline is the unmutated control run: it must survive both the differential suite and
// the Go unit tests, or every kill is meaningless.
var Baseline = Mutant{ID: "baseline", Side: SideSol, Area: "-", File: "-", Description: "no change; contract rebuilt"}

// Run executes one mutant end to end.
func (r *Runner) Run(ctx context.Context, m Mutant) (res Result) {
	start := time.Now()
	res = Result{Mutant: m, Unit: NotRun}
	defer func() { res.Duration = time.Since(start) }()
	fail := func(err error) Result {
		res.Diff, res.Detail, res.Duration = Broken, err.Error(), time.Since(start)
		return res
	}
	ws, err := NewWorkspace(r.Repo, r.TmpRoot, m.ID)
	if err != nil {
		return fail(err)
	}
	if !r.Keep {
		defer os.RemoveAll(ws)
	}
	if m.Original != "" {
		if err := Apply(ws, m); err != nil {
			return fail(err)
		}
	}
	if m.Side == SideSol {
		// -o: node_modules is the shared, already installed tree; never npm ci in a copy.
		if out, err := r.cmd(ctx, ws, "make", "--no-print-directory", "-o", "node_modules/.package-lock.json", "contracts"); err != nil {
			res.Diff, res.DiffBy, res.Detail = Stillborn, "make contracts", tail(out, err)
			return res
		}
	}
	if out, err := r.cmd(ctx, ws, "go", "build", "-o", "bin/fpvmdiff", "./cmd/fpvmdiff"); err != nil {
		res.Diff, res.DiffBy, res.Detail = Stillborn, "go build", tail(out, err)
		return res
	}
	res.Diff = Survived
	checks := []struct {
		name string
		args []string
	}{
		{"vectors", append([]string{"vectors"}, r.VectorsArgs...)},
		{"hello", []string{"run", "--check", "all", "--max-steps", fmt.Sprint(r.HelloSteps), r.GuestELF}},
		// Forged witnesses over the vector corpus (docs/tamper.md): the only check that sees
		// a verification removed from the contract. Every mutant gets it (it runs only when
		// the checks above passed, so it costs nothing for the mutants they kill).
		{"tamper", TamperArgs},
	}
	for _, c := range checks {
		out, err := r.cmd(ctx, ws, filepath.Join(ws, "bin", "fpvmdiff"), c.args...)
		if err != nil {
			res.Diff, res.DiffBy, res.Detail = Killed, c.name+timeoutTag(err), tail(out, err)
			if c.name == "vectors" {
				res.Vectors = len(FailedVectors(out))
			}
			break
		}
	}
	if ctx.Err() != nil {
		return fail(fmt.Errorf("interrupted: %w", ctx.Err()))
	}
	switch {
	case (m.Side == SideGo || m.ID == Baseline.ID) && r.UnitGo:
		res.Unit = unitVerdict(r.cmdT(ctx, r.UnitTimeout, ws, "go", "test", "-count=1", "./vm/..."))
	case m.Side == SideSol && r.UnitSol:
		res.Unit = unitVerdict(r.cmdT(ctx, r.UnitTimeout, ws, "node_modules/.bin/forge", "test"))
	}
	return res
}

// failLine is how `fpvmdiff vectors` reports a failing vector run: FAIL name[#variant] (file).
var failLine = regexp.MustCompile(`(?m)^FAIL (\S+?)(?:#\d+)? \(`)

// FailedVectors are the distinct vectors (variants folded into their vector) that failed
// in the output of `fpvmdiff vectors`.
func FailedVectors(out string) []string {
	seen := map[string]bool{}
	var names []string
	for _, m := range failLine.FindAllStringSubmatch(out, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
		}
	}
	return names
}

func unitVerdict(_ string, err error) Verdict {
	if err != nil {
		return Killed
	}
	return Survived
}

var errTimeout = errors.New("timed out")

func timeoutTag(err error) string {
	if errors.Is(err, errTimeout) {
		return " (timeout)"
	}
	return ""
}

// cmd runs one command in dir with the per-command timeout; the whole process group is
// killed on timeout so that no test binary outlives its mutant.
func (r *Runner) cmd(ctx context.Context, dir, name string, args ...string) (string, error) {
	return r.cmdT(ctx, r.CmdTimeout, dir, name, args...)
}

func (r *Runner) cmdT(ctx context.Context, limit time.Duration, dir, name string, args ...string) (string, error) {
	if limit <= 0 {
		limit = r.CmdTimeout
	}
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	c := exec.CommandContext(cctx, name, args...)
	c.Dir = dir
	// -trimpath: every workspace has its own directory; without it the build cache keys
	// of all our packages differ per workspace and each mutant recompiles all of them.
	c.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false -trimpath")
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	if err != nil && errors.Is(cctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		err = fmt.Errorf("%s %s: %w after %s", name, strings.Join(args, " "), errTimeout, limit)
	} else if err != nil {
		err = fmt.Errorf("%s %s: %w", filepath.Base(name), strings.Join(args, " "), err)
	}
	return out.String(), err
}

// tail keeps the last few lines of a failing command, which name the divergence.
func tail(out string, err error) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) > 6 {
		lines = lines[len(lines)-6:]
	}
	return err.Error() + ": " + strings.Join(lines, " | ")
}
