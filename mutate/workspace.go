package mutate

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// extraDirs are untracked build outputs the differential suite needs in every copy.
var extraDirs = []string{"testdata/programs/bin"}

// sharedLinks are big, read-only dependencies linked rather than copied (npm ci per mutant
// would cost minutes; forge only reads them).
var sharedLinks = []string{"node_modules"}

// NewWorkspace copies the working tree of repo (tracked files and untracked, not ignored
// ones, as they are on disk now) into a fresh directory under tmpRoot and returns its path.
// Every file is a real copy: a mutant applied there can never reach repo.
func NewWorkspace(repo, tmpRoot, name string) (string, error) {
	dir, err := os.MkdirTemp(tmpRoot, "mutant-"+name+"-")
	if err != nil {
		return "", fmt.Errorf("workspace for %s: %w", name, err)
	}
	files, err := listFiles(repo)
	if err != nil {
		return "", err
	}
	for _, d := range extraDirs {
		entries, err := os.ReadDir(filepath.Join(repo, d))
		if err != nil {
			continue // the suite reports the missing guest itself
		}
		for _, e := range entries {
			if e.Type().IsRegular() {
				files = append(files, filepath.Join(d, e.Name()))
			}
		}
	}
	for _, f := range files {
		if err := copyFile(filepath.Join(repo, f), filepath.Join(dir, f)); err != nil {
			return "", fmt.Errorf("workspace for %s: %w", name, err)
		}
	}
	for _, l := range sharedLinks {
		src, err := filepath.Abs(filepath.Join(repo, l))
		if err != nil {
			return "", fmt.Errorf("workspace for %s: %w", name, err)
		}
		if _, err := os.Stat(src); err != nil {
			continue
		}
		if err := os.Symlink(src, filepath.Join(dir, l)); err != nil {
			return "", fmt.Errorf("workspace for %s: link %s: %w", name, l, err)
		}
	}
	return dir, nil
}

func listFiles(repo string) ([]string, error) {
	cmd := exec.Command("git", "-C", repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git ls-files in %s: %w: %s", repo, err, strings.TrimSpace(errb.String()))
	}
	var files []string
	seen := map[string]bool{}
	for _, f := range strings.Split(out.String(), "\x00") {
		if f == "" || seen[f] || strings.HasPrefix(f, "node_modules/") {
			continue
		}
		seen[f] = true
		// Deleted in the working tree but still in the index: the copy follows the disk.
		if fi, err := os.Lstat(filepath.Join(repo, f)); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		files = append(files, f)
	}
	return files, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, fi.Mode().Perm())
	if err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	// Keep mtimes: make compares package-lock.json with node_modules' stamp.
	return os.Chtimes(dst, fi.ModTime(), fi.ModTime())
}
