package mips64

import (
	"fmt"
	"math/rand"
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
	"dli": "ori", "dnegu": "dsubu", "negu": "subu", "dneg": "dsub", "neg": "sub", "ror": "rotr", "rorv": "rotrv",
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

// objdumpSyntax rewrites objdump's operand list into the order and shape Disassemble uses
// where the two differ by convention only: JALR with rd = ra omitted, DIV and DIVU with
// objdump's explicit zero destination, BAL for BGEZAL zero, and the aliases objdump prints
// with rs = zero left out (dli for ori, neg and negu for the subtractions).
func objdumpSyntax(l objdumpLine) (string, []string) {
	ops := strings.Split(l.operands, ",")
	if l.operands == "" {
		ops = nil
	}
	switch {
	case l.mnemonic == "jalr" && len(ops) == 1:
		ops = append([]string{"ra"}, ops...)
	case (l.mnemonic == "div" || l.mnemonic == "divu" || l.mnemonic == "ddiv" || l.mnemonic == "ddivu") && len(ops) == 3 && ops[0] == "zero":
		ops = ops[1:]
	case l.mnemonic == "bal":
		return "bgezal", append([]string{"zero"}, ops...)
	case (l.mnemonic == "ori" || l.mnemonic == "sub" || l.mnemonic == "subu" || l.mnemonic == "dsub" || l.mnemonic == "dsubu") && len(ops) == 2:
		ops = []string{ops[0], "zero", ops[1]}
	}
	return l.mnemonic, ops
}

// sameOperand compares one operand: registers by name, numbers by value (objdump writes
// shift amounts in hex, Disassemble in decimal), offset(base) piecewise.
func sameOperand(ours, theirs string) bool {
	if i, j := strings.IndexByte(ours, '('), strings.IndexByte(theirs, '('); i >= 0 && j >= 0 {
		return sameOperand(ours[:i], theirs[:j]) && ours[i:] == theirs[j:]
	}
	a, errA := strconv.ParseInt(ours, 0, 64)
	b, errB := strconv.ParseInt(theirs, 0, 64)
	if errA == nil && errB == nil {
		return a == b
	}
	return ours == theirs
}

// cop1Operands are the encodings whose rt (or hint) objdump names as an FPR or a number,
// where Disassemble writes a GPR name: their mnemonics are still compared.
var cop1Operands = map[string]bool{"lwc1": true, "ldc1": true, "swc1": true, "sdc1": true, "cache": true, "pref": true}

// Disassemble writes what GNU objdump writes, for 64 random canonical words of every
// encoding it knows.
func TestDisassembleMatchesObjdump(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var words []uint32
	for _, e := range Encodings() {
		for range 64 {
			if w := e.Encode(randomFields(e, r)); w != 0 {
				words = append(words, w)
			}
		}
	}
	theirs := objdumpWords(t, words)
	for i, w := range words {
		pc := uint64(4 * i)
		ours := strings.SplitN(Disassemble(w, pc), " ", 2)
		name, ops := objdumpSyntax(theirs[pc])
		require.Equal(t, name, ours[0], "0x%08x: %q vs objdump %+v", w, Disassemble(w, pc), theirs[pc])
		if cop1Operands[name] {
			continue
		}
		var ourOps []string
		if len(ours) == 2 {
			ourOps = strings.Split(ours[1], ", ")
		}
		require.Len(t, ourOps, len(ops), "0x%08x: %q vs objdump %+v", w, Disassemble(w, pc), theirs[pc])
		for k := range ops {
			require.True(t, sameOperand(ourOps[k], ops[k]), "0x%08x: %q vs objdump %+v", w, Disassemble(w, pc), theirs[pc])
		}
	}
	require.Greater(t, len(words), 100*64)
}

// gnuAsSyntax rewrites a Disassemble line for GNU as: registers take a $, a branch target
// becomes relative to the location counter (. = pc in the section at address 0), which as
// resolves without a relocation, and the divisions name their zero destination (without
// it, as expands DIV into a macro with a divide-by-zero check).
func gnuAsSyntax(e Encoding, text string, pc uint64) string {
	name, rest, _ := strings.Cut(text, " ")
	if rest == "" {
		return name
	}
	ops := strings.Split(rest, ", ")
	for i, o := range ops {
		if open := strings.IndexByte(o, '('); open >= 0 {
			ops[i] = o[:open+1] + "$" + o[open+1:]
		} else if _, err := parseReg(o); err == nil {
			ops[i] = "$" + o
		}
	}
	switch name {
	case "div", "divu", "ddiv", "ddivu":
		ops = append([]string{"$zero"}, ops...)
	}
	if e.form == formBr1 || e.form == formBr2 {
		target, _ := strconv.ParseUint(ops[len(ops)-1], 0, 64)
		ops[len(ops)-1] = fmt.Sprintf(".%+d", int64(target-pc))
	}
	return name + " " + strings.Join(ops, ", ")
}

// GNU as encodes what Assemble encodes, for 16 random canonical words of every encoding
// except J/JAL (as leaves absolute jump targets to the linker) and the COP1 loads and
// stores, CACHE and PREF (as wants an FPR or a number where Disassemble writes a GPR).
func TestAssembleMatchesGNUAs(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	var src strings.Builder
	src.WriteString(".set noreorder\n.set noat\n")
	var want []uint32
	for _, e := range Encodings() {
		if e.form == formJump || cop1Operands[e.Name] {
			continue
		}
		for range 16 {
			w := e.Encode(randomFields(e, r))
			pc := uint64(4 * len(want))
			text := Disassemble(w, pc)
			ours, err := Assemble(text, pc)
			require.NoError(t, err, text)
			require.Equal(t, w, ours, text)
			src.WriteString(gnuAsSyntax(e, text, pc) + "\n")
			want = append(want, w)
		}
	}
	dir := t.TempDir()
	asm, obj, bin := filepath.Join(dir, "a.s"), filepath.Join(dir, "a.o"), filepath.Join(dir, "a.bin")
	require.NoError(t, os.WriteFile(asm, []byte(src.String()), 0o644))
	out, err := exec.Command(tool(t, "mips64-linux-gnuabi64-as"), "-EB", "-mabi=64", "-march=mips64r2", "-o", obj, asm).CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(tool(t, "mips64-linux-gnuabi64-objcopy"), "-O", "binary", "-j", ".text", obj, bin).CombinedOutput()
	require.NoError(t, err, "%s", out)
	raw, err := os.ReadFile(bin)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(raw), 4*len(want))
	lines := strings.Split(src.String(), "\n")[2:]
	for i, w := range want {
		got := uint32(raw[4*i])<<24 | uint32(raw[4*i+1])<<16 | uint32(raw[4*i+2])<<8 | uint32(raw[4*i+3])
		require.Equal(t, w, got, "line %q: GNU as 0x%08x, Assemble 0x%08x", lines[i], got, w)
	}
	require.Greater(t, len(want), 100*16)
}
