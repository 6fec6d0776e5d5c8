package vm

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

const helloMain = `//go:debug decoratemappings=0
package main

import "os"

func main() { os.Stdout.WriteString("hello\n") }
`

// TestLoad_GoBinary loads a real GOARCH=mips64 executable and compares every loaded byte
// with what debug/elf reports for the file.
func TestLoad_GoBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a mips64 Go binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(helloMain), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.24\n"), 0o644))
	cmd := exec.Command(goTool, "build", "-o", "hello", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=mips64", "GOMIPS64=softfloat", "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	bin, err := os.ReadFile(filepath.Join(dir, "hello"))
	require.NoError(t, err)

	st, err := Load(bin)
	require.NoError(t, err)

	f, err := elf.NewFile(bytes.NewReader(bin))
	require.NoError(t, err)
	require.Equal(t, f.Entry, st.LeftThreadStack[0].PC)
	require.Equal(t, f.Entry+4, st.LeftThreadStack[0].NextPC)
	loads := 0
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			loads++
		}
		if p.Type == elf.PT_MIPS_ABIFLAGS || p.Memsz == 0 {
			continue
		}
		data := make([]byte, p.Filesz)
		_, err := p.ReadAt(data, 0)
		require.NoError(t, err)
		require.True(t, bytes.Equal(data, st.Memory.ReadBytes(p.Vaddr, int(p.Filesz))), "segment at 0x%x", p.Vaddr)
		bss := min(p.Memsz-p.Filesz, 1<<16)
		require.Equal(t, make([]byte, bss), st.Memory.ReadBytes(p.Vaddr+p.Filesz, int(bss)))
	}
	require.GreaterOrEqual(t, loads, 2, "text and data segments")
	// The first instruction word is where the entry points.
	require.NotZero(t, st.Memory.GetWord(f.Entry&^7))
}
