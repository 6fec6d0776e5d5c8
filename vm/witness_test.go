package vm

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Proof layout (docs/spec.md §10.1 "Selectors and calldata"): thread 298 ‖ inner root 32 ‖
// slot 0 ‖ slot 1 ‖ slot 2.
const (
	witThreadEnd = 298
	witInnerEnd  = 330
	witSlot0     = 330
	witSlot1     = 330 + 1920
	witSlot2     = 330 + 2*1920
)

func witSlot(wit *Witness, i int) []byte {
	off := witSlot0 + i*1920
	return wit.Proof[off : off+1920]
}

// witCheckCommon checks what every executed step's witness holds: the pre-state, the active
// thread, its inner root, and the instruction word at pc&^7 proven against the pre-root.
func witCheckCommon(t *testing.T, wit *Witness, pre [188]byte, preThread Thread, insnWord uint64) {
	t.Helper()
	require.Equal(t, pre[:], wit.State)
	require.Len(t, wit.Proof, 6090)
	enc := EncodeThread(&preThread)
	require.Equal(t, enc[:], wit.Proof[:witThreadEnd], "thread witness is the pre-state thread")

	// keccak256(inner ‖ keccak256(thread)) must be the active stack root of the pre-state.
	var buf [64]byte
	copy(buf[:32], wit.Proof[witThreadEnd:witInnerEnd])
	th := legacyKeccak(enc[:])
	copy(buf[32:], th[:])
	activeRoot := pre[116:148]
	if pre[115] != 0 {
		activeRoot = pre[148:180]
	}
	root := legacyKeccak(buf[:])
	require.Equal(t, activeRoot, root[:], "inner root")

	preRoot := [32]byte(pre[:32])
	word, err := memory.VerifyProof(preRoot, preThread.PC&^7, witSlot(wit, 0))
	require.NoError(t, err, "slot 0")
	require.Equal(t, insnWord, word)
}

func TestWitness_Load(t *testing.T) {
	s := scState()
	s.LeftThreadStack = append([]*Thread{scThread(9, 0x8000)}, s.LeftThreadStack...) // a non-empty inner root
	s.NextThreadID = 10
	th := s.ActiveThread()
	th.PC, th.NextPC = 0x1004, 0x1008 // the lower half of the code word
	const code = 0x0000000C_DD280010  // syscall; ld $8, 16($9)
	s.Memory.SetWord(0x1000, code)
	s.Memory.SetWord(0x2010, 0x0123_4567_89AB_CDEF)
	th.Registers[9] = 0x2000
	pre, preThread := s.EncodeWitness(), *th

	wit, err := New(s, nil, nil, nil).Step(true)
	require.NoError(t, err)
	witCheckCommon(t, wit, pre, preThread, code)
	word, err := memory.VerifyProof([32]byte(pre[:32]), 0x2010, witSlot(wit, 1))
	require.NoError(t, err, "slot 1")
	require.Equal(t, uint64(0x0123_4567_89AB_CDEF), word)
	require.Equal(t, uint64(0x0123_4567_89AB_CDEF), th.Registers[8])
	require.False(t, wit.HasPreimage)
}

func TestWitness_Store(t *testing.T) {
	cases := []struct {
		name       string
		code, insn uint64 // word at 0x1000; the store is in its upper half
		base, addr uint64
	}{
		{"sd to data", 0xFD280008_00000000, 0xFD280008, 0x2000, 0x2008},
		{"sd overwriting its own instruction word", 0xFD280000_0000000C, 0xFD280000, 0x1000, 0x1000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := scState()
			th := s.ActiveThread()
			s.Memory.SetWord(0x1000, c.code)
			if c.addr != 0x1000 {
				s.Memory.SetWord(c.addr, 0x5555_5555_5555_5555)
			}
			th.Registers[9], th.Registers[8] = c.base, 0xFEDC_BA98_7654_3210
			pre, preThread := s.EncodeWitness(), *th
			preWord := s.Memory.GetWord(c.addr)

			wit, err := New(s, nil, nil, nil).Step(true)
			require.NoError(t, err)
			witCheckCommon(t, wit, pre, preThread, c.code)
			word, err := memory.VerifyProof([32]byte(pre[:32]), c.addr, witSlot(wit, 1))
			require.NoError(t, err, "slot 1 against the pre-root")
			require.Equal(t, preWord, word)
			post, err := memory.RootAfterWrite(witSlot(wit, 1), c.addr, 0xFEDC_BA98_7654_3210)
			require.NoError(t, err)
			require.Equal(t, post, s.Memory.Root(), "post root from slot 1 siblings")
		})
	}
}

func TestWitness_ClockGettime(t *testing.T) {
	cases := []struct {
		name string
		a1   uint64
	}{
		{"both words in one leaf", 0x2000},
		{"a1&31 = 24: two leaves", 0x2018},
		{"unaligned a1", 0x200D},
		{"second word wraps to 0", 0xFFFF_FFFF_FFFF_FFF8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := scState()
			s.Step = 30_000_004 // becomes 30_000_005: 3 s, 500 ns
			addr := c.a1 &^ 7
			s.Memory.SetWord(addr, 0x1111_1111_1111_1111)
			s.Memory.SetWord(addr+8, 0x2222_2222_2222_2222)
			scSetCall(s, 5222, 1, c.a1, 0)
			th := s.ActiveThread()
			pre, preThread := s.EncodeWitness(), *th

			wit, err := New(s, nil, nil, nil).Step(true)
			require.NoError(t, err)
			witCheckCommon(t, wit, pre, preThread, scSyscall2)
			word, err := memory.VerifyProof([32]byte(pre[:32]), addr, witSlot(wit, 1))
			require.NoError(t, err, "slot 1 against the pre-root")
			require.Equal(t, uint64(0x1111_1111_1111_1111), word)
			mid, err := memory.RootAfterWrite(witSlot(wit, 1), addr, 3)
			require.NoError(t, err)
			word, err = memory.VerifyProof(mid, addr+8, witSlot(wit, 2))
			require.NoError(t, err, "slot 2 against the intermediate root")
			require.Equal(t, uint64(0x2222_2222_2222_2222), word)
			_, err = memory.VerifyProof([32]byte(pre[:32]), addr+8, witSlot(wit, 2))
			require.Error(t, err, "slot 2 must not match the pre-root when both words share a leaf or path")
			post, err := memory.RootAfterWrite(witSlot(wit, 2), addr+8, 500)
			require.NoError(t, err)
			require.Equal(t, post, s.Memory.Root())
			require.Equal(t, uint64(3), s.Memory.GetWord(addr))
			require.Equal(t, uint64(500), s.Memory.GetWord(addr+8))
		})
	}
}

func TestWitness_PreimageRead(t *testing.T) {
	s := scState()
	s.PreimageKey, s.PreimageOffset = scKey, 9
	s.Memory.SetWord(scData, 0xEEEE_EEEE_FFFF_FFFF)
	scSetCall(s, 5000, 5, scData+1, 2)
	th := s.ActiveThread()
	pre, preThread := s.EncodeWitness(), *th

	wit, err := New(s, scOracle(), nil, nil).Step(true)
	require.NoError(t, err)
	witCheckCommon(t, wit, pre, preThread, scSyscall2)
	word, err := memory.VerifyProof([32]byte(pre[:32]), scData, witSlot(wit, 1))
	require.NoError(t, err)
	require.Equal(t, uint64(0xEEEE_EEEE_FFFF_FFFF), word)
	post, err := memory.RootAfterWrite(witSlot(wit, 1), scData, 0xEE34_56EE_FFFF_FFFF)
	require.NoError(t, err)
	require.Equal(t, post, s.Memory.Root())

	require.True(t, wit.HasPreimage)
	require.Equal(t, scKey, wit.PreimageKey)
	require.Equal(t, []byte{0x12, 0x34, 0x56, 0x78, 0x98, 0x76, 0x54, 0x32}, wit.PreimageValue)
	require.Equal(t, uint64(9), wit.PreimageOffset, "pre-state offset")
	require.Equal(t, uint64(11), s.PreimageOffset)

	// The next step reads nothing from fd 5: no pre-image in its witness.
	scSetCall(s, 5038, 0, 0, 0)
	wit, err = New(s, scOracle(), nil, nil).Step(true)
	require.NoError(t, err)
	require.False(t, wit.HasPreimage)
}

func TestWitness_PreimageKeyWriteAndFutex(t *testing.T) {
	for _, c := range []struct {
		name            string
		num, a0, a1, a2 uint64
		addr            uint64
	}{
		{"key write", 5001, 6, scData + 3, 8, scData},
		{"futex wait", 5194, scData + 4, 128, 7, scData},
		{"getrandom", 5313, scData + 2, 4, 0, scData},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := scState()
			s.Memory.SetWord(c.addr, 0x0000_0000_0000_0007)
			scSetCall(s, c.num, c.a0, c.a1, c.a2)
			pre, preThread := s.EncodeWitness(), *s.ActiveThread()
			wit, err := New(s, nil, nil, nil).Step(true)
			require.NoError(t, err)
			witCheckCommon(t, wit, pre, preThread, scSyscall2)
			word, err := memory.VerifyProof([32]byte(pre[:32]), c.addr, witSlot(wit, 1))
			require.NoError(t, err)
			require.Equal(t, uint64(7), word)
		})
	}
}

func TestWitness_NoProofStepMatchesProofStep(t *testing.T) {
	a, b := scState(), scState()
	for _, s := range []*State{a, b} {
		s.Step = 9_999_999
		scSetCall(s, 5222, 1, 0x2018, 0)
	}
	wit, err := New(a, nil, nil, nil).Step(false)
	require.NoError(t, err)
	require.Nil(t, wit)
	_, err = New(b, nil, nil, nil).Step(true)
	require.NoError(t, err)
	scRequireSameState(t, b, a)
}

func TestFault_Fields(t *testing.T) {
	s := scState()
	th := s.ActiveThread()
	th.ThreadID = 0x2A
	scSetCall(s, 4999, 0, 0, 0)
	_, err := New(s, nil, nil, nil).Step(true)
	var f *Fault
	require.ErrorAs(t, err, &f)
	require.Equal(t, Fault{Kind: FaultUnsupportedSyscall, Step: scPreStep, ThreadID: 0x2A, PC: scPC, Insn: scSyscall,
		Detail: f.Detail}, *f)
	require.Contains(t, f.Detail, "4999")
	require.Contains(t, f.Error(), "unimplemented syscall")
}

// A panic inside a step (here from the oracle) becomes a FaultInternal error.
func TestFault_PanicIsRecovered(t *testing.T) {
	s := scState()
	s.PreimageKey = scKey
	scSetCall(s, 5000, 5, scData, 8)
	var err error
	require.NotPanics(t, func() { _, err = New(s, panicOracle{}, nil, nil).Step(true) })
	var f *Fault
	require.ErrorAs(t, err, &f)
	require.Equal(t, FaultInternal, f.Kind)
	require.Contains(t, f.Detail, "oracle exploded")
}

type panicOracle struct{}

func (panicOracle) Hint([]byte) {}
func (panicOracle) GetPreimage([32]byte) ([]byte, error) {
	panic("oracle exploded")
}
