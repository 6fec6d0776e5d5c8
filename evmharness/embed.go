package evmharness

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
)

//go:generate sh -c "cp ../contracts/artifacts/MIPS64.json ../contracts/artifacts/PreimageOracle.json artifacts/"

// embedded holds the committed build of our step contract and oracle, so the binary runs
// with no files beside it.
//
//go:embed artifacts
var embedded embed.FS

// BuiltinArtifact returns one embedded artifact by contract name (MIPS64 or PreimageOracle).
func BuiltinArtifact(name string) (*Artifact, error) {
	raw, err := embedded.ReadFile("artifacts/" + name + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("built-in contract %s is not embedded in this build (run go generate ./evmharness after make contracts)", name)
	}
	if err != nil {
		return nil, fmt.Errorf("built-in contract %s: %w", name, err)
	}
	return ParseArtifact(name, raw)
}

// NewBuiltinSession deploys our own oracle and step contract.
func NewBuiltinSession() (*Session, error) {
	mips, err := BuiltinArtifact("MIPS64")
	if err != nil {
		return nil, err
	}
	oracle, err := BuiltinArtifact("PreimageOracle")
	if err != nil {
		return nil, err
	}
	s, err := NewSession(mips, oracle)
	if err != nil {
		return nil, err
	}
	s.Builtin = true
	return s, nil
}
