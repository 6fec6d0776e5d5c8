package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const k8sDir = "../k8s"

func TestManifests(t *testing.T) {
	d, err := Load(k8sDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Check(); err != nil {
		t.Fatal(err)
	}
}

// edit copies deploy/k8s to a temporary folder with one replacement made in one file; the
// replaced text must occur, so a case cannot go stale silently when a manifest changes.
func edit(t *testing.T, file, old, new string) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(k8sDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if filepath.Base(f) == file {
			if !strings.Contains(text, old) {
				t.Fatalf("%s no longer contains %q: update this case", file, old)
			}
			text = strings.Replace(text, old, new, 1)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Each case breaks a valid manifest in one way that kubectl apply would reject or that
// would run a wrong deployment; Load or Check must fail and name the problem.
func TestRejects(t *testing.T) {
	cases := []struct {
		name, file, old, new, want string
	}{
		{"misspelled field", "shards-job.yaml", "  completions: 32", "  completion: 32", `unknown field "spec.completion"`},
		{"field in wrong case", "shards-job.yaml", "  parallelism: 32", "  Parallelism: 32", `unknown field "spec.Parallelism"`},
		{"field at wrong level", "merge-job.yaml", "      restartPolicy: Never", "      restartPolicy: Never\n      backoffLimit: 0", `unknown field "spec.template.spec.backoffLimit"`},
		{"duplicate key", "shards-job.yaml", "  parallelism: 32", "  parallelism: 32\n  parallelism: 16", `"parallelism"`},
		{"wrong type", "shards-job.yaml", "  completions: 32", "  completions: many", "completions"},
		{"bad quantity", "results-pvc.yaml", "storage: 1Gi", "storage: 1 gigabyte", "quantities must match"},
		{"unknown kind", "results-pvc.yaml", "kind: PersistentVolumeClaim", "kind: PersistentVolume", "not a kind deploy/k8s uses"},
		{"not indexed", "shards-job.yaml", "completionMode: Indexed", "completionMode: NonIndexed", "completionMode must be Indexed"},
		{"shard count disagrees in the shards job", "shards-job.yaml", "value: \"32\"", "value: \"31\"", "the shard count must agree"},
		{"shard count disagrees in the merge job", "merge-job.yaml", "value: \"32\"", "value: \"16\"", "the shard count must agree"},
		{"merge job runs a shard", "merge-job.yaml", "args: [merge]", "args: [shard]", "args [merge]"},
		{"results not mounted", "shards-job.yaml", "mountPath: /results", "mountPath: /data", "nothing is mounted at FPVMDIFF_OUT=/results"},
		{"other claim", "merge-job.yaml", "claimName: fpvmdiff-results", "claimName: scratch", "is not the claim fpvmdiff-results"},
		{"claim one node only", "results-pvc.yaml", "[ReadWriteMany]", "[ReadWriteOnce]", "ReadWriteMany"},
		{"more workers than CPUs", "shards-job.yaml", "value: \"2\"", "value: \"8\"", "exceeds the CPU limit"},
		{"failure policy names another container", "shards-job.yaml", "containerName: shard", "containerName: main", `names container "main"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := edit(t, c.file, c.old, c.new)
			d, err := Load(dir)
			if err == nil {
				err = d.Check()
			}
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

func TestSplitDocuments(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"a: 1\n", 1},
		{"# only a comment\n---\na: 1\n", 1},
		{"a: 1\n---\nb: 2\n", 2},
		{"a: 1\n--- # next\nb: 2\n---\n", 2},
		{"a: '---'\n", 1},
		{"", 0},
	}
	for _, c := range cases {
		if got := len(splitDocuments([]byte(c.in))); got != c.want {
			t.Errorf("splitDocuments(%q): %d documents, want %d", c.in, got, c.want)
		}
	}
}
