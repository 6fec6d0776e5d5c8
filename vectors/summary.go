package vectors

import (
	"fmt"
	"strings"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"
)

// SummarySchemaVersion is the schema_version of the `vectors --json` summary.
const SummarySchemaVersion = 1

// Summary is the machine-readable result of a `fpvmdiff vectors` run (--json, --junit,
// --summary-md): every vector variant run, with the identity of what checked them.
type Summary struct {
	SchemaVersion int `json:"schema_version"`
	check.Identity
	Vectors  int  `json:"vectors"`  // vectors selected
	Variants int  `json:"variants"` // randomized variants asked for per vector
	Runs     int  `json:"runs"`     // vector variants run
	Failed   int  `json:"failed"`
	GoOnly   bool `json:"go_only,omitempty"`
	// DurationNS is the wall time of the whole run.
	DurationNS time.Duration   `json:"duration_ns"`
	Results    []SummaryResult `json:"results"`
}

// SummaryResult is one vector variant's verdict.
type SummaryResult struct {
	Name      string   `json:"name"`
	File      string   `json:"file"`
	Variant   int      `json:"variant"`
	Class     string   `json:"class"`
	Pass      bool     `json:"pass"`
	Failures  []string `json:"failures,omitempty"`
	GoFault   string   `json:"go_fault,omitempty"`
	EVMRevert string   `json:"evm_revert,omitempty"`
	// Divergence is set when the Go VM and the EVM disagree with each other.
	Divergence *check.Bundle `json:"divergence,omitempty"`
}

// NewSummary starts a summary of a run identified by id.
func NewSummary(id check.Identity) *Summary {
	return &Summary{SchemaVersion: SummarySchemaVersion, Identity: id, Results: []SummaryResult{}}
}

// Add records one result; file paths are made portable.
func (s *Summary) Add(r *Result) {
	s.Runs++
	if !r.Pass() {
		s.Failed++
	}
	s.Results = append(s.Results, SummaryResult{
		Name: r.Name, File: check.DisplayPath(r.File), Variant: r.Variant, Class: r.Class, Pass: r.Pass(),
		Failures: r.Failures, GoFault: r.GoFault, EVMRevert: r.EVMRevert, Divergence: r.Bundle,
	})
}

// tag names a variant as the text report does: name, or name#variant.
func (r *SummaryResult) tag() string {
	if r.Variant > 0 {
		return fmt.Sprintf("%s#%d", r.Name, r.Variant)
	}
	return r.Name
}

// JUnit is the summary as a JUnit report: one test case per vector variant, its class name
// the vector file, so CI lists failures by vector.
func (s *Summary) JUnit() ([]byte, error) {
	cases := make([]check.JUnitCase, 0, len(s.Results))
	for _, r := range s.Results {
		c := check.JUnitCase{Name: r.tag(), ClassName: "vectors." + strings.TrimSuffix(r.File, ".json"),
			Output: "class " + r.Class}
		if !r.Pass {
			c.FailureMessage = r.Failures[0]
			var body strings.Builder
			body.WriteString(strings.Join(r.Failures, "\n"))
			if r.Divergence != nil {
				body.WriteString("\n\n")
				check.FormatBundle(&body, r.Divergence)
			}
			c.FailureBody = body.String()
		}
		cases = append(cases, c)
	}
	return check.EncodeJUnit("fpvmdiff vectors", s.DurationNS.Seconds(), s.Identity, cases)
}

// Markdown is the summary for a CI step summary: the verdict, then every failure.
func (s *Summary) Markdown() []byte {
	var b strings.Builder
	verdict := "all passed"
	if s.Failed > 0 {
		verdict = fmt.Sprintf("**%d FAILED**", s.Failed)
	}
	side := "Go VM and EVM step contract"
	if s.GoOnly {
		side = "Go VM only"
	}
	fmt.Fprintf(&b, "### fpvmdiff vectors: %s\n\n%d vector run(s) of %d vectors (%d randomized variant(s) each), %s, %s.\n",
		verdict, s.Runs, s.Vectors, s.Variants, side, s.DurationNS.Round(time.Millisecond))
	if s.Failed > 0 {
		b.WriteString("\n| vector | file | class | failure |\n|---|---|---|---|\n")
		for _, r := range s.Results {
			if r.Pass {
				continue
			}
			fmt.Fprintf(&b, "| `%s` | `%s` | `%s` | %s |\n", mdText(r.tag()), mdText(r.File), mdText(r.Class),
				mdText(strings.Join(r.Failures, "; ")))
		}
	}
	b.WriteString(check.IdentityMarkdown(s.SchemaVersion, s.Identity))
	return []byte(b.String())
}

// mdText makes text safe inside a Markdown table cell.
func mdText(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "`", "'")
	return strings.ReplaceAll(s, "|", `\|`)
}
