package cannon

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/check"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// Proof layout (docs/spec.md "Witness"): thread proof, then three memory proof slots:
// the instruction, then the two data slots.
const (
	slot1 = threadProofSize + memProofSize
	slot2 = slot1 + memProofSize
)

func TestPinnedVersion(t *testing.T) {
	require.Equal(t, uint8(8), uint8(StateVersion), "our VM implements state version 8")
	require.Equal(t, "multithreaded64-5", StateVersion.String())
	// Test binaries carry no dependency list, so go.mod itself is read.
	mod, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	require.Regexp(t, `(?m)^\s*github\.com/ethereum-optimism/optimism `+regexp.QuoteMeta(ModuleVersion)+`$`, string(mod),
		"ModuleVersion names the version go.mod pins")
	require.NotContains(t, string(mod), "op-geth", "upstream go-ethereum, not op-geth")
	require.Equal(t, 188, stateSize)
	require.Equal(t, 6090, proofSize)
}

// ourInner reaches our VM behind check.OurVM.
func ourInner(v check.VM) *fpvm.VM { return v.(interface{ Inner() *fpvm.VM }).Inner() }

// compareWitnesses steps both VMs with witnesses n times from step from and wants the same
// witness: every byte the contract reads. Unused memory proof slots are masked: ours leaves
// them zero, production fills the instruction slot even on a step that runs no instruction
// (a thread switch) and leaves the previous step's proofs in the data slots; the contract
// reads none of them.
// Steps for which only (when not nil) is false run without witnesses. It returns how many
// steps read a pre-image.
func compareWitnesses(t *testing.T, elf []byte, pre *fpvm.PreimageMap, from, n uint64, only func(*check.View) bool) (preimageSteps int) {
	t.Helper()
	ours, err := check.OurVM(elf, pre, nil, nil)
	require.NoError(t, err)
	prod, err := Open(elf, pre, nil, nil)
	require.NoError(t, err)
	if from > 0 {
		_, err = ours.Run(from)
		require.NoError(t, err)
		_, err = prod.Run(from)
		require.NoError(t, err)
	}
	var v check.View
	for i := uint64(0); i < n; i++ {
		ours.View(&v)
		if v.Exited {
			break
		}
		if only != nil && !only(&v) {
			_, err := ours.Step(false)
			require.NoError(t, err)
			_, err = prod.Step(false)
			require.NoError(t, err)
			continue
		}
		wa, err := ours.Step(true)
		require.NoError(t, err)
		wb, err := prod.Step(true)
		require.NoError(t, err)
		at := fmt.Sprintf("step %d", v.Step)
		sameBytes(t, wa.State, wb.State, at+": state")
		require.Len(t, wb.Proof, proofSize, at)
		sameBytes(t, wa.Proof[:threadProofSize], wb.Proof[:threadProofSize], at+": thread proof")
		for _, s := range []int{threadProofSize, slot1, slot2} {
			if !allZero(wa.Proof[s : s+memProofSize]) {
				sameBytes(t, wa.Proof[s:s+memProofSize], wb.Proof[s:s+memProofSize], fmt.Sprintf("%s: memory proof slot at %d", at, s))
			}
		}
		require.Equal(t, wa.HasPreimage, wb.HasPreimage, at)
		if wa.HasPreimage {
			preimageSteps++
			require.Equal(t, wa.PreimageKey, wb.PreimageKey, at)
			require.Equal(t, wa.PreimageValue, wb.PreimageValue, "%s: value without the length prefix", at)
			require.Equal(t, wa.PreimageOffset, wb.PreimageOffset, "%s: offset counting the prefix", at)
		}
	}
	return preimageSteps
}

func allZero(b []byte) bool { return bytes.Count(b, []byte{0}) == len(b) }

// sameBytes fails with the first differing offset rather than two dumps of kilobytes.
func sameBytes(t *testing.T, want, got []byte, what string) {
	t.Helper()
	if bytes.Equal(want, got) {
		return
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	t.Fatalf("%s: %d vs %d bytes, first difference at offset %d", what, len(want), len(got), i)
}

func TestWitnessMatchesOurs(t *testing.T) {
	t.Run("hello start", func(t *testing.T) { compareWitnesses(t, guestELF(t, "hello"), nil, 0, 20_000, nil) })
	t.Run("hello output", func(t *testing.T) { compareWitnesses(t, guestELF(t, "hello"), nil, 440_000, 30_000, nil) })
	t.Run("mt threads", func(t *testing.T) { compareWitnesses(t, guestELF(t, "mt"), nil, 5_000_000, 20_000, nil) })
	t.Run("preimage reads", func(t *testing.T) {
		// The pre-image guest's whole run, with witnesses on every syscall: every pre-image
		// read, of every key type it uses.
		syscall := func(v *check.View) bool { return v.Insn>>26 == 0 && v.Insn&0x3f == 0x0c }
		n := compareWitnesses(t, guestELF(t, "preimage"), guestPreimages(t), 0, 1<<40, syscall)
		require.Greater(t, n, 4, "pre-image reading steps compared")
	})
}

func TestSteppedThreadMatchesProof(t *testing.T) {
	elf := guestELF(t, "mt")
	ours, err := check.OurVM(elf, nil, nil, nil)
	require.NoError(t, err)
	prod, err := Open(elf, nil, nil, nil)
	require.NoError(t, err)
	require.Nil(t, prod.EncodeSteppedThread(), "no step yet")
	for _, to := range []uint64{0, 1000, 3_000_000} {
		var v check.View
		ours.View(&v)
		_, err := ours.Run(to - v.Step)
		require.NoError(t, err)
		_, err = prod.Run(to - v.Step)
		require.NoError(t, err)
		// The thread proof of the next step packs the thread it runs, before it runs.
		before := prod.(*VM).Inner().EncodeThreadProof()[:threadSize]
		_, err = ours.Step(false)
		require.NoError(t, err)
		_, err = prod.Step(false)
		require.NoError(t, err)
		th := prod.EncodeSteppedThread()
		require.Len(t, th, threadSize)
		require.Equal(t, before[:10], th[:10], "same thread id, exit code and flag")
		require.NotEqual(t, before, th, "the thread as it is after the step")
		require.Equal(t, ours.EncodeSteppedThread(), th)
		require.Equal(t, ours.EncodeState(), prod.EncodeState())
	}
}

// A missing pre-image is a fault naming the key, not a crash of the production VM.
func TestMissingPreimageNamesKey(t *testing.T) {
	prod, err := Open(guestELF(t, "preimage"), nil, nil, nil)
	require.NoError(t, err)
	_, err = prod.Run(1 << 40)
	var f *fpvm.Fault
	require.True(t, errors.As(err, &f), "%v", err)
	require.Equal(t, fpvm.FaultPreimageMissing, f.Kind)
	require.ErrorContains(t, err, "0x0100000000000000000000000000000000000000000000000000000000000001")

	// The same through Step with a witness, which also yields the failing step's witness.
	prod, err = Open(guestELF(t, "preimage"), nil, nil, nil)
	require.NoError(t, err)
	_, err = prod.Run(f.Step)
	require.NoError(t, err)
	w, err := prod.Step(true)
	require.ErrorContains(t, err, "0x0100000000000000000000000000000000000000000000000000000000000001")
	require.NotNil(t, w)
	require.Equal(t, f.Step, binary.BigEndian.Uint64(w.State[99:107]), "the failing step's pre-state")
}

// A faulting step still yields the witness of its pre-state, equal to ours where ours is set.
func TestFailedStepWitness(t *testing.T) {
	elf := guestELF(t, "hello")
	for _, tc := range []struct {
		name string
		insn uint32
		kind fpvm.FaultKind
	}{
		{"invalid opcode", 0x4c000000, fpvm.FaultInvalidInstruction},  // COP1X
		{"unknown syscall", 0x0000000c, fpvm.FaultUnsupportedSyscall}, // syscall with $v0 set below
	} {
		t.Run(tc.name, func(t *testing.T) {
			ours, err := check.OurVM(elf, nil, nil, nil)
			require.NoError(t, err)
			prod, err := Open(elf, nil, nil, nil)
			require.NoError(t, err)
			_, err = ours.Run(10_000)
			require.NoError(t, err)
			_, err = prod.Run(10_000)
			require.NoError(t, err)
			// Plant the instruction at the PC in both, and an unknown syscall number.
			st := ourInner(ours).State()
			pc := st.ActiveThread().PC
			word := st.Memory.GetWord(pc &^ 7)
			shift := uint(32)
			if pc&4 != 0 {
				shift = 0
			}
			word = word&^(0xffffffff<<shift) | uint64(tc.insn)<<shift
			st.Memory.SetWord(pc&^7, word)
			st.ActiveThread().Registers[2] = 4999
			ps := prod.(*VM).Inner()
			ps.Memory.SetWord(pc&^7, word)
			prod.(*VM).active().Registers[2] = 4999
			require.Equal(t, ours.EncodeState(), prod.EncodeState())

			wa, errA := ours.Step(true)
			wb, errB := prod.Step(true)
			var fa, fb *fpvm.Fault
			require.True(t, errors.As(errA, &fa), "%v", errA)
			require.True(t, errors.As(errB, &fb), "%v", errB)
			require.Equal(t, tc.kind, fa.Kind)
			require.Equal(t, fa.Kind, fb.Kind, "%v / %v", errA, errB)
			require.Equal(t, fa.Step, fb.Step)
			require.Equal(t, fa.PC, fb.PC)
			require.Equal(t, fa.Insn, fb.Insn)
			require.NotNil(t, wb)
			sameBytes(t, wa.State, wb.State, "state")
			sameBytes(t, wa.Proof[:slot1], wb.Proof[:slot1], "thread and instruction proofs")
		})
	}
}

func TestOpenBadELF(t *testing.T) {
	hello := guestELF(t, "hello")
	littleEndian := bytes.Clone(hello)
	littleEndian[5] = 1 // EI_DATA: ELFDATA2LSB
	for _, tc := range []struct {
		name string
		elf  []byte
		want string
	}{
		{"empty", nil, "not an ELF file"},
		{"text", []byte("hello, world"), "not an ELF file"},
		{"truncated", hello[:40], "not an ELF file"},
		{"little-endian", littleEndian, "production VM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(tc.elf, nil, nil, nil)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// fillValue sets every field reachable in f to a non-zero value.
func fillValue(f reflect.Value) {
	switch f.Kind() {
	case reflect.Struct:
		for i := 0; i < f.NumField(); i++ {
			fillValue(f.Field(i))
		}
	case reflect.Bool:
		f.SetBool(true)
	case reflect.Int, reflect.Int64:
		f.SetInt(-1)
	case reflect.Uint8, reflect.Uint32, reflect.Uint64:
		f.SetUint(^uint64(0) >> (64 - 8*f.Type().Size()))
	case reflect.Array:
		for j := 0; j < f.Len(); j++ {
			fillValue(f.Index(j))
		}
	default:
		panic("fillValue: unhandled kind " + f.Kind().String())
	}
}

// View writes field by field, so it must overwrite every field: a View filled with garbage
// reads the same as a fresh one, with and without an active thread.
func TestViewOverwritesEveryField(t *testing.T) {
	v, err := Open(guestELF(t, "hello"), nil, nil, nil)
	require.NoError(t, err)
	_, err = v.Run(1000)
	require.NoError(t, err)
	same := func() {
		var fresh, dirty check.View
		v.View(&fresh)
		fillValue(reflect.ValueOf(&dirty).Elem())
		v.View(&dirty)
		require.Equal(t, fresh, dirty)
	}
	same()
	s := v.(*VM).Inner()
	s.LeftThreadStack, s.RightThreadStack = nil, nil
	same()
}
