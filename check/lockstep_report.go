package check

import (
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// LockstepSummary is the JSON form of a lockstep run (--json).
type LockstepSummary struct {
	Program         string          `json:"program"`
	A               string          `json:"a"`
	B               string          `json:"b"`
	From            uint64          `json:"from"`
	End             uint64          `json:"end"`
	StepsCompared   uint64          `json:"steps_compared"`
	Checkpoints     int             `json:"checkpoints"`
	CheckpointEvery uint64          `json:"checkpoint_every"`
	Exited          bool            `json:"exited"`
	ExitCode        uint8           `json:"exit_code"`
	Fault           string          `json:"fault,omitempty"`
	FinalStateHash  string          `json:"final_state_hash,omitempty"`
	Seconds         float64         `json:"seconds"`
	StepsPerSecond  float64         `json:"steps_per_second"`
	Agree           bool            `json:"agree"`
	Divergence      *LockstepBundle `json:"divergence,omitempty"`
	BundlePath      string          `json:"bundle_path,omitempty"`
}

// Summary packages r. every is the checkpoint period that was used.
func (r *LockstepResult) Summary(program, nameA, nameB string, every uint64, took time.Duration) *LockstepSummary {
	s := &LockstepSummary{Program: program, A: nameA, B: nameB, From: r.From, End: r.End, StepsCompared: r.Steps,
		Checkpoints: r.Checkpoints, CheckpointEvery: every, Exited: r.Exited, ExitCode: r.ExitCode, Fault: r.Fault,
		Seconds: took.Seconds(), Agree: r.Divergence == nil}
	if r.FinalHash != ([32]byte{}) {
		s.FinalStateHash = "0x" + hex.EncodeToString(r.FinalHash[:])
	}
	if took > 0 {
		s.StepsPerSecond = float64(r.Steps) / took.Seconds()
	}
	if r.Divergence != nil {
		s.Divergence = r.Divergence.Bundle(program, nameA, nameB)
	}
	return s
}

// FormatLockstep prints a divergence as a table of the differing fields.
func FormatLockstep(w io.Writer, d *LockstepDivergence, nameA, nameB string) {
	how := map[string]string{
		"step":       "a per-step field",
		"checkpoint": "a full-state checkpoint, narrowed to the step by re-running",
		"load":       "the states right after loading",
	}[d.Found]
	fmt.Fprintf(w, "DIVERGENCE at step %d (found by %s)\n", d.Step, how)
	fmt.Fprintf(w, "  %-30s %-40s %s\n", "field", nameA, nameB)
	for _, f := range d.Fields {
		fmt.Fprintf(w, "  %-30s %-40s %s\n", f.Field, f.A, f.B)
	}
}

// WriteLockstepJUnit writes a one-case JUnit report of a lockstep run.
func WriteLockstepJUnit(path string, s *LockstepSummary) error {
	suite := junitSuite{Name: "fpvmdiff lockstep " + s.Program, Time: fmt.Sprintf("%.3f", s.Seconds), Tests: 1}
	c := junitCase{Name: fmt.Sprintf("lockstep %s vs %s", s.A, s.B), ClassName: "fpvmdiff.lockstep",
		SystemOut: fmt.Sprintf("%d steps compared from step %d, %d full-state checkpoints", s.StepsCompared, s.From, s.Checkpoints)}
	if d := s.Divergence; d != nil {
		var body strings.Builder
		for _, f := range d.Diff {
			fmt.Fprintf(&body, "%s: %s=%s %s=%s\n", f.Field, s.A, f.A, s.B, f.B)
		}
		c.Failure = &junitFailure{Message: fmt.Sprintf("divergence at step %d", d.Step), Body: body.String()}
		suite.Failures = 1
	}
	suite.Cases = []junitCase{c}
	data, err := xml.MarshalIndent(junitSuites{Suites: []junitSuite{suite}}, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding JUnit report: %w", err)
	}
	if err := os.WriteFile(path, append([]byte(xml.Header), append(data, '\n')...), 0o644); err != nil {
		return fmt.Errorf("writing JUnit report: %w", err)
	}
	return nil
}
