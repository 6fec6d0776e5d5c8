package vm

import (
	"bytes"
	hexenc "encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ReadPreimageFile loads a JSON object mapping "0x<32-byte key>" to "0x<data>" and checks
// every entry against its key type (see ParsePreimages).
func ReadPreimageFile(path string) (*PreimageMap, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pre-image file: %w", err)
	}
	m, err := ParsePreimages(raw)
	if err != nil {
		return nil, fmt.Errorf("pre-image file %s: %w", path, err)
	}
	return m, nil
}

// ParsePreimages decodes the JSON form of ReadPreimageFile. Accepted key types and their
// checks (docs/spec.md §8.1 "Key types and localization"): 1 local (data at most 32 bytes), 2
// keccak256 and 4 sha256 (key must match the data), 5 blob point evaluation (data exactly 32
// bytes), 6 precompile result (status byte 0 or 1, then the return data). A key may appear
// only once.
func ParsePreimages(raw []byte) (*PreimageMap, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("expected a JSON object mapping keys to data")
	}
	m := NewPreimageMap()
	seen := make(map[[32]byte]string)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("reading key: %w", err)
		}
		keyText, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("unexpected %v where a key was expected", tok)
		}
		var dataText string
		if err := dec.Decode(&dataText); err != nil {
			return nil, fmt.Errorf("key %q: value must be a hex string: %w", keyText, err)
		}
		key, data, err := parsePreimageEntry(keyText, dataText)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", keyText, err)
		}
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("key %s: same key as %s", keyText, first)
		}
		seen[key] = keyText
		m.Add(key, data)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("closing the object: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON object")
	}
	return m, nil
}

func parsePreimageEntry(keyText, dataText string) ([32]byte, []byte, error) {
	var key [32]byte
	kb, err := decodeHex(keyText)
	if err != nil {
		return key, nil, fmt.Errorf("key: %w", err)
	}
	if len(kb) != 32 {
		return key, nil, fmt.Errorf("key is %d bytes, want 32", len(kb))
	}
	copy(key[:], kb)
	data, err := decodeHex(dataText)
	if err != nil {
		return key, nil, fmt.Errorf("data: %w", err)
	}
	if err := checkPreimage(key, data); err != nil {
		return key, nil, err
	}
	return key, data, nil
}

// checkPreimage verifies that data is a pre-image the on-chain oracle could serve for key.
func checkPreimage(key [32]byte, data []byte) error {
	switch key[0] {
	case KeyTypeLocal:
		if len(data) > 32 {
			return fmt.Errorf("local (type 1) data is %d bytes, at most 32 allowed", len(data))
		}
	case KeyTypeKeccak256, KeyTypeSha256:
		want, _ := PreimageKeyFor(key[0], data)
		if want != key {
			name := "keccak256"
			if key[0] == KeyTypeSha256 {
				name = "sha256"
			}
			return fmt.Errorf("type %d key does not match %s of the data (want 0x%x)", key[0], name, want)
		}
	case KeyTypeBlob:
		if len(data) != 32 {
			return fmt.Errorf("blob (type 5) data is %d bytes, want exactly 32", len(data))
		}
	case KeyTypePrecompile:
		if len(data) == 0 {
			return errors.New("precompile (type 6) data is empty, want a status byte then the return data")
		}
		if data[0] > 1 {
			return fmt.Errorf("precompile (type 6) status byte is 0x%02x, want 0 or 1", data[0])
		}
	default:
		return fmt.Errorf("unsupported key type %d (want 1, 2, 4, 5 or 6)", key[0])
	}
	return nil
}

// decodeHex decodes "0x"-prefixed hex with an even number of digits.
func decodeHex(s string) ([]byte, error) {
	digits, ok := strings.CutPrefix(s, "0x")
	if !ok {
		digits, ok = strings.CutPrefix(s, "0X")
	}
	if !ok {
		return nil, fmt.Errorf("%q lacks the 0x prefix", s)
	}
	b, err := hexenc.DecodeString(digits)
	if err != nil {
		return nil, fmt.Errorf("%q is not valid hex: %w", s, err)
	}
	return b, nil
}
