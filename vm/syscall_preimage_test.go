package vm

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// scKey is an arbitrary pre-image key; PreimageMap serves whatever it is given.
var scKey = [32]byte{0x02, 0xAB, 31: 0xCD}

func scOracle() *PreimageMap {
	m := NewPreimageMap()
	m.Add(scKey, []byte{0x12, 0x34, 0x56, 0x78, 0x98, 0x76, 0x54, 0x32})
	return m
}

func TestSyscall_PreimageRead(t *testing.T) {
	at := func(offset uint64) func(s *State) {
		return func(s *State) {
			s.PreimageKey, s.PreimageOffset = scKey, offset
			s.Memory.SetWord(scData, 0xEEEE_EEEE_FFFF_FFFF)
		}
	}
	read := func(word, v0, offset uint64) func(s *State, th *Thread) {
		return func(s *State, th *Thread) {
			scOK(th, v0)
			s.Memory.SetWord(scData, word)
			s.PreimageOffset = offset
		}
	}
	cases := []scCase{
		// docs/spec.md §7.4 "File descriptors, read and write" worked reads.
		{name: "addr+0 count 3 offset 8", a1: scData, a2: 3, build: at(8), expect: read(0x1234_56EE_FFFF_FFFF, 3, 11)},
		{name: "addr+1 count 2 offset 9", a1: scData + 1, a2: 2, build: at(9), expect: read(0xEE34_56EE_FFFF_FFFF, 2, 11)},
		{name: "addr+2 count 4 offset 12", a1: scData + 2, a2: 4, build: at(12), expect: read(0xEEEE_9876_5432_FFFF, 4, 16)},
		{name: "addr+0 count 15: 8 bytes", a1: scData, a2: 15, build: at(8), expect: read(0x1234_5678_9876_5432, 8, 16)},
		{name: "addr+1 count 15: 7 bytes", a1: scData + 1, a2: 15, build: at(8), expect: read(0xEE12_3456_7898_7654, 7, 15)},
		{name: "offset 15: last byte", a1: scData, a2: 15, build: at(15), expect: read(0x32EE_EEEE_FFFF_FFFF, 1, 16)},
		{name: "count 0", a1: scData, a2: 0, build: at(8), expect: read(0xEEEE_EEEE_FFFF_FFFF, 0, 8)},
		{name: "offset 16 = 8+len faults", a1: scData, a2: 8, build: at(16), fault: FaultPreimageOutOfRange},
		{name: "offset 16 faults even for count 0", a1: scData, a2: 0, build: at(16), fault: FaultPreimageOutOfRange},
		{name: "offset 2^64-1 faults", a1: scData, a2: 8, build: at(0xFFFF_FFFF_FFFF_FFFF), fault: FaultPreimageOutOfRange},
		// The length prefix is served at offsets 0-7.
		{name: "offset 0: length prefix", a1: scData, a2: 8, build: at(0), expect: read(0x0000_0000_0000_0008, 8, 8)},
		{name: "offset 4: end of prefix then data", a1: scData, a2: 8, build: at(4), expect: read(0x0000_0008_1234_5678, 8, 12)},
		{name: "offset 7, addr+5, count 2", a1: scData + 5, a2: 2, build: at(7), expect: read(0xEEEE_EEEE_FF08_12FF, 2, 9)},
		{name: "read clears a reservation on the word", a1: scData + 4, a2: 1, build: func(s *State) {
			at(8)(s)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 1, scData, 0
		}, expect: func(s *State, th *Thread) {
			read(0xEEEE_EEEE_12FF_FFFF, 1, 9)(s, th)
			s.LLReservationStatus, s.LLAddress = 0, 0
		}},
		{name: "count 0 also clears a reservation", a1: scData, a2: 0, build: func(s *State) {
			at(8)(s)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 2, scData+7, 3
		}, expect: func(s *State, th *Thread) {
			read(0xEEEE_EEEE_FFFF_FFFF, 0, 8)(s, th)
			s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 0, 0, 0
		}},
		{name: "unknown key", a1: scData, a2: 8, build: func(s *State) { at(8)(s); s.PreimageKey[5] = 1 }, fault: FaultPreimageMissing},
	}
	for _, c := range cases {
		c.num, c.a0 = 5000, 5
		if c.oracle == nil {
			c.oracle = scOracle()
		}
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
	t.Run("no oracle", func(t *testing.T) {
		scRun(t, scCase{num: 5000, a0: 5, a1: scData, a2: 8, build: at(8), fault: FaultPreimageMissing})
	})
	t.Run("oracle error", func(t *testing.T) {
		scRun(t, scCase{num: 5000, a0: 5, a1: scData, a2: 8, build: at(8), fault: FaultPreimageMissing,
			oracle: errOracle{}})
	})
}

func TestSyscall_PreimageReadEmpty(t *testing.T) {
	empty := NewPreimageMap()
	empty.Add(scKey, nil)
	at := func(offset uint64) func(s *State) {
		return func(s *State) {
			s.PreimageKey, s.PreimageOffset = scKey, offset
			s.Memory.SetWord(scData, 0xEEEE_EEEE_FFFF_FFFF)
		}
	}
	scRun(t, scCase{num: 5000, a0: 5, a1: scData + 3, a2: 8, oracle: empty, build: at(3),
		expect: func(s *State, th *Thread) {
			scOK(th, 5)
			s.Memory.SetWord(scData, 0xEEEE_EE00_0000_0000)
			s.PreimageOffset = 8
		}})
	scRun(t, scCase{num: 5000, a0: 5, a1: scData, a2: 8, oracle: empty, build: at(8), fault: FaultPreimageOutOfRange})
}

func TestSyscall_PreimageKeyWrite(t *testing.T) {
	var preKey [32]byte
	for i := range preKey {
		preKey[i] = byte(i + 1) // 01 02 ... 20
	}
	build := func(s *State) {
		s.PreimageKey, s.PreimageOffset = preKey, 77
		s.Memory.SetWord(scData, 0xA1A2_A3A4_A5A6_A7A8)
		s.LLReservationStatus, s.LLAddress, s.LLOwnerThread = 1, scData, 0 // a key write never clears it
	}
	// keyAfter is the pre-key shifted left by len(tail) bytes with tail appended.
	keyAfter := func(tail ...byte) [32]byte {
		var k [32]byte
		copy(k[:], append(append([]byte(nil), preKey[len(tail):]...), tail...))
		return k
	}
	wrote := func(v0 uint64, key [32]byte) func(s *State, th *Thread) {
		return func(s *State, th *Thread) { scOK(th, v0); s.PreimageKey, s.PreimageOffset = key, 0 }
	}
	cases := []scCase{
		{name: "aligned, 8 bytes", a1: scData, a2: 8, expect: wrote(8, keyAfter(0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8))},
		{name: "aligned, count 32 truncated to 8", a1: scData, a2: 32, expect: wrote(8, keyAfter(0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8))},
		{name: "addr+5, count 8: 3 bytes", a1: scData + 5, a2: 8, expect: wrote(3, keyAfter(0xA6, 0xA7, 0xA8))},
		{name: "addr+2, count 2", a1: scData + 2, a2: 2, expect: wrote(2, keyAfter(0xA3, 0xA4))},
		{name: "addr+7, count 1", a1: scData + 7, a2: 1, expect: wrote(1, keyAfter(0xA8))},
		{name: "count 0 still resets the offset", a1: scData + 3, a2: 0, expect: wrote(0, preKey)},
	}
	for _, c := range cases {
		c.num, c.a0, c.build = 5001, 6, build
		t.Run(c.name, func(t *testing.T) { scRun(t, c) })
	}
	// Four 8-byte writes replace the whole key.
	t.Run("four writes make a full key", func(t *testing.T) {
		s := scState()
		v := New(s, nil, nil, nil)
		for i := uint64(0); i < 4; i++ {
			s.Memory.SetWord(scData+8*i, 0x0101_0101_0101_0101*(i+1))
		}
		for i := uint64(0); i < 4; i++ {
			scSetCall(s, 5001, 6, scData+8*i, 8)
			_, err := v.Step(false)
			require.NoError(t, err)
		}
		want := [32]byte{1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4}
		require.Equal(t, want, s.PreimageKey)
	})
}

func TestSyscall_PreimageOracleCached(t *testing.T) {
	s := scState()
	s.PreimageKey, s.PreimageOffset = scKey, 0
	o := &countingOracle{PreimageMap: scOracle()}
	v := New(s, o, nil, nil)
	for i := 0; i < 2; i++ {
		scSetCall(s, 5000, 5, scData, 8)
		_, err := v.Step(false)
		require.NoError(t, err)
	}
	require.Equal(t, uint64(0x1234_5678_9876_5432), s.Memory.GetWord(scData))
	require.Equal(t, uint64(16), s.PreimageOffset)
	require.Equal(t, 1, o.calls)
}

func TestSyscall_HintsAndOutput(t *testing.T) {
	s := scState()
	// "\x00\x00\x00\x03abc" then "\x00\x00\x00\x02x" in one write, "y" in a second.
	s.Memory.SetBytes(0x3000, []byte{0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 2, 'x', 'y'})
	s.Memory.SetBytes(0x4000, []byte("hello, world!\n"))
	o := NewPreimageMap()
	var stdout, stderr bytes.Buffer
	v := New(s, o, &stdout, &stderr)
	step := func(num, a0, a1, a2 uint64) *Thread {
		scSetCall(s, num, a0, a1, a2)
		_, err := v.Step(false)
		require.NoError(t, err)
		return s.ActiveThread()
	}

	th := step(5001, 4, 0x3000, 12)
	require.Equal(t, uint64(12), th.Registers[2])
	require.Equal(t, uint64(0), th.Registers[7])
	require.Equal(t, [][]byte{[]byte("abc")}, o.Hints)
	require.Equal(t, []byte{0, 0, 0, 2, 'x'}, s.LastHint)

	step(5001, 4, 0x300C, 1)
	require.Equal(t, [][]byte{[]byte("abc"), []byte("xy")}, o.Hints)
	require.Empty(t, s.LastHint)

	// A length prefix split across writes.
	s.Memory.SetBytes(0x3100, []byte{0, 0, 0, 1, 'z'})
	step(5001, 4, 0x3100, 2)
	step(5001, 4, 0x3102, 3)
	require.Equal(t, [][]byte{[]byte("abc"), []byte("xy"), []byte("z")}, o.Hints)
	require.Empty(t, s.LastHint)

	// An empty hint and a zero-length write.
	s.Memory.SetBytes(0x3200, []byte{0, 0, 0, 0})
	step(5001, 4, 0x3200, 4)
	th = step(5001, 4, 0x3200, 0)
	require.Equal(t, uint64(0), th.Registers[2])
	require.Equal(t, [][]byte{[]byte("abc"), []byte("xy"), []byte("z"), {}}, o.Hints)

	th = step(5001, 1, 0x4000, 14)
	require.Equal(t, uint64(14), th.Registers[2])
	th = step(5001, 2, 0x4007, 7)
	require.Equal(t, uint64(7), th.Registers[2])
	require.Equal(t, "hello, world!\n", stdout.String())
	require.Equal(t, "world!\n", stderr.String())
}

func TestSyscall_HintWithoutOracle(t *testing.T) {
	s := scState()
	s.Memory.SetBytes(0x3000, []byte{0, 0, 0, 1, 'a', 0, 0})
	v := New(s, nil, nil, nil)
	scSetCall(s, 5001, 4, 0x3000, 7)
	_, err := v.Step(false)
	require.NoError(t, err)
	require.Equal(t, []byte{0, 0}, s.LastHint)
}

type errOracle struct{}

func (errOracle) Hint([]byte) {}
func (errOracle) GetPreimage([32]byte) ([]byte, error) {
	return nil, errors.New("backend unavailable")
}

type countingOracle struct {
	*PreimageMap
	calls int
}

func (o *countingOracle) GetPreimage(key [32]byte) ([]byte, error) {
	o.calls++
	return o.PreimageMap.GetPreimage(key)
}

// A pre-image file that lacks a key the guest reads stops the run with one message naming
// the key, its type, the step and the thread (issue 11).
func TestSyscall_PreimageMissingMessage(t *testing.T) {
	keccakKey := mustKey(t, keyKeccakABC)
	cases := []struct {
		name string
		key  [32]byte
		want string
	}{
		{"local", LocalKey(3), "key 0x0100000000000000000000000000000000000000000000000000000000000003 (type 1, local input 3): pre-image not found"},
		{"keccak", keccakKey, "key " + keyKeccakABC + " (type 2, keccak256): pre-image not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pre := scState()
			pre.PreimageKey, pre.PreimageOffset = c.key, 0
			pre.ActiveThread().ThreadID = 7
			scSetCall(pre, 5000, 5, scData, 8)
			_, err := New(pre, scOracle(), nil, nil).Step(false)
			var f *Fault
			require.ErrorAs(t, err, &f)
			require.Equal(t, fmt.Sprintf("vm fault at step %d (thread 7, pc 0x%x, insn 0x%08x): pre-image not available: %s",
				scPreStep, scPC, scSyscall, c.want), err.Error())
		})
	}
}

func TestDescribePreimageKey(t *testing.T) {
	high := LocalKey(1)
	high[10] = 1
	cases := []struct {
		key  [32]byte
		want string
	}{
		{LocalKey(1), "type 1, local input 1"},
		{LocalKey(0x0102030405060708), "type 1, local input 72623859790382856"},
		{high, "type 1, local input with a non-zero high part"},
		{[32]byte{2}, "type 2, keccak256"},
		{[32]byte{3}, "type 3, global generic"},
		{[32]byte{4}, "type 4, sha256"},
		{[32]byte{5}, "type 5, blob point evaluation"},
		{[32]byte{6}, "type 6, precompile result"},
		{[32]byte{0}, "type 0, unknown"},
		{[32]byte{0xff}, "type 255, unknown"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, DescribePreimageKey(c.key), "0x%x", c.key)
	}
}
