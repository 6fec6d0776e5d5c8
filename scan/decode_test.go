package scan

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	"github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Encodings written by hand from docs/spec.md §5.2 "Primary opcodes" to §5.5 "REGIMM" and the
// MIPS64 manual.
func TestDecodeKnownWords(t *testing.T) {
	tests := []struct {
		word   uint32
		name   string
		status Status
	}{
		{0x0000_0000, "sll", Supported},       // nop
		{0x0085_1821, "addu", Supported},      // addu v1, a0, a1
		{0x0000_000C, "syscall", Supported},   // syscall
		{0x0000_000F, "sync", Supported},      // sync
		{0x7083_1820, "clz", Supported},       // clz v1, a0
		{0x7083_1824, "dclz", Supported},      // dclz v1, a0 (v7+)
		{0xC082_0000, "ll", Supported},        // ll v0, 0(a0)
		{0xF082_0000, "scd", Supported},       // scd v0, 0(a0)
		{0x0411_0003, "bgezal", Supported},    // bal
		{0x7085_0000, "madd", Unsupported},    // madd a0, a1
		{0x7085_0005, "msubu", Unsupported},   // msubu a0, a1
		{0xCC80_0000, "pref", Unsupported},    // pref 0, 0(a0)
		{0xBC80_0000, "cache", Unsupported},   // cache 0, 0(a0)
		{0x7C82_20C0, "ext", Unsupported},     // ext v0, a0, 3, 5
		{0x7C03_E83B, "rdhwr", Unsupported},   // rdhwr v1, $29
		{0x7C02_1C20, "seb", Unsupported},     // seb v1, v0
		{0x5085_0001, "beql", Unsupported},    // beql a0, a1, +1
		{0x0085_0034, "teq", Unsupported},     // teq a0, a1
		{0x0000_000D, "break", Unsupported},   // break
		{0x4624_1000, "add.d", Unsupported},   // add.d f0, f2, f4
		{0x4480_1000, "mtc1", Unsupported},    // mtc1 zero, f2
		{0x4600_1021, "cvt.d.s", Unsupported}, // cvt.d.s f0, f2
		{0x4622_003C, "c.lt.d", Unsupported},  // c.lt.d f0, f2
		{0x7B00_0007, "msa", Unsupported},     // MSA (Go's memclr)
		{0xF482_0000, "sdc1", Unsupported},    // sdc1 f2, 0(a0)
		{0x0024_1202, "rotr", Deviating},      // rotr v0, a0, 8
		{0x0085_1046, "rotrv", Deviating},     // rotrv v0, a1, a0
		{0x0020_103E, "drotr32", Deviating},   // drotr32 v0, zero, 0
		{0x0482_0003, "bltzl", Deviating},     // REGIMM rt 2
		{0x049F_0000, "synci", Deviating},     // REGIMM rt 31
		{0x0485_0000, "regimm:0x05", Deviating},
		{0x0000_0005, "special:0x05", Unsupported},
	}
	for _, tc := range tests {
		got := Decode(tc.word)
		require.Equal(t, tc.name, got.Mnemonic, "0x%08x", tc.word)
		require.Equal(t, tc.status, got.Status, "0x%08x %s", tc.word, tc.name)
	}
}

// selectorWords is one word per selector value of every table: the 64 primary opcodes,
// the 64 SPECIAL and SPECIAL2 functs and the 32 REGIMM rt values, with register fields
// that keep a VM step well defined (rs = rt = 1 hold 1, so no division by zero).
func selectorWords() []uint32 {
	var out []uint32
	base := uint32(1<<21 | 1<<16 | 3<<11) // rs = 1, rt = 1, rd = 3
	for op := uint32(0); op < 64; op++ {
		if op != 0x00 && op != 0x01 && op != 0x1C {
			out = append(out, op<<26|1<<21|1<<16|0x10)
		}
	}
	for f := uint32(0); f < 64; f++ {
		out = append(out, base|f, 0x1C<<26|base|f)
	}
	for rt := uint32(0); rt < 32; rt++ {
		out = append(out, 0x01<<26|1<<21|rt<<16|4)
	}
	return out
}

// The scanner's decision for every selector agrees with the Go VM, an independent
// implementation: Unsupported exactly when the VM faults with an invalid instruction.
func TestStatusAgreesWithTheVM(t *testing.T) {
	for _, w := range selectorWords() {
		if w&0xFC00_003F == 0x0C { // syscall: its number is checked separately
			continue
		}
		mem := memory.New()
		const pc = 0x1_0000
		mem.SetWord(pc, uint64(w)<<32)
		th := &vm.Thread{PC: pc, NextPC: pc + 4}
		for r := 1; r < 32; r++ {
			th.Registers[r] = 1
		}
		st := &vm.State{Memory: mem, LeftThreadStack: []*vm.Thread{th}, NextThreadID: 1}
		_, err := vm.New(st, nil, nil, nil).Step(false)
		var fault *vm.Fault
		invalid := errors.As(err, &fault) && fault.Kind == vm.FaultInvalidInstruction
		in := Decode(w)
		require.Equal(t, invalid, in.Status == Unsupported, "0x%08x (%s %s): vm error %v", w, in.Mnemonic, in.Status, err)
	}
}

// objdumpAliases maps the names GNU objdump prints even with -M no-aliases to the
// instruction they stand for.
var objdumpAliases = map[string]string{
	"dli": "ori", "dnegu": "dsubu", "negu": "subu", "ror": "rotr", "rorv": "rotrv",
	"dror": "drotr", "dror32": "drotr32", "drorv": "drotrv",
}

// objdumpMnemonics disassembles code with GNU objdump (MIPS64 R2, no aliases) and returns
// the mnemonic per address.
func objdumpMnemonics(t *testing.T, args ...string) map[uint64]string {
	t.Helper()
	tool, err := exec.LookPath("mips64-linux-gnuabi64-objdump")
	if err != nil {
		t.Fatalf("mips64-linux-gnuabi64-objdump not found (%v): run `make deps`", err)
	}
	out, err := exec.Command(tool, append([]string{"-M", "no-aliases"}, args...)...).Output()
	require.NoError(t, err)
	m := map[uint64]string{}
	for _, line := range strings.Split(string(out), "\n") {
		cols := strings.Split(line, "\t")
		addr := strings.TrimSuffix(strings.TrimSpace(cols[0]), ":")
		if len(cols) < 3 || len(addr) == len(strings.TrimSpace(cols[0])) {
			continue
		}
		var a uint64
		for _, c := range addr {
			a = a<<4 | uint64(strings.IndexRune("0123456789abcdef", c))
		}
		m[a] = strings.TrimSpace(cols[2])
	}
	return m
}

// comparable is false for our placeholder names and objdump's undecodable words.
func comparableNames(ours, theirs string) bool {
	return !strings.Contains(ours, ":") && ours != "msa" && !strings.HasPrefix(ours, "cop") && theirs != ".word" && theirs != ""
}

// Every word of a real Go guest gets the mnemonic GNU objdump gives it.
func TestMnemonicsMatchObjdumpOnAGuest(t *testing.T) {
	elfPath := guests.MustBuild(t, "hello")
	theirs := objdumpMnemonics(t, "-d", "-z", elfPath) // -z: print runs of zero words too
	res, err := ScanFile(elfPath, Options{})
	require.NoError(t, err)
	img := mustImage(t, elfPath)
	compared := 0
	for _, r := range img.code {
		for i, w := range r.words {
			addr := r.addr + 4*uint64(i)
			ours, their := Decode(w).Mnemonic, theirs[addr]
			if alias, found := objdumpAliases[their]; found {
				their = alias
			}
			if !comparableNames(ours, their) {
				continue
			}
			require.Equal(t, their, ours, "0x%x: 0x%08x", addr, w)
			compared++
		}
	}
	require.Greater(t, compared, res.Instructions*999/1000, "words compared")
}

// Every selector word gets objdump's mnemonic where both name it.
func TestSelectorMnemonicsMatchObjdump(t *testing.T) {
	words := selectorWords()
	raw := make([]byte, 0, 4*len(words))
	for _, w := range words {
		raw = append(raw, byte(w>>24), byte(w>>16), byte(w>>8), byte(w))
	}
	bin := t.TempDir() + "/sel.bin"
	require.NoError(t, writeFile(bin, raw))
	theirs := objdumpMnemonics(t, "-D", "-b", "binary", "-m", "mips:isa64r2", "-EB", bin)
	compared := 0
	for i, w := range words {
		ours, their := Decode(w).Mnemonic, theirs[uint64(4*i)]
		if alias, found := objdumpAliases[their]; found {
			their = alias
		}
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
