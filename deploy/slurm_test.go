package deploy_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// slurmTools are the Slurm programs the test runs (Debian's slurm-wlm).
var slurmTools = []string{"slurmctld", "slurmd", "sbatch", "scontrol", "scancel", "sinfo"}

// requireSlurm skips the test when Slurm is not installed or we are not root (the daemons'
// SlurmUser); under `make test` (FPVMDIFF_REQUIRE_SLURM=1, which installs slurm-wlm first)
// either is a failure instead.
func requireSlurm(t *testing.T) {
	t.Helper()
	var why string
	for _, tool := range slurmTools {
		if _, err := exec.LookPath(tool); err != nil {
			why = tool + " is not installed (make deps-deploy installs Debian's slurm-wlm)"
			break
		}
	}
	if why == "" && os.Geteuid() != 0 {
		why = "the one-machine Slurm cluster runs its daemons as root"
	}
	if why == "" && testing.Short() && os.Getenv("FPVMDIFF_REQUIRE_SLURM") != "1" {
		why = "-short"
	}
	if why == "" {
		return
	}
	if os.Getenv("FPVMDIFF_REQUIRE_SLURM") == "1" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// slurmCluster is a controller and one node daemon on this machine, from a scratch
// configuration of the test's own: its own ports, state and spool folders, so it touches
// no system Slurm set-up.
type slurmCluster struct {
	dir, conf string
	env       []string // SLURM_CONF and PATH, for every Slurm command
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// memoryMB is 80% of this machine's memory: slurmd refuses to serve a node configured
// with more than it has.
func memoryMB(t *testing.T) int {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		var kb int
		if _, err := fmt.Sscanf(s.Text(), "MemTotal: %d kB", &kb); err == nil {
			return kb / 1024 * 8 / 10
		}
	}
	t.Fatal("no MemTotal in /proc/meminfo")
	return 0
}

func startSlurm(t *testing.T) *slurmCluster {
	t.Helper()
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	host, _, _ = strings.Cut(host, ".")
	// Not t.TempDir: slurmd's socket paths must stay short, and the daemons write there
	// until they are stopped.
	dir, err := os.MkdirTemp("", "fpvmdiff-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for _, d := range []string{"state", "spool"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	c := &slurmCluster{dir: dir, conf: filepath.Join(dir, "slurm.conf")}
	conf := fmt.Sprintf(`# Written by deploy/slurm_test.go: a one-machine cluster for one test.
ClusterName=fpvmdifftest
SlurmctldHost=%[1]s(127.0.0.1)
SlurmctldPort=%[2]d
SlurmdPort=%[3]d
AuthType=auth/none
CredType=cred/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
StateSaveLocation=%[4]s/state
SlurmdSpoolDir=%[4]s/spool
SlurmctldPidFile=%[4]s/slurmctld.pid
SlurmdPidFile=%[4]s/slurmd.pid
SlurmctldLogFile=%[4]s/slurmctld.log
SlurmdLogFile=%[4]s/slurmd.log
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=%[1]s NodeAddr=127.0.0.1 CPUs=%[5]d RealMemory=%[6]d State=UNKNOWN
PartitionName=fpvmdiff Nodes=%[1]s Default=YES MaxTime=INFINITE State=UP
`, host, freePort(t), freePort(t), dir, runtime.NumCPU(), memoryMB(t))
	if err := os.WriteFile(c.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	c.env = []string{"SLURM_CONF=" + c.conf, "PATH=" + os.Getenv("PATH")}

	// Both daemons in the foreground (-D) as our children, each in its own process group,
	// so that stopping them needs no pid file and reaches whatever they started.
	for _, args := range [][]string{{"slurmctld", "-D", "-f", c.conf}, {"slurmd", "-D", "-f", c.conf, "-N", host}} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = c.env
		log, err := os.Create(filepath.Join(dir, args[0]+".out"))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = log, log
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", args[0], err)
		}
		t.Cleanup(func() { stopDaemon(t, cmd); log.Close() })
	}
	// Cleanups run last-in first-out: cancel the jobs while the daemons still run.
	t.Cleanup(func() { c.run(t, "scancel", "--full", "--partition=fpvmdiff") })

	deadline := time.Now().Add(60 * time.Second)
	for {
		out, _ := c.output("sinfo", "--noheader", "--format=%T")
		if strings.TrimSpace(out) == "idle" {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("the node is not idle after 60 s (sinfo: %q)\n%s", out, c.logs())
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// stopDaemon asks a daemon's process group to stop (SIGTERM), then kills it after 10 s.
func stopDaemon(t *testing.T, cmd *exec.Cmd) {
	pgid := cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Logf("%s did not stop on SIGTERM within 10 s: killing it", cmd.Path)
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
}

func (c *slurmCluster) output(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (c *slurmCluster) run(t *testing.T, name string, args ...string) string {
	out, err := c.output(name, args...)
	if err != nil {
		t.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// logs is the tail of both daemons' logs, for failure messages.
func (c *slurmCluster) logs() string {
	var b strings.Builder
	for _, f := range []string{"slurmctld.log", "slurmd.log"} {
		data, _ := os.ReadFile(filepath.Join(c.dir, f))
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		fmt.Fprintf(&b, "--- %s (last lines)\n%s\n", f, strings.Join(lines[max(0, len(lines)-15):], "\n"))
	}
	return b.String()
}

// jobStates maps each task of a job (one for a plain job, one per array task) to its
// state, from scontrol, which keeps finished jobs for MinJobAge (300 s by default).
func (c *slurmCluster) jobStates(t *testing.T, id string) map[string]string {
	out, err := c.output("scontrol", "--oneliner", "show", "job", id)
	if err != nil {
		t.Fatalf("scontrol show job %s: %v\n%s", id, err, out)
	}
	states := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		fields := map[string]string{}
		for _, f := range strings.Fields(line) {
			if k, v, ok := strings.Cut(f, "="); ok {
				fields[k] = v
			}
		}
		task := fields["JobId"]
		if a := fields["ArrayTaskId"]; a != "" {
			task = fields["ArrayJobId"] + "_" + a
		}
		states[task] = fields["JobState"]
	}
	return states
}

var finalStates = []string{"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "DEADLINE", "BOOT_FAIL"}

// waitJob polls until every task of job id is in a final state and returns the states.
func (c *slurmCluster) waitJob(t *testing.T, id string, timeout time.Duration) map[string]string {
	deadline := time.Now().Add(timeout)
	for {
		states := c.jobStates(t, id)
		done := len(states) > 0
		for _, s := range states {
			done = done && slices.Contains(finalStates, s)
		}
		if done {
			return states
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s not finished after %v: %v\n%s", id, timeout, states, c.logs())
		}
		time.Sleep(time.Second)
	}
}

// buildCLI builds the fpvmdiff binary the jobs run.
func buildCLI(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fpvmdiff")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/fpvmdiff")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// summary reads a --json summary, without the fields that differ between one run and its
// shards by nature (wall time, worker and shard counts, process memory).
func summary(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, k := range []string{"duration_ns", "workers", "shards", "peak_rss_bytes"} {
		delete(m, k)
	}
	return m
}

// TestSlurmArrayMergesLikeOneRun submits deploy/slurm's array and merge step to a real
// Slurm controller and node daemon on this machine, and requires the merged summary to be
// the one a single process gives for the same range: steps run and checked, every class
// count, the exact gas histogram and percentiles, first and last step.
func TestSlurmArrayMergesLikeOneRun(t *testing.T) {
	requireSlurm(t)
	root, err := guests.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := buildCLI(t, root)
	elf := guests.MustBuild(t, "hello")
	// The last 159,277 steps of hello, to its exit: each shard first finds where the trace
	// ends (--range A:end), and the merge requires the merged range to reach the exit.
	const shards, rng = 4, "300k:end"
	c := startSlurm(t)
	out := filepath.Join(c.dir, "results")

	submit := exec.Command(filepath.Join(root, "deploy", "slurm", "submit.sh"))
	submit.Env = append(slices.Clone(c.env), "FPVMDIFF_SHARDS="+strconv.Itoa(shards), "FPVMDIFF_ELF="+elf,
		"FPVMDIFF_RANGE="+rng, "FPVMDIFF_CHECK=all", "FPVMDIFF_BIN="+bin, "FPVMDIFF_OUT="+out,
		// One CPU per shard, so that shards share the machine's cores as they would a node's.
		"FPVMDIFF_CPUS_PER_SHARD=1")
	ids, err := submit.CombinedOutput()
	if err != nil {
		t.Fatalf("submit.sh: %v\n%s", err, ids)
	}
	var arrayID, mergeID string
	if _, err := fmt.Sscan(string(ids), &arrayID, &mergeID); err != nil {
		t.Fatalf("submit.sh printed %q, want two job ids", ids)
	}

	taskLogs := func() string {
		var b strings.Builder
		logs, _ := filepath.Glob(filepath.Join(out, "slurm-*.log"))
		for _, l := range logs {
			data, _ := os.ReadFile(l)
			fmt.Fprintf(&b, "--- %s\n%s", filepath.Base(l), data)
		}
		return b.String() + c.logs()
	}
	states := c.waitJob(t, arrayID, 10*time.Minute)
	if len(states) != shards {
		t.Fatalf("array %s has %d tasks, want %d: %v", arrayID, len(states), shards, states)
	}
	for task, s := range states {
		if s != "COMPLETED" {
			t.Fatalf("shard task %s: %s\n%s", task, s, taskLogs())
		}
	}
	if s := c.waitJob(t, mergeID, 2*time.Minute); s[mergeID] != "COMPLETED" {
		t.Fatalf("merge job %s: %v\n%s", mergeID, s, taskLogs())
	}
	merged := summary(t, filepath.Join(out, "merged.json"))

	single := filepath.Join(t.TempDir(), "single.json")
	run := exec.Command(bin, "run", elf, "--check", "all", "--range", rng, "--quiet", "--json", single)
	if b, err := run.CombinedOutput(); err != nil {
		t.Fatalf("single run: %v\n%s", err, b)
	}
	want := summary(t, single)

	if last, ok := merged["last_step"].(float64); !ok || merged["exited"] != true || merged["first_step"] != float64(300_000) ||
		merged["steps_checked"] != last-300_000 {
		t.Errorf("merged: checked %v steps from %v to %v (exited %v), want every step from 300000 to the exit",
			merged["steps_checked"], merged["first_step"], merged["last_step"], merged["exited"])
	}
	if !reflect.DeepEqual(merged, want) {
		for k := range want {
			if !reflect.DeepEqual(merged[k], want[k]) {
				t.Errorf("%s: merged %v, single run %v", k, merged[k], want[k])
			}
		}
		for k := range merged {
			if _, ok := want[k]; !ok {
				t.Errorf("%s: only in the merged summary (%v)", k, merged[k])
			}
		}
	}
}
