package mips64

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

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
		{0xEC00_0000, "op:0x3b", Unsupported},
		{0x7000_0003, "special2:0x03", Unsupported},
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
		if op != OpSpecial && op != OpRegimm && op != OpSpecial2 {
			out = append(out, op<<26|1<<21|1<<16|0x10)
		}
	}
	for f := uint32(0); f < 64; f++ {
		out = append(out, base|f, OpSpecial2<<26|base|f)
	}
	for rt := uint32(0); rt < 32; rt++ {
		out = append(out, OpRegimm<<26|1<<21|rt<<16|4)
	}
	return out
}

// stepOnVM runs w at pc 0x10000 as one step of the Go VM, an independent implementation,
// with every register holding 1 except those set by regs.
func stepOnVM(w uint32, regs map[int]uint64) error {
	mem := memory.New()
	const pc = 0x1_0000
	mem.SetWord(pc, uint64(w)<<32)
	th := &vm.Thread{PC: pc, NextPC: pc + 4}
	for r := 1; r < 32; r++ {
		th.Registers[r] = 1
	}
	for r, v := range regs {
		th.Registers[r] = v
	}
	st := &vm.State{Memory: mem, LeftThreadStack: []*vm.Thread{th}, NextThreadID: 1}
	_, err := vm.New(st, nil, nil, nil).Step(false)
	return err
}

func faultKind(err error) vm.FaultKind {
	var fault *vm.Fault
	if errors.As(err, &fault) {
		return fault.Kind
	}
	return ""
}

// The status of every selector agrees with the Go VM: Unsupported exactly when the VM
// faults with an invalid instruction.
func TestStatusAgreesWithTheVM(t *testing.T) {
	for _, w := range selectorWords() {
		if w&0xFC00_003F == 0x0C { // syscall: its number is checked separately
			continue
		}
		err := stepOnVM(w, nil)
		invalid := faultKind(err) == vm.FaultInvalidInstruction
		in := Decode(w)
		require.Equal(t, invalid, in.Status == Unsupported, "0x%08x (%s %s): vm error %v", w, in.Mnemonic, in.Status, err)
	}
}
