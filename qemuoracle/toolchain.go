package qemuoracle

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// Tool names: QEMU's MIPS64 user-mode emulator (Debian qemu-user) and the cross binutils
// (Debian binutils-mips64-linux-gnuabi64).
const (
	toolQemu = "qemu-mips64"
	toolAs   = "mips64-linux-gnuabi64-as"
	toolLd   = "mips64-linux-gnuabi64-ld"
)

// DriverSource is the driver's assembly, relative to the repository root.
const DriverSource = "testdata/qemu/driver.s"

// driverTextBase keeps the driver's own code and data below 2 GiB (see checkLayout).
const driverTextBase = "0x10000000"

// ErrMissingTool is wrapped by errors about absent executables.
var ErrMissingTool = errors.New("missing tool")

// Toolchain is the resolved paths of the external programs.
type Toolchain struct {
	Qemu, As, Ld string
}

// FindToolchain looks the tools up in PATH. A missing one is an error that says how to
// install it: the oracle is part of the test suite, so it fails rather than skips.
func FindToolchain() (Toolchain, error) {
	var tc Toolchain
	for _, t := range []struct {
		name string
		dst  *string
	}{{toolQemu, &tc.Qemu}, {toolAs, &tc.As}, {toolLd, &tc.Ld}} {
		p, err := exec.LookPath(t.name)
		if err != nil {
			return tc, fmt.Errorf("%w: %s not found in PATH: run `make deps` (apt-get install -y qemu-user binutils-mips64-linux-gnuabi64)", ErrMissingTool, t.name)
		}
		*t.dst = p
	}
	return tc, nil
}

// BuildDriver assembles and links the driver into dir and returns the ELF's path. src is
// the assembly file; empty means DriverSource in this repository.
func (tc Toolchain) BuildDriver(src, dir string) (string, error) {
	if src == "" {
		root, err := guests.RepoRoot()
		if err != nil {
			return "", fmt.Errorf("locating the driver source: %w", err)
		}
		src = filepath.Join(root, DriverSource)
	}
	if _, err := os.Stat(src); err != nil {
		return "", fmt.Errorf("driver source: %w", err)
	}
	obj := filepath.Join(dir, "driver.o")
	elf := filepath.Join(dir, "driver.elf")
	if err := runTool(tc.As, "-EB", "-mabi=64", "-march=mips64r2", "--fatal-warnings", "-o", obj, src); err != nil {
		return "", fmt.Errorf("assembling %s: %w", src, err)
	}
	if err := runTool(tc.Ld, "-static", "-nostdlib", "-e", "__start", "-Ttext-segment="+driverTextBase, "-o", elf, obj); err != nil {
		return "", fmt.Errorf("linking the driver: %w", err)
	}
	return elf, nil
}

func runTool(path string, args ...string) error {
	var out bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", filepath.Base(path), err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}
