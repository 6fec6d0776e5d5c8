// Package guests cross-compiles the guest programs under testdata/programs into MIPS64 ELF
// files, so that any test can get a guest without `make guests` having run first.
//
// Each guest is the main package testdata/programs/<name>; its ELF goes to
// testdata/programs/bin/<name>.elf and is rebuilt only when a source file is newer.
package guests

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// rootModule is the module path that marks the repository root.
const rootModule = "module github.com/fpvmdiff/fpvmdiff\n"

// crossEnv is how every guest is built (docs/spec.md §9.2 "ELF loading").
var crossEnv = []string{"GOOS=linux", "GOARCH=mips64", "GOMIPS64=softfloat", "CGO_ENABLED=0"}

// LinkGODEBUG is the GODEBUG default linked into every guest. The VM fixes the guest's
// environment, so link time is the only place to set it. Since Go 1.26 the runtime trusts
// pages it released with madvise(MADV_DONTNEED) to read back as zeros, as Linux
// guarantees; Cannon's madvise is a no-op, so the reused pages keep stale objects and the
// heap is corrupted ("sweep increased allocation count"). madvdontneed=0 makes the runtime
// zero such pages itself. madvdontneed is a runtime-only setting that //go:debug lines
// reject, hence the linker flag; it also carries decoratemappings=0 (no prctl calls), which
// every guest's //go:debug line asks for too, because -X replaces the go command's default.
const LinkGODEBUG = "decoratemappings=0,madvdontneed=0"

// BuildFlags are the go build flags of every guest, after "go build".
var BuildFlags = []string{"-trimpath", "-ldflags=-X=runtime.godebugDefault=" + LinkGODEBUG}

// buildMu serializes builds inside one process; builds in different processes (go test
// runs packages in parallel) are made safe by writing to a temporary file and renaming.
var buildMu sync.Mutex

// Build returns the path of the ELF for guest name, compiling it first when it is missing
// or older than any of its sources.
func Build(name string) (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return BuildIn(root, name)
}

// BuildIn is Build for the repository at root.
func BuildIn(root, name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\.`) {
		return "", fmt.Errorf("guest name %q: want a directory name under testdata/programs", name)
	}
	progs := filepath.Join(root, "testdata", "programs")
	src := filepath.Join(progs, name)
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		return "", fmt.Errorf("guest %q: no directory %s", name, src)
	}
	out := filepath.Join(progs, "bin", name+".elf")

	buildMu.Lock()
	defer buildMu.Unlock()
	fresh, err := upToDate(out, src, filepath.Join(progs, "go.mod"))
	if fresh && err == nil {
		fresh = builtWithOurFlags(out)
	}
	if err != nil {
		return "", fmt.Errorf("guest %q: %w", name, err)
	}
	if fresh {
		return out, nil
	}
	if err := compile(progs, name, out); err != nil {
		return "", fmt.Errorf("guest %q: %w", name, err)
	}
	return out, nil
}

// List names every guest: the directories under testdata/programs that hold a main.go.
func List() ([]string, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	matches, err := filepath.Glob(filepath.Join(root, "testdata", "programs", "*", "main.go"))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(matches))
	for _, m := range matches {
		names = append(names, filepath.Base(filepath.Dir(m)))
	}
	return names, nil
}

// MustBuild is Build for tests: it fails the test when the guest cannot be built.
func MustBuild(t testing.TB, name string) string {
	t.Helper()
	path, err := Build(name)
	if err != nil {
		t.Fatalf("building guest: %v", err)
	}
	return path
}

// upToDate reports whether out exists and is newer than every file under src and extra.
func upToDate(out, src string, extra ...string) (bool, error) {
	st, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	built := st.ModTime()
	newer := func(mod time.Time) bool { return mod.After(built) }
	for _, p := range extra {
		if st, err := os.Stat(p); err == nil && newer(st.ModTime()) {
			return false, nil
		}
	}
	stale := false
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if newer(info.ModTime()) {
			stale = true
			return fs.SkipAll
		}
		return nil
	})
	return !stale, err
}

// builtWithOurFlags reports whether the ELF holds the GODEBUG default we link in now, so a
// change of LinkGODEBUG rebuilds guests whose sources did not change. (-trimpath keeps
// -ldflags out of the recorded build info, so the string itself is looked for.)
func builtWithOurFlags(elfPath string) bool {
	b, err := os.ReadFile(elfPath)
	return err == nil && bytes.Contains(b, []byte(LinkGODEBUG))
}

// compile runs go build for the guest; the ELF appears at out only when complete.
func compile(progs, name, out string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), name+".*.tmp")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName)

	args := append(append([]string{"build"}, BuildFlags...), "-o", tmpName, "./"+name)
	cmd := exec.Command("go", args...)
	cmd.Dir = progs
	// GOFLAGS from the caller (e.g. -race for host tests) must not reach the cross build.
	cmd.Env = append(os.Environ(), append(crossEnv, "GOFLAGS=", "GOWORK=off")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./%s (in %s): %w\n%s", name, progs, err, stderr.Bytes())
	}
	return os.Rename(tmpName, out)
}

// RepoRoot finds the repository root: the nearest directory at or above the working
// directory whose go.mod declares the fpvmdiff module.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the repository root: %w", err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.HasPrefix(b, []byte(rootModule)) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod of github.com/fpvmdiff/fpvmdiff at or above %s", dir)
		}
	}
}
