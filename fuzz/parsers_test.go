package fuzz

import (
	"debug/elf"
	"encoding/binary"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/fpvmdiff/fpvmdiff/vm"
)

// miniELF is a big-endian MIPS64 executable with one PT_LOAD segment holding code at
// vaddr, entry at vaddr. Laid out by hand from the ELF64 header and program header formats.
func miniELF(vaddr uint64, code []byte, memsz uint64) []byte {
	const ehsize, phsize = 64, 56
	b := make([]byte, ehsize+phsize, ehsize+phsize+len(code))
	copy(b, []byte{0x7F, 'E', 'L', 'F', byte(elf.ELFCLASS64), byte(elf.ELFDATA2MSB), byte(elf.EV_CURRENT)})
	be := binary.BigEndian
	be.PutUint16(b[16:], uint16(elf.ET_EXEC))
	be.PutUint16(b[18:], uint16(elf.EM_MIPS))
	be.PutUint32(b[20:], uint32(elf.EV_CURRENT))
	be.PutUint64(b[24:], vaddr) // entry
	be.PutUint64(b[32:], ehsize)
	be.PutUint16(b[52:], ehsize)
	be.PutUint16(b[54:], phsize)
	be.PutUint16(b[56:], 1)
	ph := b[ehsize:]
	be.PutUint32(ph[0:], uint32(elf.PT_LOAD))
	be.PutUint32(ph[4:], uint32(elf.PF_R|elf.PF_X))
	be.PutUint64(ph[8:], ehsize+phsize)
	be.PutUint64(ph[16:], vaddr)
	be.PutUint64(ph[24:], vaddr)
	be.PutUint64(ph[32:], uint64(len(code)))
	be.PutUint64(ph[40:], max(memsz, uint64(len(code))))
	be.PutUint64(ph[48:], 0x1000)
	return append(b, code...)
}

func words(ws ...uint32) []byte {
	out := make([]byte, 4*len(ws))
	for i, w := range ws {
		binary.BigEndian.PutUint32(out[4*i:], w)
	}
	return out
}

// FuzzLoadELF: vm.Load on any bytes gives a state or an error (vm.FuzzLoad checks the error
// type); a state that loads is then stepped: its first step against the EVM, then up to 64
// Go steps, each a result or a fault, never a panic.
func FuzzLoadELF(f *testing.F) {
	exit0 := words(0x24020000|5205, 0x24040000, 0x0000000C) // li v0, 5205; li a0, 0; syscall
	f.Add(miniELF(0x1_0000, exit0, 0))
	f.Add(miniELF(0x1_0000, exit0, 0x2000))
	f.Add(miniELF(0x1_0000, words(0x1000FFFF, 0), 0)) // beq zero, zero, -1: a loop
	f.Add(miniELF(0x1_0002, exit0, 0))                // misaligned entry
	f.Add(miniELF(0x1_0000, nil, 0x10))
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := vm.Load(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if st.ThreadCount() != 1 || st.ActiveThread() == nil {
			t.Fatalf("loaded state has %d threads", st.ThreadCount())
		}
		p := newStepper(t, st, vm.NewPreimageMap())
		if p.step() != nil {
			return
		}
		v := vm.New(st, vm.NewPreimageMap(), nil, nil)
		for range 64 {
			if _, err := v.Step(false); err != nil || st.Exited {
				return
			}
		}
	})
}

// FuzzPreimageJSON: vm.ParsePreimages on any bytes gives a map or an error; every entry of
// a map it accepts has a well-formed key for its type.
func FuzzPreimageJSON(f *testing.F) {
	k2, _ := vm.PreimageKeyFor(vm.KeyTypeKeccak256, []byte("hello"))
	k4, _ := vm.PreimageKeyFor(vm.KeyTypeSha256, nil)
	local := vm.LocalKey(7)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"0x` + hexs(k2[:]) + `":"0x68656c6c6f"}`))
	f.Add([]byte(`{"0x` + hexs(k4[:]) + `":"0x", "0x` + hexs(local[:]) + `":"0x0102"}`))
	f.Add([]byte(`{"0x` + hexs(k2[:]) + `":"0x68656c6c6f","0x` + hexs(k2[:]) + `":"0x68656c6c6f"}`))
	f.Add([]byte(`{"0x01":"0x"}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`{"0x` + hexs(local[:]) + `":"0x` + hexs(make([]byte, 33)) + `"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := vm.ParsePreimages(raw)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for key, data := range m.Preimages {
			switch key[0] {
			case vm.KeyTypeKeccak256, vm.KeyTypeSha256:
				want, _ := vm.PreimageKeyFor(key[0], data)
				if want != key {
					t.Fatalf("accepted key 0x%x for data 0x%x, the data's key is 0x%x", key, data, want)
				}
			case vm.KeyTypeLocal:
				if len(data) > 32 {
					t.Fatalf("accepted %d bytes of local data", len(data))
				}
			}
		}
	})
}

func hexs(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

// FuzzWitnessReplay: vm.ReplayWitness on any state and proof bytes gives a post-state or an
// error. Where the EVM can be shown the same input (a 188-byte state whose traverseRight byte
// is 0 or 1: the contract reads any nonzero byte as true, the Go State cannot hold it), the
// step contract must agree: revert on a Go error, else the same post-state.
func FuzzWitnessReplay(f *testing.F) {
	for i := range 6 {
		s := newSource([]byte{byte(i), 3, byte(7 * i), 1, 2, 3, 4, 5, 6, 7, 8, 9})
		st, act := genState(s, 4, 5)
		putInsn(st.Memory, act.PC, []uint32{0x24080005, 0x8CA40000, 0xFCA40000, 0x0C, 0x0C, 0x1000FFFF}[i])
		act.Registers[2] = []uint64{0, 0, 0, 5222, 5023, 0}[i]
		v := vm.New(st, nil, nil, nil)
		w, err := v.Step(true)
		if err != nil {
			w = v.FailedStepWitness()
		}
		f.Add(w.State, w.Proof)
	}
	f.Add(make([]byte, vm.StateWitnessSize), []byte{})
	f.Fuzz(func(t *testing.T, state, proof []byte) {
		rep, err := vm.ReplayWitness(state, proof, nil)
		if err == nil && len(rep.Post) != vm.StateWitnessSize {
			t.Fatalf("replay post-state is %d bytes", len(rep.Post))
		}
		if len(state) != vm.StateWitnessSize || state[115] > 1 {
			return
		}
		in := &check.StepInput{State: state, Proof: proof, GoErr: err}
		if err == nil {
			in.GoPost = rep.Post
		}
		out := check.CheckStep(session(t), in)
		if !out.Agree() {
			t.Fatalf("Go replay and EVM disagree: %v\n%s%s", out.Mismatches, describeOutcome(in, out.EVM), describeInput(in))
		}
	})
}
