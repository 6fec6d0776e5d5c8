package check

import (
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// FormatBundle prints a divergence for people: what disagreed, the instruction, the decoded
// differences, the revert and its Solidity line, the gas.
func FormatBundle(w io.Writer, b *Bundle) {
	fmt.Fprintf(w, "DIVERGENCE at step %d", b.Step)
	if b.Program != "" {
		fmt.Fprintf(w, " of %s", b.Program)
	}
	fmt.Fprintln(w)
	for _, m := range b.Mismatches {
		fmt.Fprintf(w, "  - %s\n", m)
	}
	if in := b.Instruction; in != nil {
		fmt.Fprintf(w, "instruction: thread %d pc 0x%x %s  %s", in.ThreadID, in.PC, in.Word, in.Disasm)
		if in.Class != "" {
			fmt.Fprintf(w, "  [%s]", in.Class)
		}
		fmt.Fprintln(w)
	}
	if p := b.Witness.Preimage; p != nil {
		fmt.Fprintf(w, "pre-image: key %s offset %d (%d bytes)\n", p.Key, p.Offset, len(p.Data))
	}
	if b.Go.Error != "" {
		fmt.Fprintf(w, "go: error: %s\n", b.Go.Error)
	} else if b.Go.PostHash != nil {
		fmt.Fprintf(w, "go: post-state hash %s\n", b.Go.PostHash)
	}
	if e := b.EVM; e != nil {
		if l := e.Load; l != nil {
			switch {
			case l.Error != "":
				fmt.Fprintf(w, "evm: oracle load not possible: %s\n", l.Error)
			case l.Reverted:
				fmt.Fprintf(w, "evm: oracle load reverted: %s\n", l.Revert)
			}
		}
		if e.Reverted {
			fmt.Fprintf(w, "evm: reverted (%s): %s\n", e.HaltReason, e.RevertReason)
			if e.RevertAt != nil {
				fmt.Fprintf(w, "     at %s\n", e.RevertAt)
			}
			for _, c := range e.RevertCalls {
				fmt.Fprintf(w, "     called from %s\n", c)
			}
		} else {
			fmt.Fprintf(w, "evm: %d log(s), returned 0x%x\n", len(e.Logs), []byte(e.Return))
		}
		fmt.Fprintf(w, "evm: gas %d\n", e.Gas)
	}
	if len(b.StateDiff) > 0 {
		fmt.Fprintln(w, "state diff (go vs evm):")
		for _, d := range b.StateDiff {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
	if len(b.ThreadDiff) > 0 {
		fmt.Fprintln(w, "thread diff (go vs evm, the thread the step contract hashed last):")
		for _, d := range b.ThreadDiff {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
	for _, n := range b.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

// FormatSummary prints the one-screen summary of a run.
func FormatSummary(w io.Writer, r *RunResult) {
	status := "no divergence"
	if r.Divergence != nil {
		status = fmt.Sprintf("DIVERGENCE at step %d", r.Divergence.Step)
	}
	fmt.Fprintf(w, "fpvmdiff run %s: %s\n", r.Program, status)
	end := "stopped"
	switch {
	case r.Exited:
		end = fmt.Sprintf("exited with code %d", r.ExitCode)
	case r.GoFault != "":
		end = "Go fault (EVM agreed): " + r.GoFault
	case r.Interrupted:
		end = fmt.Sprintf("INTERRUPTED before step %d", r.LastStep)
	}
	fmt.Fprintf(w, "  steps run      %d (from step %d), %s\n", r.StepsRun, r.FirstStep, end)
	fmt.Fprintf(w, "  steps checked  %d (mode %s, %d worker(s))\n", r.StepsChecked, r.Mode, r.Workers)
	g := r.Gas
	fmt.Fprintf(w, "  gas per step   min %d  median %d  p99 %d  max %d\n", g.Min, g.Median, g.P99, g.Max)
	secs := r.Duration.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(r.StepsChecked) / secs
	}
	fmt.Fprintf(w, "  time           %s (%.0f checked steps/s)\n", r.Duration.Round(time.Millisecond), rate)
	if len(r.PreimageReads) > 0 {
		kts := make([]string, 0, len(r.PreimageReads))
		for kt := range r.PreimageReads {
			kts = append(kts, kt)
		}
		slices.Sort(kts)
		parts := make([]string, len(kts))
		for i, kt := range kts {
			parts[i] = fmt.Sprintf("%s %d", kt, r.PreimageReads[kt])
		}
		fmt.Fprintf(w, "  pre-image reads checked: %s\n", strings.Join(parts, ", "))
	}
	type row struct {
		name string
		c    *ClassStats
	}
	rows := make([]row, 0, len(r.Classes))
	for n, c := range r.Classes {
		rows = append(rows, row{n, c})
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(b.c.Run, a.c.Run), strings.Compare(a.name, b.name))
	})
	const shown = 12
	fmt.Fprintf(w, "  classes        %d (run / checked):\n", len(rows))
	for i, rw := range rows {
		if i == shown {
			fmt.Fprintf(w, "    … %d more (see --json)\n", len(rows)-shown)
			break
		}
		fmt.Fprintf(w, "    %-34s %10d / %d\n", rw.name, rw.c.Run, rw.c.Checked)
	}
	if r.BundlePath != "" {
		fmt.Fprintf(w, "  bundle         %s (replay: fpvmdiff repro %s)\n", r.BundlePath, r.BundlePath)
	}
}

// WriteJSON writes the run result as JSON.
func WriteJSON(path string, r *RunResult) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding JSON report: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing JSON report: %w", err)
	}
	return nil
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"` // the run did not finish (interrupted)
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes a JUnit XML report: one test case per behaviour class that was
// checked, and one for the run as a whole that fails on a divergence.
func WriteJUnit(path string, r *RunResult) error {
	suite := junitSuite{Name: "fpvmdiff " + r.Program, Time: fmt.Sprintf("%.3f", r.Duration.Seconds())}
	whole := junitCase{Name: "differential run", ClassName: "fpvmdiff",
		SystemOut: fmt.Sprintf("%d steps run, %d checked", r.StepsRun, r.StepsChecked)}
	divClass := ""
	if b := r.Divergence; b != nil {
		var sb strings.Builder
		FormatBundle(&sb, b)
		whole.Failure = &junitFailure{Message: fmt.Sprintf("divergence at step %d", b.Step), Body: sb.String()}
		if b.Instruction != nil {
			divClass = b.Instruction.Class
		}
	}
	if r.Interrupted {
		whole.Error = &junitFailure{Message: fmt.Sprintf("interrupted: the steps from %d up to %d were checked, the rest not", r.FirstStep, r.LastStep),
			Body: "The run was stopped by SIGINT or SIGTERM. Continue it with 'fpvmdiff run --resume SUMMARY.json' (its --json summary)."}
	}
	suite.Cases = append(suite.Cases, whole)
	names := make([]string, 0, len(r.Classes))
	for n := range r.Classes {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		c := r.Classes[n]
		if c.Checked == 0 {
			continue
		}
		tc := junitCase{Name: n, ClassName: "fpvmdiff.class", SystemOut: fmt.Sprintf("%d run, %d checked", c.Run, c.Checked)}
		if n == divClass && whole.Failure != nil {
			tc.Failure = &junitFailure{Message: whole.Failure.Message}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	for _, c := range suite.Cases {
		suite.Tests++
		if c.Failure != nil {
			suite.Failures++
		}
		if c.Error != nil {
			suite.Errors++
		}
	}
	data, err := xml.MarshalIndent(junitSuites{Suites: []junitSuite{suite}}, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding JUnit report: %w", err)
	}
	if err := os.WriteFile(path, append([]byte(xml.Header), append(data, '\n')...), 0o644); err != nil {
		return fmt.Errorf("writing JUnit report: %w", err)
	}
	return nil
}
