package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Run outcomes, as written in the summary.
const (
	outcomeExited    = "exited"     // the guest exited; exit_code is its code
	outcomeStopped   = "stopped"    // --stop-at reached
	outcomeStepLimit = "step-limit" // --max-steps reached before the guest exited
	outcomeFault     = "fault"      // the VM faulted; fault says why
)

// vmRunSchemaVersion is the schema_version of the `vm run --json` summary. Version 1 added
// schema_version and the identity fields.
const vmRunSchemaVersion = 1

// runSummary is what `vm run` reports on stderr and, with --json, in a file.
type runSummary struct {
	SchemaVersion int `json:"schema_version"`
	check.Identity
	ELF            string  `json:"elf"`
	Outcome        string  `json:"outcome"`
	ExitCode       int     `json:"exit_code"` // the guest's, valid when outcome is "exited"
	ProcessExit    int     `json:"process_exit_code"`
	Fault          string  `json:"fault,omitempty"`
	Steps          uint64  `json:"steps"` // the state's step counter at the end
	ThreadsCreated uint64  `json:"threads_created"`
	ThreadsLive    int     `json:"threads_live"`
	Pages          int     `json:"pages"`
	MemoryBytes    uint64  `json:"memory_bytes"`
	Seconds        float64 `json:"seconds"`
	StepsPerSecond float64 `json:"steps_per_second"`
	StateHash      string  `json:"state_hash"`
	PeakRSSBytes   uint64  `json:"peak_rss_bytes,omitempty"` // of this fpvmdiff process (VmHWM)
}

func newSummary(elfPath string, identity check.Identity, state *vm.State, stepsRun uint64, elapsed time.Duration) *runSummary {
	s := &runSummary{
		SchemaVersion:  vmRunSchemaVersion,
		Identity:       identity,
		ELF:            check.DisplayPath(elfPath),
		Steps:          state.Step,
		ThreadsCreated: state.NextThreadID,
		ThreadsLive:    state.ThreadCount(),
		Pages:          state.Memory.PageCount(),
		MemoryBytes:    uint64(state.Memory.PageCount()) * memory.PageSize,
		Seconds:        elapsed.Seconds(),
	}
	if elapsed > 0 {
		s.StepsPerSecond = float64(stepsRun) / elapsed.Seconds()
	}
	return s
}

func (s *runSummary) print(w io.Writer) {
	status := s.Outcome
	switch s.Outcome {
	case outcomeExited:
		status = fmt.Sprintf("exited with code %d", s.ExitCode)
	case outcomeStopped:
		status = "stopped by --stop-at (guest still running)"
	case outcomeStepLimit:
		status = "step limit reached before the guest exited"
	case outcomeFault:
		status = "VM fault: " + s.Fault
	}
	fmt.Fprintf(w, "--- fpvmdiff vm run: %s\n", s.ELF)
	fmt.Fprintf(w, "status      %s\n", status)
	fmt.Fprintf(w, "steps       %d\n", s.Steps)
	fmt.Fprintf(w, "threads     %d created, %d live\n", s.ThreadsCreated, s.ThreadsLive)
	fmt.Fprintf(w, "memory      %d pages (%.1f MiB)\n", s.Pages, float64(s.MemoryBytes)/(1<<20))
	fmt.Fprintf(w, "time        %.3fs, %.1fM steps/s\n", s.Seconds, s.StepsPerSecond/1e6)
	fmt.Fprintf(w, "state hash  %s\n", s.StateHash)
	if s.PeakRSSBytes > 0 {
		fmt.Fprintf(w, "peak RSS    %.1f MiB\n", float64(s.PeakRSSBytes)/(1<<20))
	}
}

// peakRSS is the high-water mark of this process's resident memory (Linux VmHWM), 0 when
// unknown. Unlike a parent's view through rusage, it does not include memory the parent
// had when it started us.
func peakRSS() uint64 {
	var kb uint64
	if v := procField("/proc/self/status", "VmHWM"); v != "" {
		fmt.Sscanf(v, "%d kB", &kb)
	}
	return kb * 1024
}

// writeJSON writes v as indented JSON to path, or to stdout when path is "-".
func writeJSON(path string, stdout io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeOutput(path, stdout, append(data, '\n'))
}
