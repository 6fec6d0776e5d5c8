package vm

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/vm/internal/keccak"
)

// Pre-image key types: the first byte of a key (docs/spec.md §8.1 "Key types and localization").
const (
	KeyTypeLocal         = 1
	KeyTypeKeccak256     = 2
	KeyTypeGlobalGeneric = 3
	KeyTypeSha256        = 4
	KeyTypeBlob          = 5
	KeyTypePrecompile    = 6
)

// ErrPreimageNotFound is returned by PreimageMap for a key it does not hold.
var ErrPreimageNotFound = errors.New("pre-image not found")

// PreimageMap is an in-memory PreimageOracle: pre-images by raw key, and every complete hint
// the guest wrote, in order.
type PreimageMap struct {
	Preimages map[[32]byte][]byte
	Hints     [][]byte
}

// NewPreimageMap returns an empty oracle.
func NewPreimageMap() *PreimageMap {
	return &PreimageMap{Preimages: make(map[[32]byte][]byte)}
}

// Add stores data under key.
func (m *PreimageMap) Add(key [32]byte, data []byte) {
	if m.Preimages == nil {
		m.Preimages = make(map[[32]byte][]byte)
	}
	m.Preimages[key] = data
}

// GetPreimage implements PreimageOracle.
func (m *PreimageMap) GetPreimage(key [32]byte) ([]byte, error) {
	data, ok := m.Preimages[key]
	if !ok {
		return nil, fmt.Errorf("key 0x%x: %w", key, ErrPreimageNotFound)
	}
	return data, nil
}

// Hint implements PreimageOracle. The VM may reuse the hint's buffer, so it is copied.
func (m *PreimageMap) Hint(hint []byte) {
	m.Hints = append(m.Hints, append(make([]byte, 0, len(hint)), hint...))
}

// DescribePreimageKey names the type of a raw key for messages: "type 2, keccak256", or for
// a local key its index, "type 1, local input 3" (the index is the key's last 8 bytes).
func DescribePreimageKey(key [32]byte) string {
	switch key[0] {
	case KeyTypeLocal:
		for _, b := range key[1:24] {
			if b != 0 {
				return "type 1, local input with a non-zero high part"
			}
		}
		return fmt.Sprintf("type 1, local input %d", binary.BigEndian.Uint64(key[24:]))
	case KeyTypeKeccak256:
		return "type 2, keccak256"
	case KeyTypeGlobalGeneric:
		return "type 3, global generic"
	case KeyTypeSha256:
		return "type 4, sha256"
	case KeyTypeBlob:
		return "type 5, blob point evaluation"
	case KeyTypePrecompile:
		return "type 6, precompile result"
	}
	return fmt.Sprintf("type %d, unknown", key[0])
}

// PreimageKeyFor derives the key of data for the content-addressed key types: keccak256
// (type 2) and sha256 (type 4), each hash with its first byte replaced by the type.
func PreimageKeyFor(keyType byte, data []byte) ([32]byte, error) {
	var key [32]byte
	switch keyType {
	case KeyTypeKeccak256:
		key = keccak.Sum256(data)
	case KeyTypeSha256:
		key = sha256.Sum256(data)
	default:
		return key, fmt.Errorf("pre-image key type %d is not derived from its data (only types 2 and 4 are)", keyType)
	}
	key[0] = keyType
	return key, nil
}

// LocalKey is the raw type-1 key of a local input: 0x01 followed by ident as a 31-byte
// big-endian number. The on-chain oracle localizes it; the Go VM uses it as is.
func LocalKey(ident uint64) [32]byte {
	var key [32]byte
	key[0] = KeyTypeLocal
	binary.BigEndian.PutUint64(key[24:], ident)
	return key
}
