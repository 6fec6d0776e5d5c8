package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeFpvmdiff stands in for the binary: it records its arguments one per line in
// $FAKE_LOG, writes the --json file it is given (as a real run does, also on a
// divergence), and exits with $FAKE_RC. With FAKE_WAIT it waits for a signal instead and
// records which one arrived.
const fakeFpvmdiff = `#!/bin/sh
printf '%s\n' "$@" > "$FAKE_LOG"
prev=
for a in "$@"; do
	[ "$prev" = --json ] && echo '{}' > "$a"
	prev=$a
done
if [ -n "${FAKE_WAIT:-}" ]; then
	trap 'echo TERM >> "$FAKE_LOG"; exit 130' TERM
	trap 'echo INT >> "$FAKE_LOG"; exit 130' INT
	echo ready > "$FAKE_WAIT"
	while :; do sleep 0.05; done
fi
exit "${FAKE_RC:-0}"
`

type entryRun struct {
	rc   int
	args []string // the fake binary's arguments
	err  string   // the entry script's stderr
	out  string   // results folder
}

// runEntry runs deploy/entry.sh with the fake binary and env (KEY=VALUE) added to a clean
// environment, so that no engine variable of the machine running the test leaks in.
func runEntry(t *testing.T, env []string, args ...string) entryRun {
	t.Helper()
	dir := t.TempDir()
	fake := filepath.Join(dir, "fpvmdiff")
	if err := os.WriteFile(fake, []byte(fakeFpvmdiff), 0o755); err != nil {
		t.Fatal(err)
	}
	elf := filepath.Join(dir, "guest.elf")
	if err := os.WriteFile(elf, []byte("ELF"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "results")
	log := filepath.Join(dir, "args")
	cmd := exec.Command("./entry.sh", args...)
	cmd.Env = append([]string{"PATH=/usr/bin:/bin", "FAKE_LOG=" + log, "FPVMDIFF_BIN=" + fake,
		"FPVMDIFF_ELF=" + elf, "FPVMDIFF_OUT=" + out}, env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	r := entryRun{err: stderr.String(), out: out}
	if ee, ok := err.(*exec.ExitError); ok {
		r.rc = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(log); err == nil {
		r.args = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
	return r
}

// flagValue is the value after flag in args, or "" when absent.
func flagValue(args []string, flag string) string {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == flag {
			return args[i+1]
		}
	}
	return ""
}

// Each engine hands the task its index its own way; the entry script must turn every one
// into the same --shard i/n and summary name.
func TestEntryShardIndex(t *testing.T) {
	cases := []struct {
		name  string
		env   []string
		shard string
	}{
		{"matrix", []string{"FPVMDIFF_SHARDS=8", "FPVMDIFF_SHARD_INDEX=3"}, "3/8"},
		{"kubernetes indexed job", []string{"FPVMDIFF_SHARDS=8", "JOB_COMPLETION_INDEX=5"}, "5/8"},
		{"slurm array from 0", []string{"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_COUNT=4"}, "2/4"},
		{"slurm array from 1", []string{"SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=4"}, "3/4"},
		{"explicit index wins", []string{"FPVMDIFF_SHARDS=4", "FPVMDIFF_SHARD_INDEX=1", "JOB_COMPLETION_INDEX=2"}, "1/4"},
		{"FPVMDIFF_SHARDS wins over the array size", []string{"FPVMDIFF_SHARDS=6", "SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_COUNT=7"}, "5/6"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runEntry(t, c.env, "shard")
			if r.rc != 0 {
				t.Fatalf("exit %d: %s", r.rc, r.err)
			}
			if r.args[0] != "run" || flagValue(r.args, "--shard") != c.shard {
				t.Fatalf("ran %q, want run ... --shard %s", r.args, c.shard)
			}
			i, _, _ := strings.Cut(c.shard, "/")
			if want := filepath.Join(r.out, "shard-"+i+".json"); flagValue(r.args, "--json") != want {
				t.Fatalf("--json %q, want %q", flagValue(r.args, "--json"), want)
			}
		})
	}
}

func TestEntryShardSettings(t *testing.T) {
	r := runEntry(t, []string{"FPVMDIFF_SHARDS=2", "FPVMDIFF_SHARD_INDEX=0", "FPVMDIFF_RANGE=5M:end",
		"FPVMDIFF_CHECK=sample", "FPVMDIFF_PREIMAGES=/p.json", "FPVMDIFF_WORKERS=3"}, "shard", "--sample-k", "5")
	if r.rc != 0 {
		t.Fatalf("exit %d: %s", r.rc, r.err)
	}
	for flag, want := range map[string]string{"--range": "5M:end", "--check": "sample", "--preimages": "/p.json",
		"--workers": "3", "--sample-k": "5", "--bundle-dir": r.out} {
		if got := flagValue(r.args, flag); got != want {
			t.Errorf("%s %q, want %q (args %q)", flag, got, want, r.args)
		}
	}
	// Defaults: the whole trace, every step, no pre-images, fpvmdiff's own worker count.
	r = runEntry(t, []string{"FPVMDIFF_SHARDS=2", "FPVMDIFF_SHARD_INDEX=1"}, "shard")
	if flagValue(r.args, "--range") != "0:end" || flagValue(r.args, "--check") != "all" ||
		flagValue(r.args, "--preimages") != "" || flagValue(r.args, "--workers") != "" {
		t.Errorf("defaults: args %q", r.args)
	}
}

// Bad settings are one line naming the problem, exit 2, and fpvmdiff never starts.
func TestEntryRejects(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"no index", []string{"FPVMDIFF_SHARDS=4"}, []string{"shard"}, "no shard index"},
		{"no count", []string{"FPVMDIFF_SHARD_INDEX=0"}, []string{"shard"}, "shard count unknown"},
		{"index too big", []string{"FPVMDIFF_SHARDS=4", "JOB_COMPLETION_INDEX=4"}, []string{"shard"}, "not below the shard count 4"},
		{"index not a number", []string{"FPVMDIFF_SHARDS=4", "FPVMDIFF_SHARD_INDEX=x"}, []string{"shard"}, "FPVMDIFF_SHARD_INDEX=x"},
		{"zero shards", []string{"FPVMDIFF_SHARDS=0", "FPVMDIFF_SHARD_INDEX=0"}, []string{"shard"}, "FPVMDIFF_SHARDS=0"},
		{"slurm id below min", []string{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=2"}, []string{"shard"}, "below SLURM_ARRAY_TASK_MIN"},
		{"no ELF", []string{"FPVMDIFF_SHARDS=1", "FPVMDIFF_SHARD_INDEX=0", "FPVMDIFF_ELF="}, []string{"shard"}, "FPVMDIFF_ELF is not set"},
		{"missing ELF", []string{"FPVMDIFF_SHARDS=1", "FPVMDIFF_SHARD_INDEX=0", "FPVMDIFF_ELF=/nonexistent.elf"}, []string{"shard"}, "no such file"},
		{"no mode", nil, nil, "usage"},
		{"unknown mode", nil, []string{"run"}, "usage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runEntry(t, c.env, c.args...)
			if r.rc != 2 || !strings.Contains(r.err, c.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and %q", r.rc, r.err, c.want)
			}
			if strings.Count(strings.TrimSpace(r.err), "\n") != 0 {
				t.Errorf("want one line, got %q", r.err)
			}
			if r.args != nil {
				t.Errorf("fpvmdiff ran with %q", r.args)
			}
		})
	}
}

// A divergence (1) is a finished shard: exit 0, so that engines neither retry it nor skip
// the merge. Everything else keeps fpvmdiff's code.
func TestEntryExitCodes(t *testing.T) {
	for _, c := range []struct{ fake, want int }{{0, 0}, {1, 0}, {2, 2}, {3, 3}, {130, 130}} {
		r := runEntry(t, []string{"FPVMDIFF_SHARDS=1", "FPVMDIFF_SHARD_INDEX=0", "FAKE_RC=" + strconv.Itoa(c.fake)}, "shard")
		if r.rc != c.want {
			t.Errorf("fpvmdiff exit %d: entry exit %d, want %d (%s)", c.fake, r.rc, c.want, r.err)
		}
	}
}

func TestEntryMerge(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "results")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, i := range []string{"0", "2"} {
		if err := os.WriteFile(filepath.Join(out, "shard-"+i+".json"), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := runEntry(t, []string{"FPVMDIFF_SHARDS=3", "FPVMDIFF_OUT=" + out}, "merge")
	if r.rc != 2 || !strings.Contains(r.err, "no summary from shard(s) 1 of 3") {
		t.Fatalf("one shard missing: exit %d, %q", r.rc, r.err)
	}
	if err := os.WriteFile(filepath.Join(out, "shard-1.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runEntry(t, []string{"FPVMDIFF_SHARDS=3", "FPVMDIFF_OUT=" + out, "FAKE_RC=1"}, "merge", "--allow-partial")
	if r.rc != 1 {
		t.Fatalf("merge exit %d, want fpvmdiff's 1: %s", r.rc, r.err)
	}
	want := []string{"merge", "--json", filepath.Join(out, "merged.json"), "--allow-partial",
		filepath.Join(out, "shard-0.json"), filepath.Join(out, "shard-1.json"), filepath.Join(out, "shard-2.json")}
	if strings.Join(r.args, " ") != strings.Join(want, " ") {
		t.Fatalf("ran %q, want %q", r.args, want)
	}
}

// An engine stops a pod or task with SIGTERM to the entry command (PID 1 in a container),
// a person with ^C; the script must pass either on to fpvmdiff and return its exit code.
func TestEntryForwardsSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			fake := filepath.Join(dir, "fpvmdiff")
			if err := os.WriteFile(fake, []byte(fakeFpvmdiff), 0o755); err != nil {
				t.Fatal(err)
			}
			log, ready := filepath.Join(dir, "args"), filepath.Join(dir, "ready")
			cmd := exec.Command("./entry.sh", "shard")
			cmd.Env = []string{"PATH=/usr/bin:/bin", "FAKE_LOG=" + log, "FAKE_WAIT=" + ready, "FPVMDIFF_BIN=" + fake,
				"FPVMDIFF_ELF=" + fake, "FPVMDIFF_OUT=" + dir, "FPVMDIFF_SHARDS=1", "FPVMDIFF_SHARD_INDEX=0"}
			// Its own process group, as a container's PID 1 is: the signal reaches the
			// script only, never the child directly.
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				if _, err := os.Stat(ready); err == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the fake binary never started")
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			stuck := time.AfterFunc(20*time.Second, func() {
				// Kill the group, the script and the fake binary both, so that a failure
				// is reported instead of hanging the test binary.
				syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			})
			err := cmd.Wait()
			stuck.Stop()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 130 {
				t.Fatalf("entry ended with %v, want exit 130 passed on from fpvmdiff", err)
			}
			data, _ := os.ReadFile(log)
			// SIGINT arrives as SIGTERM: a background child of a script ignores SIGINT.
			if !strings.HasSuffix(strings.TrimSpace(string(data)), "TERM") {
				t.Fatalf("fpvmdiff did not get SIGTERM: log %q", data)
			}
		})
	}
}

// A retried shard whose earlier attempt was interrupted resumes it, keeping the earlier
// summary under a numbered name; a finished earlier summary is simply redone.
func TestEntryResumesInterruptedShard(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "results")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(out, "shard-2.json")
	env := []string{"FPVMDIFF_SHARDS=4", "JOB_COMPLETION_INDEX=2", "FPVMDIFF_OUT=" + out}
	for attempt := 1; attempt <= 2; attempt++ {
		if err := os.WriteFile(summary, []byte("{\n  \"program\": \"g\",\n  \"interrupted\": true\n}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runEntry(t, env, "shard")
		if r.rc != 0 {
			t.Fatalf("exit %d: %s", r.rc, r.err)
		}
		kept := filepath.Join(out, "shard-2.interrupted-"+strconv.Itoa(attempt)+".json")
		if got := flagValue(r.args, "--resume"); got != kept {
			t.Fatalf("attempt %d: --resume %q, want %q (args %q)", attempt, got, kept, r.args)
		}
		if _, err := os.Stat(kept); err != nil {
			t.Fatalf("the interrupted summary was not kept: %v", err)
		}
	}
	if err := os.WriteFile(summary, []byte("{\n  \"program\": \"g\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runEntry(t, env, "shard"); flagValue(r.args, "--resume") != "" {
		t.Fatalf("a finished summary was resumed: %q", r.args)
	}
}

// The layout the image runs (make stage, copied to /opt/fpvmdiff by the Dockerfile): the
// staged entry command finds the staged binary beside it, checks a shard of a staged guest
// and merges it. No container daemon runs here, so this is the image's entry command
// tested directly.
func TestStagedEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the stage")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	stage := filepath.Join(t.TempDir(), "opt-fpvmdiff")
	mk := exec.Command("make", "--no-print-directory", "stage", "STAGE="+stage)
	mk.Dir = root
	if out, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("make stage: %v\n%s", err, out)
	}
	for _, f := range []string{"bin/fpvmdiff", "bin/fpvmdiff-entry", "guests/hello.elf", "guests/mt.elf", "guests/preimage.preimages.json"} {
		if _, err := os.Stat(filepath.Join(stage, f)); err != nil {
			t.Fatalf("stage lacks %s: %v", f, err)
		}
	}
	out := filepath.Join(t.TempDir(), "results")
	env := []string{"PATH=/usr/bin:/bin", "FPVMDIFF_SHARDS=2", "FPVMDIFF_ELF=" + filepath.Join(stage, "guests", "hello.elf"),
		"FPVMDIFF_RANGE=457k:end", "FPVMDIFF_WORKERS=1", "FPVMDIFF_OUT=" + out}
	for _, i := range []string{"0", "1"} {
		cmd := exec.Command(filepath.Join(stage, "bin", "fpvmdiff-entry"), "shard")
		cmd.Env = append(env, "JOB_COMPLETION_INDEX="+i)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("shard %s: %v\n%s", i, err, b)
		}
	}
	cmd := exec.Command(filepath.Join(stage, "bin", "fpvmdiff-entry"), "merge")
	cmd.Env = env
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("merge: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), "merged         2 shards covering steps 457000:") || !strings.Contains(string(b), "exited with code 0") {
		t.Fatalf("merge output:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(out, "merged.json")); err != nil {
		t.Fatal(err)
	}
}
