package evmharness

// One call of the step contract on a witness: load the pre-image part the step reads, call
// step(state, proof, localContext), and collect what the contract did. Whether that agrees
// with a Go VM is the check package's business.

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/tracing"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// stepSelector is step(bytes,bytes,bytes32) (docs/spec.md §10 "The step() call").
var stepSelector = selector("step(bytes,bytes,bytes32)")

// Part is the pre-image part a step reads; the oracle must hold it before the step call.
type Part struct {
	Key    [32]byte
	Offset uint64 // pre-state offset, counting the 8-byte length prefix
	Value  []byte // the pre-image data, without the length prefix
	// Calldata, when set, is used as is to load the part (bundles record it); otherwise it
	// is built from the fields above and Store.
	Calldata []byte
	Store    PreimageStore
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
	// Executed are the step contract's source lines the step ran, each once, in the order
	// they first ran (divergences and reverts only, when the contract has a source map). The
	// lines carry their text, so a replay without the sources still prints them.
	Executed []*SourceLocation `json:"executed,omitempty"`
}

// maxExecutedLines bounds Executed; a step of our contract runs a few hundred lines.
const maxExecutedLines = 2000

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

// Step loads part into the oracle (when the step reads one) and calls step with the
// witness. The outcome carries no trace: Trace adds it for the steps that need one.
func (s *Session) Step(state, proof []byte, part *Part) *EVMOutcome {
	out := &EVMOutcome{}
	if part != nil {
		out.Load = s.loadPart(part)
	}
	s.calldata = appendStepCalldata(s.calldata[:0], state, proof)
	res := s.Call(s.MIPS, s.calldata, nil)
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
	return out
}

func (s *Session) decodeRevert(data []byte) string {
	if s.Contract.ABI != nil || s.OracleA.ABI != nil {
		return DecodeRevert(data, s.Contract.ABI, s.OracleA.ABI)
	}
	return DecodeRevert(data)
}

// loadPart runs the oracle loader for the part the step reads. Loads are repeated even when
// the part is already there: a load is idempotent and it keeps each step self-contained.
func (s *Session) loadPart(p *Part) *OracleLoad {
	ld := &OracleLoad{Calldata: p.Calldata}
	if ld.Calldata == nil {
		cd, err := OracleLoadCalldata(p.Key, p.Offset, p.Value, p.Store)
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

// Trace re-runs a step that reverted or diverged with an opcode tracer, to find the
// reverting opcode's source line and the thread the contract hashed. The check calls it only
// for such steps, so the normal path pays nothing for tracing. The pre-image part, if any,
// must already be loaded (Step did that).
func (s *Session) Trace(state, proof []byte, out *EVMOutcome) {
	calldata := StepCalldata(state, proof)
	var lastPC uint64
	var seen bool
	var thread []byte
	var calls []uint64
	var executed []*SourceLocation
	lines := map[[2]any]bool{}
	sm := s.sourceMap()
	hooks := &tracing.Hooks{
		OnOpcode: func(pc uint64, op byte, _, _ uint64, scope tracing.OpContext, _ []byte, _ int, _ error) {
			if scope.Address() != s.MIPS {
				return
			}
			lastPC, seen = pc, true
			if sm != nil && len(executed) < maxExecutedLines {
				if loc := sm.Lookup(pc); loc != nil {
					if key := [2]any{loc.File, loc.Line}; !lines[key] {
						lines[key] = true
						executed = append(executed, loc)
					}
				}
			}
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
	out.Executed = executed
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
		code := s.DeployedCode(s.MIPS)
		sm, err := NewSourceMap(code, s.Contract.DeployedSourceMap, s.Contract.Sources)
		if err != nil || s.Contract.DeployedSourceMap == "" {
			sm = nil
		}
		s.srcMap = sm
	}
	return s.srcMap
}
