package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Machine-readable outputs (--json, --junit, --summary-md, --stats …) are checked before a
// command does any work, so a typo in a path fails in a second instead of after an hour's
// run, and "-" means standard output.

// stdoutPath is the output path that means standard output.
const stdoutPath = "-"

// outputs are the output files one command invocation will write.
type outputs struct {
	list []outputFile
}

type outputFile struct {
	flag, path string
	appends    bool // written by appending (--summary-md), so an existing file must be writable
	dir        bool // a directory the command creates files in (--bundle-dir)
}

// file adds the output file of flag (without dashes); an empty path is no output.
func (o *outputs) file(flag, path string) *outputs {
	if path != "" {
		o.list = append(o.list, outputFile{flag: flag, path: path})
	}
	return o
}

// appendFile adds an output that is appended to, as $GITHUB_STEP_SUMMARY expects.
func (o *outputs) appendFile(flag, path string) *outputs {
	if path != "" {
		o.list = append(o.list, outputFile{flag: flag, path: path, appends: true})
	}
	return o
}

// directory adds a directory the command writes into, created if missing.
func (o *outputs) directory(flag, path string) *outputs {
	if path != "" {
		o.list = append(o.list, outputFile{flag: flag, path: path, dir: true})
	}
	return o
}

// toStdout reports whether some output goes to standard output; the human-readable report
// then goes to standard error so that the machine-readable one stays parseable.
func (o *outputs) toStdout() bool {
	for _, f := range o.list {
		if f.path == stdoutPath && !f.dir {
			return true
		}
	}
	return false
}

// validate checks every output before any work: at most one goes to standard output, no two
// share a file, and each file can be created in its directory. The error names the flag.
func (o *outputs) validate() error {
	seen := map[string]string{}
	for _, f := range o.list {
		if f.path == stdoutPath {
			if f.dir {
				return fmt.Errorf("--%s: a directory cannot be standard output (-)", f.flag)
			}
			if prev, dup := seen[stdoutPath]; dup {
				return fmt.Errorf("--%s - and --%s - both write to standard output: give one of them a FILE", prev, f.flag)
			}
			seen[stdoutPath] = f.flag
			continue
		}
		abs, err := filepath.Abs(f.path)
		if err != nil {
			return fmt.Errorf("--%s %s: %w", f.flag, f.path, err)
		}
		if prev, dup := seen[abs]; dup {
			return fmt.Errorf("--%s and --%s both write %s", prev, f.flag, f.path)
		}
		seen[abs] = f.flag
		if err := f.check(); err != nil {
			return fmt.Errorf("--%s %s: %w", f.flag, f.path, err)
		}
	}
	return nil
}

func (f outputFile) check() error {
	if f.dir {
		return checkCreatableDir(f.path)
	}
	st, err := os.Stat(f.path)
	switch {
	case err == nil && st.IsDir():
		return errors.New("is a directory, want a file")
	case err == nil && f.appends:
		w, err := os.OpenFile(f.path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return fmt.Errorf("cannot append: %w", unwrapPath(err))
		}
		return w.Close()
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return unwrapPath(err)
	}
	return checkWritableDir(filepath.Dir(f.path))
}

// checkWritableDir checks that files can be created in dir, by creating and removing one.
func checkWritableDir(dir string) error {
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("directory %s does not exist", dir)
	}
	if err != nil {
		return unwrapPath(err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	probe, err := os.CreateTemp(dir, ".fpvmdiff-probe-*")
	if err != nil {
		return fmt.Errorf("directory %s is not writable: %w", dir, unwrapPath(err))
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// checkCreatableDir checks that dir exists and is writable, or can be created: its nearest
// existing ancestor is a writable directory.
func checkCreatableDir(dir string) error {
	st, err := os.Stat(dir)
	if err == nil {
		if !st.IsDir() {
			return errors.New("exists and is not a directory")
		}
		return checkWritableDir(dir)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return unwrapPath(err)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if parent == dir {
		return fmt.Errorf("directory %s does not exist", dir)
	}
	if err := checkCreatableDir(parent); err != nil {
		return fmt.Errorf("cannot be created: %w", err)
	}
	return nil
}

// unwrapPath drops the *PathError wrapper, whose path the caller's message already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// writeOutput writes data to path: standard output for "-", else the file replaced
// atomically (written next to it, then renamed), so readers never see a partial file.
func writeOutput(path string, stdout io.Writer, data []byte) error {
	if path == stdoutPath {
		_, err := stdout.Write(data)
		return err
	}
	return writeFileAtomic(path, data)
}

// appendOutput appends data to path (creating it), or writes it to standard output for "-".
func appendOutput(path string, stdout io.Writer, data []byte) error {
	if path == stdoutPath {
		_, err := stdout.Write(data)
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeFileAtomic writes data to path through a temporary file in the same directory and a
// rename.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
