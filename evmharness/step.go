package evmharness

// One checked step: the comparison of the Go VM and the step contract (DESIGN.md, "The one
// idea"). The Go side has already stepped and produced its pre-state witness plus either its
// post-state or an error; the EVM gets the same witness and must agree:
//
//	Go error            ⇔ step reverts (a reverted call leaves no log)
//	Go post-state P     ⇔ exactly one LOG0 from the step contract with data == P (188 bytes)
//	                      and return value == status-tagged keccak256(log data)

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/tracing"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// stepSelector is step(bytes,bytes,bytes32) (MTCANNON-FACTS 4).
var stepSelector = selector("step(bytes,bytes,bytes32)")

// StepInput is the Go side of one step.
type StepInput struct {
	State []byte // 188-byte pre-state witness
	Proof []byte // thread witness, inner root, memory proofs

	HasPreimage    bool
	PreimageKey    [32]byte
	PreimageOffset uint64
	PreimageValue  []byte
	// OracleCalldata, when set, is used as is to load the part (bundles record it);
	// otherwise it is built from the pre-image fields and Store.
	OracleCalldata []byte
	Store          PreimageStore

	GoPost   []byte // 188-byte post-state, nil when the Go step failed
	GoErr    error  // the Go step's error
	GoThread []byte // the thread that ran, after the step, packed (diagnostics only)
}

// InputFromWitness fills the witness part of a StepInput.
func InputFromWitness(w *fpvm.Witness) *StepInput {
	return &StepInput{
		State: w.State, Proof: w.Proof,
		HasPreimage: w.HasPreimage, PreimageKey: w.PreimageKey,
		PreimageOffset: w.PreimageOffset, PreimageValue: w.PreimageValue,
	}
}

// PreStep is the step counter of the pre-state, or 0 when the witness is too short.
func (in *StepInput) PreStep() uint64 {
	if len(in.State) < 107 {
		return 0
	}
	return binary.BigEndian.Uint64(in.State[99:107])
}

// Log is one log emitted by a call.
type Log struct {
	Address common.Address `json:"address"`
	Topics  []common.Hash  `json:"topics"`
	Data    hexutil.Bytes  `json:"data"`
}

// OracleLoad is the pre-image part load that preceded a step.
type OracleLoad struct {
	Calldata hexutil.Bytes `json:"calldata"`
	Reverted bool          `json:"reverted"`
	Revert   string        `json:"revert,omitempty"`
	Error    string        `json:"error,omitempty"` // the calldata could not be built
	Gas      uint64        `json:"gas"`
}

// EVMOutcome is what the step contract did with the witness.
type EVMOutcome struct {
	Reverted     bool            `json:"reverted"`
	HaltReason   string          `json:"halt_reason,omitempty"` // geth's error (revert, out of gas, …)
	RevertData   hexutil.Bytes   `json:"revert_data,omitempty"`
	RevertReason string          `json:"revert_reason,omitempty"`
	RevertAt     *SourceLocation `json:"revert_at,omitempty"`
	// RevertCalls are the call sites of the internal functions the revert happened in,
	// innermost first (from the source map's jump annotations).
	RevertCalls []*SourceLocation `json:"revert_calls,omitempty"`
	RevertPC    *uint64           `json:"revert_pc,omitempty"`
	Return      hexutil.Bytes     `json:"return,omitempty"`
	Logs        []Log             `json:"logs"`
	Gas         uint64            `json:"gas"`
	Load        *OracleLoad       `json:"oracle_load,omitempty"`
	// Thread is the last 298-byte keccak256 input of the step contract: the thread it hashed
	// into the post-state, recovered by tracing (divergences only).
	Thread hexutil.Bytes `json:"thread,omitempty"`
}

// StepReport is the verdict on one step.
type StepReport struct {
	Step       uint64
	EVM        *EVMOutcome
	Mismatches []string // empty when both sides agree
}

// Agree reports whether both implementations agreed.
func (r *StepReport) Agree() bool { return len(r.Mismatches) == 0 }

// StepCalldata is step(state, proof, LocalContext) in the standard ABI encoding the contract
// requires (state at calldata offset 132, proof at 100+32+padded state length).
func StepCalldata(state, proof []byte) []byte { return appendStepCalldata(nil, state, proof) }

// appendStepCalldata appends step's calldata to out: a session reuses one buffer for every
// step instead of allocating 6 KB each time (the EVM does not keep its input).
func appendStepCalldata(out, state, proof []byte) []byte {
	pad := func(n int) int { return (n + 31) / 32 * 32 }
	out = slices.Grow(out, 4+32*5+pad(len(state))+pad(len(proof)))
	word := func(v uint64) {
		var w [32]byte
		binary.BigEndian.PutUint64(w[24:], v)
		out = append(out, w[:]...)
	}
	out = append(out, stepSelector[:]...)
	word(0x60)
	word(uint64(0x60 + 32 + pad(len(state))))
	out = append(out, LocalContext[:]...)
	word(uint64(len(state)))
	out = append(out, state...)
	out = append(out, make([]byte, pad(len(state))-len(state))...)
	word(uint64(len(proof)))
	out = append(out, proof...)
	out = append(out, make([]byte, pad(len(proof))-len(proof))...)
	return out
}

// CheckStep loads the pre-image part the step reads (if any), calls step with the witness
// and compares the outcome with the Go side.
func (s *Session) CheckStep(in *StepInput) *StepReport {
	rep := &StepReport{Step: in.PreStep(), EVM: &EVMOutcome{}}
	out := rep.EVM
	if in.HasPreimage {
		out.Load = s.loadPart(in)
	}
	s.calldata = appendStepCalldata(s.calldata[:0], in.State, in.Proof)
	calldata := s.calldata
	res := s.Call(s.MIPS, calldata, nil)
	out.Gas = res.Gas
	out.Reverted = res.Reverted
	out.Return = res.Return
	for _, l := range res.Logs {
		out.Logs = append(out.Logs, Log{Address: l.Address, Topics: l.Topics, Data: l.Data})
	}
	if res.Reverted {
		out.HaltReason = res.Err.Error()
		out.RevertData = res.Return
		out.Return = nil
		out.RevertReason = s.decodeRevert(res.Return)
	}
	rep.Mismatches = compare(in, out)
	if res.Reverted || !rep.Agree() {
		s.traceStep(calldata, out)
	}
	return rep
}

func (s *Session) decodeRevert(data []byte) string {
	if s.Contract.ABI != nil || s.OracleA.ABI != nil {
		return DecodeRevert(data, s.Contract.ABI, s.OracleA.ABI)
	}
	return DecodeRevert(data)
}

// loadPart runs the oracle loader for the part the step reads. Loads are repeated even when
// the part is already there: a load is idempotent and it keeps each step self-contained.
func (s *Session) loadPart(in *StepInput) *OracleLoad {
	ld := &OracleLoad{Calldata: in.OracleCalldata}
	if ld.Calldata == nil {
		cd, err := OracleLoadCalldata(in.PreimageKey, in.PreimageOffset, in.PreimageValue, in.Store)
		if err != nil {
			ld.Error = err.Error()
			return ld
		}
		ld.Calldata = cd
	}
	res := s.Call(s.Oracle, ld.Calldata, nil)
	ld.Gas = res.Gas
	if res.Reverted {
		ld.Reverted = true
		ld.Revert = fmt.Sprintf("%v: %s", res.Err, s.decodeRevert(res.Return))
	}
	return ld
}

// compare lists every way the EVM outcome disagrees with the Go side.
func compare(in *StepInput, out *EVMOutcome) []string {
	var m []string
	if in.GoErr != nil {
		if !out.Reverted {
			m = append(m, fmt.Sprintf("Go step failed (%v) but the EVM step succeeded", in.GoErr))
		}
		return m
	}
	if out.Reverted {
		return append(m, fmt.Sprintf("Go step succeeded but the EVM step reverted: %s", out.RevertReason))
	}
	if len(out.Logs) != 1 {
		return append(m, fmt.Sprintf("EVM step emitted %d logs, want exactly 1", len(out.Logs)))
	}
	lg := out.Logs[0]
	if len(lg.Topics) != 0 {
		m = append(m, fmt.Sprintf("EVM log has %d topics, want 0 (LOG0)", len(lg.Topics)))
	}
	if !bytes.Equal(lg.Data, in.GoPost) {
		m = append(m, fmt.Sprintf("post-state differs: EVM log data (%d bytes) != Go post-state (%d bytes)", len(lg.Data), len(in.GoPost)))
	}
	if len(out.Return) != 32 {
		m = append(m, fmt.Sprintf("EVM step returned %d bytes, want 32", len(out.Return)))
	} else if len(lg.Data) == fpvm.StateWitnessSize {
		if h := fpvm.StateHash(lg.Data); !bytes.Equal(out.Return, h[:]) {
			m = append(m, fmt.Sprintf("EVM return value 0x%x != status-tagged hash of its log 0x%x", out.Return, h))
		}
	}
	return m
}

// traceStep re-runs a step that reverted or diverged with an opcode tracer, to find the
// reverting opcode's source line and the thread the contract hashed. It is only done for
// such steps, so the normal path pays nothing for tracing.
func (s *Session) traceStep(calldata []byte, out *EVMOutcome) {
	var lastPC uint64
	var seen bool
	var thread []byte
	var calls []uint64
	sm := s.sourceMap()
	hooks := &tracing.Hooks{
		OnOpcode: func(pc uint64, op byte, _, _ uint64, scope tracing.OpContext, _ []byte, _ int, _ error) {
			if scope.Address() != s.MIPS {
				return
			}
			lastPC, seen = pc, true
			if op == 0x56 { // JUMP
				switch sm.JumpType(pc) {
				case 'i':
					calls = append(calls, pc)
				case 'o':
					if len(calls) > 0 {
						calls = calls[:len(calls)-1]
					}
				}
			}
			if op != 0x20 { // KECCAK256
				return
			}
			st := scope.StackData()
			if len(st) < 2 {
				return
			}
			off, size := st[len(st)-1], st[len(st)-2]
			if !size.IsUint64() || size.Uint64() != fpvm.ThreadWitnessSize || !off.IsUint64() {
				return
			}
			mem := scope.MemoryData()
			if o := off.Uint64(); o+fpvm.ThreadWitnessSize <= uint64(len(mem)) {
				thread = append([]byte(nil), mem[o:o+fpvm.ThreadWitnessSize]...)
			}
		},
	}
	res := s.Call(s.MIPS, calldata, hooks)
	out.Thread = thread
	if res.Reverted && seen {
		pc := lastPC
		out.RevertPC = &pc
		out.RevertAt = sm.Lookup(pc)
		for i := len(calls) - 1; i >= 0 && len(out.RevertCalls) < 16; i-- {
			if loc := sm.Lookup(calls[i]); loc != nil {
				out.RevertCalls = append(out.RevertCalls, loc)
			}
		}
	}
}

func (s *Session) sourceMap() *SourceMap {
	if s.srcMap == nil {
		code := s.db.StateDB.GetCode(s.MIPS)
		sm, err := NewSourceMap(code, s.Contract.DeployedSourceMap, s.Contract.Sources)
		if err != nil || s.Contract.DeployedSourceMap == "" {
			sm = nil
		}
		s.srcMap = sm
	}
	return s.srcMap
}
