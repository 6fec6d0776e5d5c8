package check

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// A lockstep bundle is one JSON file describing the first step on which two Go VMs differ:
// the state both agreed on, both states after the step, the thread each VM ran in it and the
// field diff. The pre-state and the ELF are enough to re-run the step on either VM.
const (
	LockstepBundleFormat  = "fpvmdiff-lockstep-bundle"
	LockstepBundleVersion = 1
)

// LockstepBundle is the JSON form of a LockstepDivergence.
type LockstepBundle struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	About   string `json:"about"`

	Program string `json:"program,omitempty"`
	// Step is the pre-state step counter of the first differing step.
	Step  uint64          `json:"step"`
	Found string          `json:"found"`
	A     LockstepSide    `json:"a"`
	B     LockstepSide    `json:"b"`
	Diff  []LockstepField `json:"diff"`
	// PreState is the 188-byte state both VMs agreed on before the step (absent for a
	// difference right after loading).
	PreState     string `json:"pre_state,omitempty"`
	PreStateHash string `json:"pre_state_hash,omitempty"`
}

// LockstepSide is one VM's state after the differing step.
type LockstepSide struct {
	VM        string `json:"vm"`
	State     string `json:"state"`      // 188-byte packed state, hex
	StateHash string `json:"state_hash"` // status-tagged keccak256 of State
	Thread    string `json:"thread"`     // the thread the step ran, packed after it (298 bytes), hex ("" when none)
}

// Bundle packages d. program names the ELF, nameA/nameB the VMs.
func (d *LockstepDivergence) Bundle(program, nameA, nameB string) *LockstepBundle {
	b := &LockstepBundle{
		Format: LockstepBundleFormat, Version: LockstepBundleVersion,
		About: "The first MT-Cannon step (state version 8) after which two Go VMs differ. pre_state is the " +
			"188-byte state both agreed on before step `step`; a and b hold each VM's state after it and the " +
			"thread it ran (packed, as it is after the step); diff lists the differing fields.",
		Program: program, Step: d.Step, Found: d.Found, Diff: d.Fields,
		A: side(nameA, d.StateA, d.ThreadA), B: side(nameB, d.StateB, d.ThreadB),
	}
	if len(d.PreState) == fpvm.StateWitnessSize {
		b.PreState = "0x" + hex.EncodeToString(d.PreState)
		h := fpvm.StateHash(d.PreState)
		b.PreStateHash = "0x" + hex.EncodeToString(h[:])
	}
	return b
}

func side(name string, state, thread []byte) LockstepSide {
	s := LockstepSide{VM: name, State: "0x" + hex.EncodeToString(state)}
	if len(state) == fpvm.StateWitnessSize {
		h := fpvm.StateHash(state)
		s.StateHash = "0x" + hex.EncodeToString(h[:])
	}
	if thread != nil {
		s.Thread = "0x" + hex.EncodeToString(thread)
	}
	return s
}

// WriteLockstepBundle writes b into dir as lockstep-step-<N>.json and returns the path.
func WriteLockstepBundle(dir string, b *LockstepBundle) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("bundle directory: %w", err)
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encoding the lockstep bundle: %w", err)
	}
	path := filepath.Join(dir, fmt.Sprintf("lockstep-step-%d.json", b.Step))
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("writing the lockstep bundle: %w", err)
	}
	return path, nil
}
