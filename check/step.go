package check

// One checked step: the comparison of a Go VM and the step contract (docs/design.md, "The one
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

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

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
	Store          evmharness.PreimageStore

	GoPost   []byte // 188-byte post-state, nil when the Go step failed
	GoErr    error  // the Go step's error
	GoThread []byte // the thread that ran, after the step, packed (diagnostics only)
}

// InputFromWitness fills the witness part of a StepInput.
func InputFromWitness(w *Witness) *StepInput {
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

// part is the pre-image part the step reads, nil when it reads none.
func (in *StepInput) part() *evmharness.Part {
	if !in.HasPreimage {
		return nil
	}
	return &evmharness.Part{Key: in.PreimageKey, Offset: in.PreimageOffset, Value: in.PreimageValue,
		Calldata: in.OracleCalldata, Store: in.Store}
}

// StepReport is the verdict on one step.
type StepReport struct {
	Step       uint64
	EVM        *evmharness.EVMOutcome
	Mismatches []string // empty when both sides agree
}

// Agree reports whether both implementations agreed.
func (r *StepReport) Agree() bool { return len(r.Mismatches) == 0 }

// CheckStep runs the step contract in s on the witness of in and compares the outcome with
// the Go side. A step that reverted or diverged is traced (source line, hashed thread).
func CheckStep(s *evmharness.Session, in *StepInput) *StepReport {
	out := s.Step(in.State, in.Proof, in.part())
	rep := &StepReport{Step: in.PreStep(), EVM: out, Mismatches: compare(in, out)}
	if out.Reverted || !rep.Agree() {
		s.Trace(in.State, in.Proof, out)
	}
	return rep
}

// compare lists every way the EVM outcome disagrees with the Go side.
func compare(in *StepInput, out *evmharness.EVMOutcome) []string {
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
