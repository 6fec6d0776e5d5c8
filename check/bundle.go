package check

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/mips64"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// A divergence bundle is one JSON file from which a diverging step can be replayed with no
// ELF and no trace (DESIGN.md, "A divergence bundle").

const (
	BundleFormat = "fpvmdiff-divergence-bundle"
	// BundleVersion is the bundle's schema version, written as both "version" (which
	// version-1 readers check) and "schema_version". Version 2 added the identity fields;
	// version-1 bundles still decode, with an empty identity.
	BundleVersion = 2

	bundleAbout = "One MT-Cannon step (state version 8) on which the Go VM and the EVM step contract " +
		"disagree. witness.state is the 188-byte pre-state, witness.proof the step proof (active " +
		"thread 298 B, inner stack root 32 B, memory proof slots of 1920 B). Replay both sides with " +
		"`fpvmdiff repro FILE`."

	maxBundleProof = 1 << 16 // far above the 6090 bytes of a real proof
	maxBundleCode  = 1 << 20
)

// Bundle is the JSON form of a divergence.
type Bundle struct {
	Format        string `json:"format"`
	Version       int    `json:"version"`
	SchemaVersion int    `json:"schema_version,omitempty"`
	About         string `json:"about"`
	Identity

	Step       uint64   `json:"step"` // pre-state step counter
	Program    string   `json:"program,omitempty"`
	Mismatches []string `json:"mismatches"`

	Witness     BundleWitness          `json:"witness"`
	Contract    BundleContract         `json:"contract"`
	Instruction *BundleInsn            `json:"instruction,omitempty"`
	Go          BundleGo               `json:"go"`
	EVM         *evmharness.EVMOutcome `json:"evm"`
	StateDiff   []FieldDiff            `json:"state_diff"`
	ThreadDiff  []FieldDiff            `json:"thread_diff,omitempty"`
	PreState    []FieldDiff            `json:"pre_state,omitempty"` // decoded pre-state, for reading
	// Opinion is an independent implementation's answer for this step, when one exists.
	Opinion *BundleOpinion `json:"opinion,omitempty"`
	Notes   []string       `json:"notes,omitempty"`
}

// BundleWitness is everything the step consumed.
type BundleWitness struct {
	State        hexutil.Bytes   `json:"state"`
	Proof        hexutil.Bytes   `json:"proof"`
	LocalContext common.Hash     `json:"local_context"`
	Sender       common.Address  `json:"sender"`
	Preimage     *BundlePreimage `json:"preimage,omitempty"`
}

// BundlePreimage is the pre-image part the step read, and the oracle call that loaded it.
type BundlePreimage struct {
	Key            common.Hash   `json:"key"`
	Offset         uint64        `json:"offset"`
	Data           hexutil.Bytes `json:"data"`
	OracleCalldata hexutil.Bytes `json:"oracle_calldata,omitempty"`
}

// BundleContract identifies the EVM side: creation code of the step contract and the oracle,
// so a bundle replays against the same bytecode even after the contracts change.
type BundleContract struct {
	Name           string        `json:"name"`
	Builtin        bool          `json:"builtin"`
	Creation       hexutil.Bytes `json:"creation_code"`
	OracleName     string        `json:"oracle_name"`
	OracleCreation hexutil.Bytes `json:"oracle_creation_code"`
}

// BundleInsn is the instruction the step fetched.
type BundleInsn struct {
	ThreadID uint64 `json:"thread_id"`
	PC       uint64 `json:"pc"`
	// Symbol names PC from the guest ELF's symbol table ("runtime.check+0x168"), when the
	// run had one; a replay prints the recorded name.
	Symbol string `json:"symbol,omitempty"`
	Word   string `json:"word"`
	Disasm string `json:"disasm"`
	Class  string `json:"class,omitempty"`
	// Operands are the inputs the instruction read, decoded from the witness: source
	// registers, HI/LO, the effective address and the memory word there.
	Operands []string `json:"operands,omitempty"`
	// Rule is the docs/spec.md section the instruction follows.
	Rule string `json:"rule,omitempty"`
}

// BundleOpinion is what an implementation independent of both sides says about the step
// (QEMU's MIPS64 for register instructions), and which side it sides with.
type BundleOpinion struct {
	Source string `json:"source"` // "qemu-mips64"
	// SidesWith is "go", "evm", "both", "neither", or "" when there is no opinion.
	SidesWith string `json:"sides_with"`
	Summary   string `json:"summary"` // one line for people
}

// BundleGo is the Go VM's outcome.
type BundleGo struct {
	Error    string        `json:"error,omitempty"`
	Post     hexutil.Bytes `json:"post_state,omitempty"`
	PostHash *common.Hash  `json:"post_hash,omitempty"`
	Thread   hexutil.Bytes `json:"thread,omitempty"` // the thread that ran, after the step
}

// NewBundle assembles the bundle of a step report.
func NewBundle(in *StepInput, rep *StepReport, s *evmharness.Session, class string) *Bundle {
	b := &Bundle{
		Format: BundleFormat, Version: BundleVersion, SchemaVersion: BundleVersion, About: bundleAbout,
		Identity: NewIdentity(nil, s),
		Step:     in.PreStep(), Mismatches: rep.Mismatches, EVM: rep.EVM,
		Witness: BundleWitness{
			State: in.State, Proof: in.Proof, LocalContext: evmharness.LocalContext, Sender: evmharness.Sender,
		},
		Contract: BundleContract{
			Name: DisplayPath(s.Contract.Name), Builtin: s.Builtin, Creation: s.Contract.Creation,
			OracleName: DisplayPath(s.OracleA.Name), OracleCreation: s.OracleA.Creation,
		},
		PreState: DescribeState(in.State),
	}
	if in.HasPreimage {
		b.Witness.Preimage = &BundlePreimage{Key: in.PreimageKey, Offset: in.PreimageOffset, Data: in.PreimageValue}
		if rep.EVM.Load != nil {
			b.Witness.Preimage.OracleCalldata = rep.EVM.Load.Calldata
		}
	}
	b.Instruction = describeInsn(in, class)
	fillGoAndDiff(b, in.GoPost, in.GoErr, in.GoThread)
	return b
}

// fillGoAndDiff records the Go outcome and the decoded differences with the EVM outcome.
func fillGoAndDiff(b *Bundle, post []byte, goErr error, thread []byte) {
	b.Go = BundleGo{Post: post, Thread: thread}
	if goErr != nil {
		b.Go.Error = goErr.Error()
	}
	if len(post) == StateSize {
		h := common.Hash(fpvm.StateHash(post))
		b.Go.PostHash = &h
	}
	b.StateDiff, b.ThreadDiff = nil, nil
	if goErr == nil && b.EVM != nil && !b.EVM.Reverted && len(b.EVM.Logs) > 0 {
		b.StateDiff = DiffStates(post, b.EVM.Logs[0].Data)
	}
	if len(thread) == ThreadSize && len(b.EVM.Thread) == ThreadSize && !bytes.Equal(thread, b.EVM.Thread) {
		b.ThreadDiff = DiffThreads(thread, b.EVM.Thread)
	}
}

// describeInsn decodes the instruction from the witness: the active thread's pc and the
// instruction word from memory proof slot 0.
func describeInsn(in *StepInput, class string) *BundleInsn {
	if len(in.Proof) < ThreadSize+32+32 || len(in.State) != StateSize || in.State[98] != 0 {
		return nil
	}
	th := in.Proof[:ThreadSize]
	pc := binary.BigEndian.Uint64(th[10:])
	if pc&3 != 0 {
		return &BundleInsn{ThreadID: binary.BigEndian.Uint64(th), PC: pc, Disasm: "(misaligned pc)", Class: class}
	}
	leaf := in.Proof[ThreadSize+32 : ThreadSize+64]
	off := pc & 31 &^ 3
	word := binary.BigEndian.Uint32(leaf[off:])
	return &BundleInsn{
		ThreadID: binary.BigEndian.Uint64(th), PC: pc, Word: fmt.Sprintf("0x%08x", word),
		Disasm: mips64.Disassemble(word, pc), Class: class,
		Operands: operands(th, in.Proof, word), Rule: ruleOf(word).String(),
	}
}

// WriteBundle writes b as indented JSON into dir, named by the step, and returns the path.
func WriteBundle(dir string, b *Bundle) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("bundle dir: %w", err)
	}
	path := filepath.Join(dir, fmt.Sprintf("divergence-step-%d.json", b.Step))
	return path, writeBundleTo(path, b)
}

// writeBundleTo writes b as indented JSON to path (its program named portably).
func writeBundleTo(path string, b *Bundle) error {
	b.Program = DisplayPath(b.Program)
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding bundle: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing bundle: %w", err)
	}
	return nil
}

// BundleError is a bundle that cannot be used, with the field at fault.
type BundleError struct {
	Field string
	Msg   string
}

func (e *BundleError) Error() string {
	if e.Field == "" {
		return "corrupt bundle: " + e.Msg
	}
	return fmt.Sprintf("corrupt bundle: %s: %s", e.Field, e.Msg)
}

// DecodeBundle parses and validates a bundle. It never panics; every problem is a
// *BundleError naming the field.
func DecodeBundle(data []byte) (*Bundle, error) {
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&b); err != nil {
		return nil, &BundleError{Msg: fmt.Sprintf("not valid bundle JSON: %v", err)}
	}
	if dec.More() {
		return nil, &BundleError{Msg: "data after the JSON object"}
	}
	if b.Format != BundleFormat {
		return nil, &BundleError{Field: "format", Msg: fmt.Sprintf("is %q, want %q", b.Format, BundleFormat)}
	}
	if b.Version < 1 || b.Version > BundleVersion {
		return nil, &BundleError{Field: "version", Msg: fmt.Sprintf("is %d; this fpvmdiff reads versions 1 to %d", b.Version, BundleVersion)}
	}
	if b.Version >= 2 && b.SchemaVersion != b.Version {
		return nil, &BundleError{Field: "schema_version", Msg: fmt.Sprintf("is %d but version is %d", b.SchemaVersion, b.Version)}
	}
	w := b.Witness
	if len(w.State) != StateSize {
		return nil, &BundleError{Field: "witness.state", Msg: fmt.Sprintf("is %d bytes, want %d", len(w.State), StateSize)}
	}
	if len(w.Proof) > maxBundleProof {
		return nil, &BundleError{Field: "witness.proof", Msg: fmt.Sprintf("is %d bytes, more than %d", len(w.Proof), maxBundleProof)}
	}
	if got := binary.BigEndian.Uint64(w.State[99:]); got != b.Step {
		return nil, &BundleError{Field: "step", Msg: fmt.Sprintf("is %d but the witness state says %d", b.Step, got)}
	}
	if p := w.Preimage; p != nil {
		if len(p.Data) > maxBundleCode || len(p.OracleCalldata) > maxBundleCode {
			return nil, &BundleError{Field: "witness.preimage", Msg: "data or oracle calldata larger than 1 MiB"}
		}
		if len(p.OracleCalldata) > 0 && len(p.OracleCalldata) < 4 {
			return nil, &BundleError{Field: "witness.preimage.oracle_calldata", Msg: "shorter than a selector"}
		}
	}
	c := b.Contract
	if len(c.Creation) == 0 || len(c.Creation) > maxBundleCode {
		return nil, &BundleError{Field: "contract.creation_code", Msg: fmt.Sprintf("is %d bytes, want 1 byte to 1 MiB", len(c.Creation))}
	}
	if len(c.OracleCreation) == 0 || len(c.OracleCreation) > maxBundleCode {
		return nil, &BundleError{Field: "contract.oracle_creation_code", Msg: fmt.Sprintf("is %d bytes, want 1 byte to 1 MiB", len(c.OracleCreation))}
	}
	return &b, nil
}

// ReadBundle reads and decodes a bundle file.
func ReadBundle(path string) (*Bundle, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading bundle: %w", err)
	}
	b, err := DecodeBundle(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// Input rebuilds the step input of the bundle, without the Go outcome.
func (b *Bundle) Input() *StepInput {
	in := &StepInput{State: b.Witness.State, Proof: b.Witness.Proof}
	if p := b.Witness.Preimage; p != nil {
		in.HasPreimage = true
		in.PreimageKey = p.Key
		in.PreimageOffset = p.Offset
		in.PreimageValue = p.Data
		in.OracleCalldata = p.OracleCalldata
		in.Store = evmharness.PreimageStore{p.Key: p.Data}
	}
	return in
}
