package check

import (
	"cmp"

	"encoding/json"
	"encoding/xml"
	"fmt"
	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"io"
	"os"
	"regexp"
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
		fmt.Fprintf(w, "instruction: thread %d pc 0x%x", in.ThreadID, in.PC)
		if in.Symbol != "" {
			fmt.Fprintf(w, " (%s)", in.Symbol)
		}
		fmt.Fprintf(w, " %s  %s", in.Word, in.Disasm)
		if in.Class != "" {
			fmt.Fprintf(w, "  [%s]", in.Class)
		}
		fmt.Fprintln(w)
		if len(in.Operands) > 0 {
			fmt.Fprintf(w, "inputs: %s\n", strings.Join(in.Operands, "  "))
		}
		if in.Rule != "" {
			fmt.Fprintf(w, "rule: %s\n", in.Rule)
		}
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
		formatExecuted(w, e.Executed, b.Instruction)
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
	if o := b.Opinion; o != nil {
		fmt.Fprintf(w, "independent opinion (%s): %s\n", o.Source, o.Summary)
	}
	for _, n := range b.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

// formatExecuted prints the Solidity side of the step: how many source lines ran, the ones
// naming the instruction's mnemonic (where its rule is written), and the last few. The
// bundle holds every line.
func formatExecuted(w io.Writer, lines []*evmharness.SourceLocation, in *BundleInsn) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "solidity: %d source lines ran (all in the bundle, evm.executed)\n", len(lines))
	if in != nil && in.Disasm != "" {
		mnemonic := strings.ToUpper(strings.Fields(in.Disasm)[0])
		word := regexp.MustCompile(`\b` + regexp.QuoteMeta(mnemonic) + `\b`)
		for _, l := range lines {
			if word.MatchString(l.Text) {
				fmt.Fprintf(w, "     %s\n", l)
			}
		}
	}
	const tail = 5
	fmt.Fprintln(w, "     … the last lines:")
	for _, l := range lines[max(0, len(lines)-tail):] {
		fmt.Fprintf(w, "     %s\n", l)
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

// WriteJSON writes the run result as JSON, paths made portable.
func WriteJSON(path string, r *RunResult) error {
	data, err := json.MarshalIndent(r.Portable(), "", "  ")
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
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

// junitProperty is one <property name= value=/> of a suite: where JUnit files carry the
// report's identity (schema_version, tool and state version, ELF and code hashes).
type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitSchemaVersion is the schema_version property of our JUnit files.
const JUnitSchemaVersion = 1

// junitIdentity is the properties recording id.
func junitIdentity(id Identity) []junitProperty {
	props := []junitProperty{{"schema_version", fmt.Sprint(JUnitSchemaVersion)}}
	for _, f := range id.Fields() {
		if f[1] != "" {
			props = append(props, junitProperty{f[0], f[1]})
		}
	}
	return props
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
	data, err := JUnit(r)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing JUnit report: %w", err)
	}
	return nil
}

// JUnit is the JUnit XML report of a run (see WriteJUnit), paths made portable.
func JUnit(r *RunResult) ([]byte, error) {
	r = r.Portable()
	suite := junitSuite{Name: "fpvmdiff " + r.Program, Time: fmt.Sprintf("%.3f", r.Duration.Seconds()),
		Properties: junitIdentity(r.Identity)}
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
	return encodeJUnit(suite)
}

// JUnitCase is one test case of a JUnit report written by another package (vectors): a
// failure when FailureMessage is set.
type JUnitCase struct {
	Name, ClassName             string
	FailureMessage, FailureBody string
	Output                      string
}

// EncodeJUnit is the JUnit XML document of one suite of cases, with the identity as suite
// properties.
func EncodeJUnit(name string, seconds float64, id Identity, cases []JUnitCase) ([]byte, error) {
	suite := junitSuite{Name: name, Time: fmt.Sprintf("%.3f", seconds), Properties: junitIdentity(id)}
	for _, c := range cases {
		jc := junitCase{Name: c.Name, ClassName: c.ClassName, SystemOut: c.Output}
		if c.FailureMessage != "" {
			jc.Failure = &junitFailure{Message: c.FailureMessage, Body: c.FailureBody}
		}
		suite.Cases = append(suite.Cases, jc)
	}
	return encodeJUnit(suite)
}

// encodeJUnit is the XML document of one suite.
func encodeJUnit(suite junitSuite) ([]byte, error) {
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
		return nil, fmt.Errorf("encoding JUnit report: %w", err)
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}
