package check

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// perturbed wraps a VM and, right after the step whose pre-state counter is at, applies
// change to its state: a planted difference that lockstep must report at exactly step at.
// It survives Run, so the re-runs of the narrowing see it too.
type perturbed struct {
	VM
	at     uint64
	change func(VM)
}

func perturbOpen(open Open, at uint64, change func(VM)) Open {
	return func(elf []byte, pre *fpvm.PreimageMap, stdout, stderr io.Writer) (VM, error) {
		v, err := open(elf, pre, stdout, stderr)
		if err != nil {
			return nil, err
		}
		return &perturbed{VM: v, at: at, change: change}, nil
	}
}

func (p *perturbed) Step(w bool) (*Witness, error) {
	var v View
	p.VM.View(&v)
	wit, err := p.VM.Step(w)
	if err == nil && v.Step == p.at {
		p.change(p.VM)
	}
	return wit, err
}

func (p *perturbed) Run(n uint64) (uint64, error) {
	var v View
	p.VM.View(&v)
	if v.Step > p.at || v.Step+n <= p.at {
		return p.VM.Run(n)
	}
	k, err := p.VM.Run(p.at - v.Step)
	if err != nil || k < p.at-v.Step {
		return k, err
	}
	if _, err := p.Step(false); err != nil {
		return k, err
	}
	m, err := p.VM.Run(n - k - 1)
	return k + 1 + m, err
}

func ourState(v VM) *fpvm.State { return v.(*ourVM).Inner().State() }

// findStep runs a fresh VM from the start and returns the pre-state view of the first step at
// or after from for which match holds.
func findStep(t *testing.T, open Open, elf []byte, from uint64, match func(*View) bool) View {
	t.Helper()
	v, err := open(elf, nil, nil, nil)
	require.NoError(t, err)
	_, err = v.Run(from)
	require.NoError(t, err)
	var view View
	for {
		v.View(&view)
		require.False(t, view.Exited, "no matching step")
		if match(&view) {
			return view
		}
		_, err := v.Step(false)
		require.NoError(t, err)
	}
}

func TestLockstepOursAgainstOursHello(t *testing.T) {
	elf := guestELF(t, "hello")
	var checkpoints []uint64
	res, err := Lockstep(LockstepConfig{ELF: elf, A: OurVM, B: OurVM, CheckpointEvery: 100_000,
		Progress: func(s uint64) { checkpoints = append(checkpoints, s) }})
	require.NoError(t, err)
	require.Nil(t, res.Divergence)
	require.True(t, res.Exited)
	require.Equal(t, uint8(0), res.ExitCode)
	require.Equal(t, res.End, res.Steps, "every step from 0 compared")
	require.Greater(t, res.Steps, uint64(400_000))
	require.Equal(t, []uint64{100_000, 200_000, 300_000, 400_000, res.End}, checkpoints)
	require.Equal(t, len(checkpoints)+1, res.Checkpoints, "the loaded states, then every checkpoint")

	// The same final hash as our VM alone.
	alone, err := OurVM(elf, nil, nil, nil)
	require.NoError(t, err)
	_, err = alone.Run(^uint64(0))
	require.NoError(t, err)
	require.Equal(t, fpvm.StateHash(alone.EncodeState()), res.FinalHash)
}

// TestLockstepPlantedRegister is the planted difference of issue 12: one register of one VM
// changed right after step N must be reported at exactly step N, with that register.
func TestLockstepPlantedRegister(t *testing.T) {
	elf := guestELF(t, "hello")
	for _, tc := range []struct {
		name string
		at   uint64
		reg  int
		side string
	}{
		{"first step, B", 0, 4, "b"},
		{"mid-run, A", 123_457, 17, "a"},
		{"checkpoint boundary, B", 99_999, 31, "b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			change := func(v VM) { ourState(v).ActiveThread().Registers[tc.reg] ^= 0x100 }
			a, b := Open(OurVM), Open(OurVM)
			if tc.side == "a" {
				a = perturbOpen(OurVM, tc.at, change)
			} else {
				b = perturbOpen(OurVM, tc.at, change)
			}
			res, err := Lockstep(LockstepConfig{ELF: elf, A: a, B: b, CheckpointEvery: 100_000})
			require.NoError(t, err)
			d := res.Divergence
			require.NotNil(t, d)
			require.Equal(t, tc.at, d.Step)
			require.Equal(t, "step", d.Found)
			require.Len(t, d.Fields, 1, "%v", d.Fields)
			require.Equal(t, "regs["+strconv.Itoa(tc.reg)+"]", d.Fields[0].Field)
			require.Len(t, d.PreState, fpvm.StateWitnessSize)
			require.Equal(t, tc.at, binary.BigEndian.Uint64(d.PreState[99:107]), "pre-state is the state before step N")
			require.NotEqual(t, d.StateA, d.StateB)
			require.Len(t, d.ThreadA, fpvm.ThreadWitnessSize)
		})
	}
}

// A difference that no per-step field shows (a memory word the step did not write) is caught
// by the next checkpoint and narrowed down to its step.
func TestLockstepPlantedHiddenMemory(t *testing.T) {
	elf := guestELF(t, "hello")
	const at = 234_567
	// A word of the ELF's text, which no step writes.
	var textAddr uint64
	change := func(v VM) {
		s := ourState(v)
		s.Memory.SetWord(textAddr, s.Memory.GetWord(textAddr)^1)
	}
	view := findStep(t, OurVM, elf, 0, func(*View) bool { return true })
	textAddr = view.PC &^ 7
	for _, every := range []uint64{100_000, 1_000_000, 1000} {
		res, err := Lockstep(LockstepConfig{ELF: elf, A: OurVM, B: perturbOpen(OurVM, at, change), CheckpointEvery: every})
		require.NoError(t, err)
		d := res.Divergence
		require.NotNil(t, d, "every %d", every)
		require.Equal(t, uint64(at), d.Step, "every %d", every)
		require.Equal(t, "checkpoint", d.Found)
		require.Equal(t, []LockstepField{{Field: "memRoot", A: renderField(d.StateA, stateFields[0]), B: renderField(d.StateB, stateFields[0])}}, d.Fields)
	}
}

// A store whose word differs after the step is reported at that step through the watched
// word, before any checkpoint.
func TestLockstepPlantedStoreWord(t *testing.T) {
	elf := guestELF(t, "hello")
	view := findStep(t, OurVM, elf, 50_000, func(v *View) bool { return v.Insn>>26 == 0x3f }) // sd
	ea := (view.Regs[(view.Insn>>21)&31] + uint64(int64(int16(view.Insn)))) &^ 7
	change := func(v VM) {
		s := ourState(v)
		s.Memory.SetWord(ea, s.Memory.GetWord(ea)+1)
	}
	res, err := Lockstep(LockstepConfig{ELF: elf, A: perturbOpen(OurVM, view.Step, change), B: OurVM})
	require.NoError(t, err)
	d := res.Divergence
	require.NotNil(t, d)
	require.Equal(t, view.Step, d.Step)
	require.Equal(t, "step", d.Found)
	require.Len(t, d.Fields, 1)
	require.Equal(t, "mem[0x"+strings.TrimPrefix(hex64(ea), "0x")+"]", d.Fields[0].Field)
}

func TestLockstepRange(t *testing.T) {
	elf := guestELF(t, "hello")
	res, err := Lockstep(LockstepConfig{ELF: elf, A: OurVM, B: OurVM, From: 1000, To: 5000, CheckpointEvery: 1000})
	require.NoError(t, err)
	require.Nil(t, res.Divergence)
	require.Equal(t, uint64(1000), res.From)
	require.Equal(t, uint64(5000), res.End)
	require.Equal(t, uint64(4000), res.Steps)
	require.Equal(t, 5, res.Checkpoints)
	require.False(t, res.Exited)

	// A difference planted before the range start (a text word, which persists) shows in the
	// fast-forwarded states and is narrowed down from the start.
	textAddr := findStep(t, OurVM, elf, 0, func(*View) bool { return true }).PC &^ 7
	change := func(v VM) {
		s := ourState(v)
		s.Memory.SetWord(textAddr, s.Memory.GetWord(textAddr)^1)
	}
	res, err = Lockstep(LockstepConfig{ELF: elf, A: OurVM, B: perturbOpen(OurVM, 10, change), From: 20_000, To: 30_000})
	require.NoError(t, err)
	require.NotNil(t, res.Divergence)
	require.Equal(t, uint64(10), res.Divergence.Step)
	require.Equal(t, "checkpoint", res.Divergence.Found)
}

func TestLockstepBadInput(t *testing.T) {
	elf := guestELF(t, "hello")
	for _, tc := range []struct {
		name string
		cfg  LockstepConfig
		want string
	}{
		{"range past the end", LockstepConfig{ELF: elf, From: 10_000_000}, "past the end of the program"},
		{"empty range", LockstepConfig{ELF: elf, From: 10, To: 10}, "empty range 10:10"},
		{"not an ELF", LockstepConfig{ELF: []byte("not an elf")}, "lockstep: A:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.A, tc.cfg.B = OurVM, OurVM
			_, err := Lockstep(tc.cfg)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// The pre-image guest without its pre-images: both VMs fault alike on the same step, which
// is agreement, not a divergence.
func TestLockstepBothFaultAlike(t *testing.T) {
	elf := guestELF(t, "preimage")
	res, err := Lockstep(LockstepConfig{ELF: elf, A: OurVM, B: OurVM})
	require.NoError(t, err)
	require.Nil(t, res.Divergence)
	require.Contains(t, res.Fault, string(fpvm.FaultPreimageMissing))
}

func TestLockstepBundle(t *testing.T) {
	elf := guestELF(t, "hello")
	change := func(v VM) { ourState(v).ActiveThread().Registers[3] = 42 }
	res, err := Lockstep(LockstepConfig{ELF: elf, A: OurVM, B: perturbOpen(OurVM, 777, change)})
	require.NoError(t, err)
	require.NotNil(t, res.Divergence)
	path, err := WriteLockstepBundle(t.TempDir(), res.Divergence.Bundle("hello.elf", "ours", "ours+planted"))
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var b LockstepBundle
	require.NoError(t, json.Unmarshal(data, &b))
	require.Equal(t, LockstepBundleFormat, b.Format)
	require.Equal(t, uint64(777), b.Step)
	require.Equal(t, "regs[3]", b.Diff[0].Field)
	require.Equal(t, "0x2a", b.Diff[0].B)
	require.Len(t, b.A.State, 2+2*fpvm.StateWitnessSize)
	require.Len(t, b.B.Thread, 2+2*fpvm.ThreadWitnessSize)
	require.Len(t, b.PreState, 2+2*fpvm.StateWitnessSize)
	require.NotEqual(t, b.A.StateHash, b.B.StateHash)
}

// fillView sets every field of v to a non-zero value, whatever fields View gains later.
func fillView(v *View) {
	rv := reflect.ValueOf(v).Elem()
	for i := 0; i < rv.NumField(); i++ {
		fillValue(rv.Field(i))
	}
}

func fillValue(f reflect.Value) {
	switch f.Kind() {
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
		panic("fillView: unhandled kind " + f.Kind().String())
	}
}

// View writes field by field (no clearing literal), so it must overwrite every field: a
// View filled with garbage reads the same as a fresh one, with and without a thread.
func TestViewOverwritesEveryField(t *testing.T) {
	v, err := OurVM(guestELF(t, "hello"), nil, nil, nil)
	require.NoError(t, err)
	_, err = v.Run(1000)
	require.NoError(t, err)
	same := func() {
		var fresh, dirty View
		v.View(&fresh)
		fillView(&dirty)
		v.View(&dirty)
		require.Equal(t, fresh, dirty)
	}
	same()
	st := ourState(v)
	st.LeftThreadStack, st.RightThreadStack = nil, nil
	same()
}

// One VM exiting before the range start is a divergence found by narrowing, not a range past
// the end.
func TestLockstepEarlyExitBeforeRange(t *testing.T) {
	elf := guestELF(t, "hello")
	exit := func(v VM) {
		s := ourState(v)
		s.Exited, s.ExitCode = true, 3
	}
	res, err := Lockstep(LockstepConfig{ELF: elf, A: OurVM, B: perturbOpen(OurVM, 500, exit), From: 20_000, To: 30_000})
	require.NoError(t, err)
	d := res.Divergence
	require.NotNil(t, d)
	require.Equal(t, uint64(500), d.Step)
	require.Equal(t, "checkpoint", d.Found)
	var names []string
	for _, f := range d.Fields {
		names = append(names, f.Field)
	}
	require.Contains(t, names, "exited")
	require.Contains(t, names, "exitCode")
}

// A read syscall's buffer word that differs after the step is reported at that step (the
// read of a pre-image, fd 5, in the pre-image guest).
func TestLockstepPlantedReadBuffer(t *testing.T) {
	elf := guestELF(t, "preimage")
	root, err := guests.RepoRoot()
	require.NoError(t, err)
	pre, err := fpvm.ReadPreimageFile(filepath.Join(root, "testdata", "programs", "preimage", "preimages.json"))
	require.NoError(t, err)
	open := func(elf []byte, _ *fpvm.PreimageMap, stdout, stderr io.Writer) (VM, error) {
		return OurVM(elf, pre, stdout, stderr)
	}
	view := findStep(t, open, elf, 0, func(v *View) bool {
		return v.Insn == 0x0000000c && v.Regs[2] == 5000 && v.Regs[4] == 5 // read(5, buf, n)
	})
	buf := view.Regs[5] &^ 7
	change := func(v VM) {
		s := ourState(v)
		s.Memory.SetWord(buf, s.Memory.GetWord(buf)^0xff)
	}
	res, err := Lockstep(LockstepConfig{ELF: elf, Preimages: pre, A: OurVM, B: perturbOpen(OurVM, view.Step, change)})
	require.NoError(t, err)
	d := res.Divergence
	require.NotNil(t, d)
	require.Equal(t, view.Step, d.Step)
	require.Equal(t, "step", d.Found)
	require.Equal(t, []string{"mem[" + hex64(buf) + "]"}, []string{d.Fields[0].Field})
}
