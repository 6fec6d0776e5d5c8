package fuzz

import (
	"testing"

	"github.com/fpvmdiff/fpvmdiff/vm"
)

// syscallNumbers are the numbers of docs/spec.md §7.2 "Supported syscalls" and §7.3 "No-op
// syscalls", plus neighbours that are not supported (the step must fail on both sides).
var syscallNumbers = []uint64{
	// 6.2
	5009, 5012, 5055, 5205, 5058, 5000, 5001, 5070, 5023, 5034, 5178, 5038, 5002, 5194, 5222, 5313, 5284,
	// 6.3 no-ops
	5011, 5010, 5196, 5027, 5014, 5129, 5013, 5297, 5003, 5016, 5004, 5005, 5247, 5087, 5257, 5015,
	5285, 5287, 5208, 5272, 5061, 5100, 5102, 5026, 5225, 5095, 5008, 5036, 5216, 5217, 5220,
	// unsupported
	5006, 5007, 5017, 5057, 5195, 5314, 4000, 6000, 0, 1<<32 | 5000, ^uint64(0),
}

// syscallInsn is SYSCALL with a random code field (bits 6..25, ignored by both sides).
func syscallInsn(s *source) uint32 {
	if s.oneIn(2) {
		return 0x0C
	}
	return uint32(s.u64())&0x03FF_FFC0 | 0x0C
}

// withPreimage gives the state a pre-image key whose data the Go oracle holds (and the EVM
// harness loads before a read): a type 1, 2 or 4 key of random data, and a pre-image offset
// mostly inside the data, sometimes at or past its end (the read must then fail).
func withPreimage(s *source, st *vm.State) *vm.PreimageMap {
	data := s.bytes(int(s.byte() % 48))
	var key [32]byte
	switch s.byte() % 3 {
	case 0:
		if len(data) > 32 {
			data = data[:32]
		}
		// The ident is derived from the data: local parts stay loaded in the EVM session
		// between inputs, so one ident must never stand for two different data.
		h, _ := vm.PreimageKeyFor(vm.KeyTypeKeccak256, data)
		key = h
		key[0] = vm.KeyTypeLocal
	case 1:
		key, _ = vm.PreimageKeyFor(vm.KeyTypeKeccak256, data)
	default:
		key, _ = vm.PreimageKeyFor(vm.KeyTypeSha256, data)
	}
	m := vm.NewPreimageMap()
	m.Add(key, data)
	st.PreimageKey = key
	end := uint64(len(data)) + 8
	st.PreimageOffset = uint64(s.byte()) % end
	switch {
	case s.oneIn(16):
		st.PreimageOffset = end
	case s.oneIn(32):
		st.PreimageOffset = end + uint64(s.byte())
	}
	return m
}

// FuzzSyscall: every syscall number of the docs/spec.md tables (picked by a fuzz byte) or a raw
// number, with random arguments and memory around the pointer-like ones.
func FuzzSyscall(f *testing.F) {
	for i := range syscallNumbers {
		f.Add(uint8(i), uint64(0), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	}
	f.Add(uint8(255), uint64(5000), []byte{})
	f.Fuzz(checkSyscall)
}

func checkSyscall(t *testing.T, pick uint8, raw uint64, data []byte) {
	num := raw
	if int(pick) < 4*len(syscallNumbers) {
		num = syscallNumbers[int(pick)%len(syscallNumbers)]
	}
	s := newSource(data)
	st, act := genState(s, 4, 5, 6, 7)
	oracle := withPreimage(s, st)
	act.Registers[2] = num
	a0, a1, a2 := s.arg(), s.arg(), s.arg()
	if num == 5000 || num == 5001 || num == 5070 {
		fds := []uint64{0, 1, 2, 3, 4, 5, 6, 7, 100, a0}
		a0 = fds[s.intn(len(fds))]
	}
	act.Registers[4], act.Registers[5], act.Registers[6] = a0, a1, a2
	for _, a := range []uint64{a0, a1} {
		fillWords(s, st.Memory, a)
	}
	if s.oneIn(2) {
		st.LLAddress = []uint64{a0, a1, a1 + 8}[s.intn(3)]
	}
	putInsn(st.Memory, act.PC, syscallInsn(s))
	newStepper(t, st, oracle).step()
}
