package elfsym

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// Every sized text symbol GNU nm lists for the hello guest is found at its first
// instruction, its second and its last, with the offsets nm's address and size give; the
// expectations come from nm, not from debug/elf.
func TestLookupAgreesWithGNUNm(t *testing.T) {
	nm, err := exec.LookPath("mips64-linux-gnuabi64-nm")
	if err != nil {
		t.Fatalf("mips64-linux-gnuabi64-nm not found (%v): run `make deps`", err)
	}
	elfPath := guests.MustBuild(t, "hello")
	out, err := exec.Command(nm, "-S", "--defined-only", elfPath).Output()
	require.NoError(t, err)
	image, err := os.ReadFile(elfPath)
	require.NoError(t, err)
	table, err := Load(image)
	require.NoError(t, err)

	checked := 0
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || (f[2] != "T" && f[2] != "t") {
			continue
		}
		addr, err1 := strconv.ParseUint(f[0], 16, 64)
		size, err2 := strconv.ParseUint(f[1], 16, 64)
		require.NoError(t, err1)
		require.NoError(t, err2)
		if size < 8 {
			continue
		}
		name := f[3]
		require.Equal(t, name, table.Lookup(addr), "start of %s", name)
		require.Equal(t, name+"+0x4", table.Lookup(addr+4), "second instruction of %s", name)
		require.Equal(t, fmt.Sprintf("%s+0x%x", name, size-4), table.Lookup(addr+size-4), "last instruction of %s", name)
		checked++
	}
	require.Greater(t, checked, 1000, "nm listed too few functions: wrong guest?")
	require.Equal(t, "", table.Lookup(0), "nothing below the text")
	require.Equal(t, "0x0", table.PC(0))
}

func TestNilAndEmptyTablesNameNothing(t *testing.T) {
	var nilTable *Table
	require.Equal(t, "", nilTable.Lookup(0x10000))
	require.Equal(t, "0x10000", nilTable.PC(0x10000))
	_, err := Load([]byte("not an ELF"))
	require.ErrorContains(t, err, "symbols")
}
