package evmharness

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Oracle loader functions (docs/spec.md §8.3 "Loading a part before a step"). The layouts are
// the standard ABI encoding of the signatures below; the oracle reads the bytes length from
// calldata word 0x44, so the encoding must be canonical, which abi.Arguments.Pack produces.
var (
	tUint256 = mustType("uint256")
	tBytes32 = mustType("bytes32")
	tBytes   = mustType("bytes")
	tAddress = mustType("address")
	tUint64  = mustType("uint64")

	loadLocalData = loaderFn("loadLocalData", tUint256, tBytes32, tBytes32, tUint256, tUint256)
	loadKeccak    = loaderFn("loadKeccak256PreimagePart", tUint256, tBytes)
	loadSha256    = loaderFn("loadSha256PreimagePart", tUint256, tBytes)
	loadBlob      = loaderFn("loadBlobPreimagePart", tUint256, tUint256, tBytes, tBytes, tUint256)
	loadPrecomp   = loaderFn("loadPrecompilePreimagePart", tUint256, tAddress, tUint64, tBytes)
)

type loader struct {
	sig  string
	sel  [4]byte
	args abi.Arguments
}

func mustType(t string) abi.Type {
	ty, err := abi.NewType(t, "", nil)
	if err != nil {
		panic(err)
	}
	return ty
}

func loaderFn(name string, types ...abi.Type) loader {
	l := loader{sig: name + "("}
	for i, t := range types {
		if i > 0 {
			l.sig += ","
		}
		l.sig += t.String()
		l.args = append(l.args, abi.Argument{Type: t})
	}
	l.sig += ")"
	l.sel = selector(l.sig)
	return l
}

func (l loader) pack(vals ...any) ([]byte, error) {
	enc, err := l.args.Pack(vals...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.sig, err)
	}
	return append(l.sel[:], enc...), nil
}

// PreimageStore is every pre-image the run knows, by raw key. Types 5 and 6 need more than the
// part itself to be loaded on chain; it is found here (see OracleLoadCalldata).
type PreimageStore map[[32]byte][]byte

// OracleLoadCalldata builds the oracle call that makes the part (key, offset) readable by
// step, for the pre-image data served to the Go VM:
//   - type 1 local: loadLocalData(ident = key without its type byte, LocalContext,
//     data right-padded to 32 bytes, len(data), offset)
//   - type 2 / 4: load{Keccak256,Sha256}PreimagePart(offset, data)
//   - type 5 blob: loadBlobPreimagePart(z, y = data, commitment, proof, offset). commitment,
//     z and the KZG proof come from a type-2 pre-image commitment(48) ‖ z(32) ‖ proof(48)
//     in store, found by keccak256(commitment ‖ z) matching the key.
//   - type 6 precompile: loadPrecompilePreimagePart(offset, address, requiredGas, input),
//     from the type-2 pre-image address(20) ‖ requiredGas(8, big-endian) ‖ input stored
//     under the key with the type byte replaced by 2.
func OracleLoadCalldata(key [32]byte, offset uint64, data []byte, store PreimageStore) ([]byte, error) {
	off := new(big.Int).SetUint64(offset)
	switch key[0] {
	case 1:
		if len(data) > 32 {
			return nil, fmt.Errorf("local pre-image is %d bytes, at most 32 can be loaded", len(data))
		}
		ident := new(big.Int).SetBytes(key[1:])
		var word [32]byte
		copy(word[:], data)
		return loadLocalData.pack(ident, [32]byte(LocalContext), word, big.NewInt(int64(len(data))), off)
	case 2:
		return loadKeccak.pack(off, data)
	case 4:
		return loadSha256.pack(off, data)
	case 5:
		commitment, z, proof, err := findBlobOpening(key, store)
		if err != nil {
			return nil, err
		}
		return loadBlob.pack(new(big.Int).SetBytes(z), new(big.Int).SetBytes(data), commitment, proof, off)
	case 6:
		k2 := key
		k2[0] = 2
		input, ok := store[k2]
		if !ok || len(input) < 28 {
			return nil, fmt.Errorf("precompile pre-image 0x%x: the type-2 pre-image 0x%x holding address ‖ requiredGas ‖ input is missing or shorter than 28 bytes", key, k2)
		}
		return loadPrecomp.pack(off, common.BytesToAddress(input[:20]), binary.BigEndian.Uint64(input[20:28]), input[28:])
	default:
		return nil, fmt.Errorf("pre-image key type %d has no oracle loader", key[0])
	}
}

func findBlobOpening(key [32]byte, store PreimageStore) (commitment, z, proof []byte, err error) {
	for _, d := range store {
		if len(d) != 128 {
			continue
		}
		h := crypto.Keccak256(d[:80])
		if [31]byte(h[1:]) == [31]byte(key[1:]) {
			return d[:48], d[48:80], d[80:], nil
		}
	}
	return nil, nil, nil, fmt.Errorf("blob pre-image 0x%x: no type-2 pre-image commitment ‖ z ‖ proof (128 bytes) with keccak256(commitment ‖ z) matching the key", key)
}
