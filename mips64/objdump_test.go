package mips64

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// GNU binutils for MIPS64 are the outside reader these tests compare with. Missing tools
// fail the test: they are part of what `make deps` installs.

func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found (%v): run `make deps`", name, err)
	}
	return p
}

// objdumpLine is one disassembled word as GNU objdump prints it.
type objdumpLine struct {
	word     uint32
	mnemonic string
	operands string
}

// objdumpAliases maps the names GNU objdump prints even with -M no-aliases to the
// instruction they stand for.
var objdumpAliases = map[string]string{
	"dli": "ori", "dnegu": "dsubu", "negu": "subu", "ror": "rotr", "rorv": "rotrv",
	"dror": "drotr", "dror32": "drotr32", "drorv": "drotrv",
}

// objdump disassembles with GNU objdump (no aliases, n64 register names) and returns
// the lines by address.
func objdump(t *testing.T, args ...string) map[uint64]objdumpLine {
	t.Helper()
	out, err := exec.Command(tool(t, "mips64-linux-gnuabi64-objdump"), append([]string{"-M", "no-aliases,gpr-names=64"}, args...)...).Output()
	require.NoError(t, err)
	m := map[uint64]objdumpLine{}
	for _, line := range strings.Split(string(out), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) < 3 || !strings.HasSuffix(cols[0], ":") {
			continue
		}
		addr, err1 := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(cols[0], ":")), 16, 64)
		word, err2 := strconv.ParseUint(strings.TrimSpace(cols[1]), 16, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		l := objdumpLine{word: uint32(word), mnemonic: strings.TrimSpace(cols[2])}
		if alias, found := objdumpAliases[l.mnemonic]; found {
			l.mnemonic = alias
		}
		if len(cols) > 3 {
			l.operands = strings.TrimSpace(cols[3])
		}
		m[addr] = l
	}
	return m
}

// objdumpWords disassembles raw big-endian words as MIPS64 Release 2 code at address 0.
func objdumpWords(t *testing.T, words []uint32) map[uint64]objdumpLine {
	t.Helper()
	raw := make([]byte, 0, 4*len(words))
	for _, w := range words {
		raw = append(raw, byte(w>>24), byte(w>>16), byte(w>>8), byte(w))
	}
	bin := filepath.Join(t.TempDir(), "words.bin")
	require.NoError(t, os.WriteFile(bin, raw, 0o644))
	return objdump(t, "-D", "-b", "binary", "-m", "mips:isa64r2", "-EB", bin)
}

// comparableNames is false for our placeholder names and objdump's undecodable words.
func comparableNames(ours, theirs string) bool {
	return !strings.Contains(ours, ":") && ours != "msa" && !strings.HasPrefix(ours, "cop") && theirs != ".word" && theirs != ""
}

// Every word of a real Go guest gets the mnemonic GNU objdump gives it.
func TestMnemonicsMatchObjdumpOnAGuest(t *testing.T) {
	lines := objdump(t, "-d", "-z", guests.MustBuild(t, "hello")) // -z: print runs of zero words too
	compared := 0
	for addr, l := range lines {
		ours := Decode(l.word).Mnemonic
		if !comparableNames(ours, l.mnemonic) {
			continue
		}
		require.Equal(t, l.mnemonic, ours, "0x%x: 0x%08x", addr, l.word)
		compared++
	}
	require.Greater(t, compared, len(lines)*999/1000, "words compared")
}

// Every selector word gets objdump's mnemonic where both name it.
func TestSelectorMnemonicsMatchObjdump(t *testing.T) {
	words := selectorWords()
	theirs := objdumpWords(t, words)
	compared := 0
	for i, w := range words {
		ours, their := Decode(w).Mnemonic, theirs[uint64(4*i)].mnemonic
		if !comparableNames(ours, their) {
			continue
		}
		require.Equal(t, their, ours, "0x%08x", w)
		compared++
	}
	// objdump refuses encodings with non-zero reserved fields (these words have rs = rt = 1
	// everywhere); the guest test above covers canonical encodings.
	require.Greater(t, compared, 100)
}
