package evmharness

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
)

// Artifact is one compiled contract: enough to deploy it, call it, decode its reverts and map
// a program counter back to a Solidity line. Only the creation code is required; the other
// parts make diagnostics better when present.
type Artifact struct {
	Name              string
	ABI               *abi.ABI // nil when the artifact had none (raw bytecode)
	Creation          []byte
	Deployed          []byte
	DeployedSourceMap string
	Sources           map[int]Source // by source-map file index
}

// Source is one file of the compilation that produced an artifact.
type Source struct {
	Path    string
	Content string
}

// artifactJSON accepts both our exported artifacts (contracts/artifacts: bytecode fields are
// hex strings, sources listed) and forge's own out/<File>.sol/<Name>.json (bytecode fields
// are objects with "object" and "sourceMap").
type artifactJSON struct {
	ContractName      string          `json:"contractName"`
	ABI               json.RawMessage `json:"abi"`
	Bytecode          json.RawMessage `json:"bytecode"`
	DeployedBytecode  json.RawMessage `json:"deployedBytecode"`
	DeployedSourceMap string          `json:"deployedSourceMap"`
	Sources           []struct {
		ID      int    `json:"id"`
		Path    string `json:"path"`
		Content string `json:"content"`
	} `json:"sources"`
}

type forgeBytecode struct {
	Object    string `json:"object"`
	SourceMap string `json:"sourceMap"`
}

// ParseArtifact decodes a contract artifact JSON (ours or forge's). name is used in errors.
func ParseArtifact(name string, raw []byte) (*Artifact, error) {
	var aj artifactJSON
	if err := json.Unmarshal(raw, &aj); err != nil {
		return nil, fmt.Errorf("artifact %s: not a contract artifact JSON: %w", name, err)
	}
	a := &Artifact{Name: name, DeployedSourceMap: aj.DeployedSourceMap, Sources: map[int]Source{}}
	if aj.ContractName != "" {
		a.Name = aj.ContractName
	}
	var err error
	var sm string
	if a.Creation, _, err = decodeBytecodeField(aj.Bytecode); err != nil {
		return nil, fmt.Errorf("artifact %s: bytecode: %w", name, err)
	}
	if len(a.Creation) == 0 {
		return nil, fmt.Errorf("artifact %s: no creation bytecode (field \"bytecode\")", name)
	}
	if len(aj.DeployedBytecode) > 0 {
		if a.Deployed, sm, err = decodeBytecodeField(aj.DeployedBytecode); err != nil {
			return nil, fmt.Errorf("artifact %s: deployedBytecode: %w", name, err)
		}
		if a.DeployedSourceMap == "" {
			a.DeployedSourceMap = sm
		}
	}
	if len(aj.ABI) > 0 && string(aj.ABI) != "null" {
		parsed, err := abi.JSON(strings.NewReader(string(aj.ABI)))
		if err != nil {
			return nil, fmt.Errorf("artifact %s: abi: %w", name, err)
		}
		a.ABI = &parsed
	}
	for _, s := range aj.Sources {
		a.Sources[s.ID] = Source{Path: s.Path, Content: s.Content}
	}
	return a, nil
}

// decodeBytecodeField reads a bytecode field that is either a hex string or a forge object.
func decodeBytecodeField(raw json.RawMessage) ([]byte, string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, "", nil
	}
	var s string
	var sourceMap string
	if raw[0] == '{' {
		var fb forgeBytecode
		if err := json.Unmarshal(raw, &fb); err != nil {
			return nil, "", err
		}
		s, sourceMap = fb.Object, fb.SourceMap
	} else if err := json.Unmarshal(raw, &s); err != nil {
		return nil, "", errors.New("want a hex string or an object with \"object\"")
	}
	code, err := decodeHexString(s)
	if err != nil {
		return nil, "", err
	}
	return code, sourceMap, nil
}

// decodeHexString decodes hex with an optional 0x prefix; surrounding white space is ignored
// so that hand-written files with a trailing newline are accepted.
func decodeHexString(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if strings.Contains(s, "__") {
		return nil, errors.New("bytecode has unlinked library placeholders (__...__); link it first")
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not valid hex: %w", err)
	}
	return b, nil
}

// LoadContractFile reads a step contract given with --contract: a contract artifact JSON (ours
// or forge's) or a file holding creation bytecode as hex.
func LoadContractFile(path string) (*Artifact, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("contract file: %w", err)
	}
	trimmed := strings.TrimSpace(string(raw))
	if strings.HasPrefix(trimmed, "{") {
		return ParseArtifact(path, raw)
	}
	code, err := decodeHexString(trimmed)
	if err != nil {
		return nil, fmt.Errorf("contract file %s: neither a JSON artifact nor creation bytecode hex: %w", path, err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("contract file %s: empty bytecode", path)
	}
	return &Artifact{Name: path, Creation: code, Sources: map[int]Source{}}, nil
}
