package check

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/evmharness"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/stretchr/testify/require"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// readStep runs one Go step of read(fd 5, buf, 8) with the given pre-image key and offset.
func readStep(t *testing.T, key [32]byte, offset uint64, store evmharness.PreimageStore) *StepInput {
	t.Helper()
	m := memory.New()
	m.SetWord(0x1_0000, 0x0000000C<<32) // syscall
	th := &fpvm.Thread{PC: 0x1_0000, NextPC: 0x1_0004}
	th.Registers[2], th.Registers[4], th.Registers[5], th.Registers[6] = 5000, 5, 0x2_0000, 8
	s := &fpvm.State{Memory: m, NextThreadID: 1, LeftThreadStack: []*fpvm.Thread{th},
		PreimageKey: key, PreimageOffset: offset}
	oracle := fpvm.NewPreimageMap()
	for k, v := range store {
		oracle.Add(k, v)
	}
	w, err := fpvm.New(s, oracle, nil, nil).Step(true)
	require.NoError(t, err)
	require.True(t, w.HasPreimage)
	in := InputFromWitness(OurWitness(w))
	post := s.EncodeWitness()
	in.GoPost, in.Store = post[:], store
	return in
}

func typed(kind byte, h []byte) [32]byte {
	var k [32]byte
	copy(k[:], h)
	k[0] = kind
	return k
}

func TestOracleLoad_EveryKeyTypeAgainstOurOracle(t *testing.T) {
	data := []byte("fpvmdiff pre-image, longer than one 32-byte part of the oracle")

	local := fpvm.LocalKey(7)
	keccakKey := typed(2, crypto.Keccak256(data))
	shaSum := sha256.Sum256(data)
	shaKey := typed(4, shaSum[:])

	// Type 6: sha256 precompile (0x02) of "abc" with a required gas of 100.
	pcInput := append(append(make([]byte, 19), 0x02), binary.BigEndian.AppendUint64(nil, 100)...)
	pcInput = append(pcInput, "abc"...)
	pcKey := typed(6, crypto.Keccak256(pcInput))
	abc := sha256.Sum256([]byte("abc"))
	pcResult := append([]byte{1}, abc[:]...)

	// Type 5: a blob with a few non-zero field elements, opened at z.
	var blob kzg4844.Blob
	for i := 0; i < 8; i++ {
		blob[32*i+31] = byte(i + 1)
	}
	commitment, err := kzg4844.BlobToCommitment(&blob)
	require.NoError(t, err)
	var z kzg4844.Point
	z[31] = 0x2A
	proof, y, err := kzg4844.ComputeProof(&blob, z)
	require.NoError(t, err)
	opening := append(append(append([]byte(nil), commitment[:]...), z[:]...), proof[:]...)
	blobKey := typed(5, crypto.Keccak256(opening[:80]))

	store := evmharness.PreimageStore{
		local:                               data[:20],
		keccakKey:                           data,
		shaKey:                              data,
		pcKey:                               pcResult,
		typed(2, crypto.Keccak256(pcInput)): pcInput,
		blobKey:                             y[:],
		typed(2, crypto.Keccak256(opening)): opening,
	}
	s, err := evmharness.NewBuiltinSession()
	require.NoError(t, err)
	cases := []struct {
		name   string
		key    [32]byte
		offset uint64
	}{
		{"local, length prefix", local, 0},
		{"local, data", local, 8},
		{"keccak256, first data part", keccakKey, 8},
		{"keccak256, last bytes", keccakKey, uint64(8 + len(data) - 3)},
		{"sha256, length prefix", shaKey, 3},
		{"sha256, second part", shaKey, 40},
		{"precompile result", pcKey, 8},
		{"blob point evaluation", blobKey, 8},
		{"blob length prefix", blobKey, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := readStep(t, c.key, c.offset, store)
			rep := CheckStep(s, in)
			require.NotNil(t, rep.EVM.Load)
			require.Empty(t, rep.EVM.Load.Error)
			require.False(t, rep.EVM.Load.Reverted, rep.EVM.Load.Revert)
			require.True(t, rep.Agree(), "%v", rep.Mismatches)
		})
	}
}

func TestOracleLoad_Failures(t *testing.T) {
	t.Run("local data over 32 bytes", func(t *testing.T) {
		_, err := evmharness.OracleLoadCalldata(fpvm.LocalKey(1), 0, make([]byte, 33), nil)
		require.ErrorContains(t, err, "at most 32")
	})
	t.Run("blob without its opening", func(t *testing.T) {
		_, err := evmharness.OracleLoadCalldata(typed(5, make([]byte, 32)), 0, make([]byte, 32), evmharness.PreimageStore{})
		require.ErrorContains(t, err, "commitment ‖ z ‖ proof")
	})
	t.Run("precompile without its input", func(t *testing.T) {
		_, err := evmharness.OracleLoadCalldata(typed(6, make([]byte, 32)), 0, []byte{1}, evmharness.PreimageStore{})
		require.ErrorContains(t, err, "address ‖ requiredGas ‖ input")
	})
	t.Run("type 3 has no loader", func(t *testing.T) {
		_, err := evmharness.OracleLoadCalldata(typed(3, make([]byte, 32)), 0, nil, nil)
		require.ErrorContains(t, err, "type 3")
	})
	t.Run("the step reverts when the part cannot be loaded", func(t *testing.T) {
		key := typed(2, crypto.Keccak256([]byte("x")))
		in := readStep(t, key, 8, evmharness.PreimageStore{key: []byte("x")})
		in.PreimageValue = []byte("y") // the oracle rejects the load: wrong pre-image for the key
		s, err := evmharness.NewBuiltinSession()
		require.NoError(t, err)
		rep := CheckStep(s, in)
		require.False(t, rep.Agree())
		require.Contains(t, rep.Mismatches[0], "EVM step reverted")
	})
}
