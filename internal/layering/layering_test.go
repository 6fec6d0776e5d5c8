// Package layering holds the test that keeps the project's import layers, read with go list.
package layering

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

const module = "github.com/fpvmdiff/fpvmdiff"

// layers is the order, lowest first. A package may import packages of its own layer or
// below, never above. "x/..." is x and everything under it; every main package (a command)
// is on the top layer wherever it lives. A new package must be placed here.
var layers = []struct {
	name     string
	packages []string
}{
	{"foundations", []string{"vm/...", "mips64", "internal/guests", "internal/buildinfo", "internal/elfsym"}},
	{"EVM session", []string{"evmharness"}},
	{"differential check", []string{"check"}},
	{"tools", []string{"vectors/...", "coverage/...", "fuzz", "scan", "qemuoracle", "mutate/..."}},
	{"CLI", []string{"internal/cli"}},
	// layering and speccite: tests that import nothing of ours; deploy and opprogram: tests of built binaries
	{"commands", []string{"cmd/...", "internal/layering", "internal/speccite", "deploy", "internal/opprogram"}},
}

// The project packages some packages must not depend on at all, directly or not (non-test
// code): vm stands alone, mips64 reads encodings with the standard library only, and the
// EVM session knows nothing of the check or the CLI built on it.
var forbiddenDeps = []struct {
	from       string
	not        []string // "*" is every project package outside from
	stdlibOnly bool     // no module outside the standard library either (go-ethereum, ...)
}{
	{"vm/...", []string{"*"}, true},
	{"mips64", []string{"*"}, true},
	{"evmharness", []string{"check", "internal/cli"}, false},
}

// pkg is the part of `go list -json` the test reads.
type pkg struct {
	ImportPath   string
	Name         string
	Imports      []string
	Deps         []string
	TestImports  []string
	XTestImports []string
	Dir          string
	GoFiles      []string
	TestGoFiles  []string
	XTestGoFiles []string
	Error        *struct{ Err string }
}

func (p pkg) rel() string { return strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/") }

func ours(path string) bool { return path == module || strings.HasPrefix(path, module+"/") }

func relOf(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, module), "/") }

// matches reports whether the package path rel matches pattern ("x" or "x/...").
func matches(pattern, rel string) bool {
	if base, found := strings.CutSuffix(pattern, "/..."); found {
		return rel == base || strings.HasPrefix(rel, base+"/")
	}
	return rel == pattern
}

// listPackages returns the module's packages with their imports, from one go list run.
func listPackages(t *testing.T) map[string]pkg {
	t.Helper()
	listOnce.Do(func() { listed, listErr = goList() })
	if listErr != nil {
		t.Fatal(listErr)
	}
	return listed
}

var (
	listOnce sync.Once
	listed   map[string]pkg
	listErr  error
)

func goList() (map[string]pkg, error) {
	cmd := exec.Command("go", "list", "-e", "-deps", "-json", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w: %s", err, stderr.String())
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		if ours(p.ImportPath) {
			pkgs[p.rel()] = p
		}
	}
	consult(pkgs)
	return pkgs, nil
}

// consult reads every package directory and stats its Go files. go test keys its cache on
// the files a test consults, and it cannot see what the go list child read: without this, a
// cached pass would hide an import added since.
func consult(pkgs map[string]pkg) {
	for _, p := range pkgs {
		_, _ = os.ReadDir(p.Dir)
		for _, files := range [][]string{p.GoFiles, p.TestGoFiles, p.XTestGoFiles} {
			for _, f := range files {
				_, _ = os.Stat(filepath.Join(p.Dir, f))
			}
		}
	}
}

// layerOf is the index in layers of the package, or -1 when no layer names it.
func layerOf(p pkg) int {
	if p.Name == "main" {
		return len(layers) - 1
	}
	for i, l := range layers {
		for _, pattern := range l.packages {
			if matches(pattern, p.rel()) {
				return i
			}
		}
	}
	return -1
}

// edges are the project-internal imports of p's code, plus those of its in-package tests
// and, when external, of its external test package (package p_test).
func edges(p pkg, tests, external bool) []string {
	all := append([]string(nil), p.Imports...)
	if tests {
		all = append(all, p.TestImports...)
	}
	if external {
		all = append(all, p.XTestImports...)
	}
	var out []string
	for _, imp := range all {
		if ours(imp) && imp != p.ImportPath {
			out = append(out, relOf(imp))
		}
	}
	sort.Strings(out)
	return out
}

func TestPackagesLoad(t *testing.T) {
	for _, p := range listPackages(t) {
		if p.Error != nil {
			t.Errorf("%s: %s", p.rel(), p.Error.Err)
		}
	}
}

// Every package is on a layer, and every import, also in tests, goes to its own layer or
// one below.
func TestNoUpwardImports(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages of %s", len(pkgs), module)
	}
	for _, p := range pkgs {
		from := layerOf(p)
		if from < 0 {
			t.Errorf("%s is on no layer: place it in layers (internal/layering)", p.rel())
			continue
		}
		for _, imp := range edges(p, true, true) {
			to := layerOf(pkgs[imp])
			if to > from {
				t.Errorf("upward import: %s (%s) imports %s (%s)", p.rel(), layers[from].name, imp, layers[to].name)
			}
		}
	}
}

func TestForbiddenDependencies(t *testing.T) {
	pkgs := listPackages(t)
	for _, rule := range forbiddenDeps {
		for _, p := range pkgs {
			if !matches(rule.from, p.rel()) {
				continue
			}
			for _, dep := range p.Deps {
				if rule.stdlibOnly && !ours(dep) && strings.Contains(strings.Split(dep, "/")[0], ".") {
					t.Errorf("%s depends on %s: only the standard library is allowed", p.rel(), dep)
				}
				if !ours(dep) || matches(rule.from, relOf(dep)) {
					continue
				}
				for _, not := range rule.not {
					if not == "*" || matches(not, relOf(dep)) {
						t.Errorf("%s depends on %s, which it must not", p.rel(), relOf(dep))
					}
				}
			}
		}
	}
}

// No cycle among the project's packages, counting in-package test imports. An external test
// package (p_test) is a package of its own, so importing p's importers from it closes no
// cycle.
func TestNoImportCycles(t *testing.T) {
	pkgs := listPackages(t)
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(string) error
	visit = func(n string) error {
		switch state[n] {
		case onPath:
			i := indexOf(path, n)
			return fmt.Errorf("import cycle: %s", strings.Join(append(path[i:], n), " -> "))
		case done:
			return nil
		}
		state[n] = onPath
		path = append(path, n)
		for _, m := range edges(pkgs[n], true, false) {
			if err := visit(m); err != nil {
				return err
			}
		}
		path = path[:len(path)-1]
		state[n] = done
		return nil
	}
	names := make([]string, 0, len(pkgs))
	for n := range pkgs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := visit(n); err != nil {
			t.Fatal(err)
		}
	}
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}
