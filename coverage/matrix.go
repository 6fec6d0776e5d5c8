package coverage

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/coverage/classes"
	"github.com/fpvmdiff/fpvmdiff/vectors"
)

// Source is one kind of differential check with its counts by class or tag, and by class
// or tag crossed with an operand class ("srav#amt=63,sign=neg,upper=clean").
type Source struct {
	Name        string
	Counts      map[string]uint64
	ClassCounts map[string]uint64
}

// FromVectors counts the vector runs that passed on both sides, by class and tags, and by
// those crossed with the operand classes of their pre-state.
func FromVectors(results []*vectors.Result) Source {
	s := Source{Name: "vectors", Counts: map[string]uint64{}, ClassCounts: map[string]uint64{}}
	for _, r := range results {
		if !r.Pass() {
			continue
		}
		for _, k := range append([]string{r.Class}, r.Tags...) {
			s.Counts[k]++
			for _, c := range r.OpClasses {
				s.ClassCounts[k+"#"+c]++
			}
		}
	}
	return s
}

// runSummary is the part of a `fpvmdiff run --json` summary coverage reads.
type runSummary struct {
	Classes map[string]*struct {
		Run     uint64 `json:"run"`
		Checked uint64 `json:"checked"`
	} `json:"classes"`
	PreimageReads map[string]uint64 `json:"preimage_reads"`
	Divergence    json.RawMessage   `json:"divergence"`
}

// AddSummary adds the checked-step counts of one run summary file to s. A faulting step is
// counted under "fault/<kind>" (the summary counts those as run; they were checked).
func AddSummary(s *Source, file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("run summary: %w", err)
	}
	var sum runSummary
	if err := json.Unmarshal(data, &sum); err != nil {
		return fmt.Errorf("run summary %s: not a fpvmdiff run --json summary: %w", file, err)
	}
	if sum.Classes == nil {
		return fmt.Errorf("run summary %s: no \"classes\" field (write it with fpvmdiff run --json)", file)
	}
	if s.Counts == nil {
		s.Counts = map[string]uint64{}
	}
	for class, c := range sum.Classes {
		if c == nil {
			continue
		}
		n := c.Checked
		if strings.HasPrefix(class, "fault/") {
			n = max(n, c.Run)
		}
		s.Counts[class] += n
	}
	for kt, n := range sum.PreimageReads {
		s.Counts["preimage/"+kt] += n
	}
	return nil
}

// Cell is one row's counts per source, or one operand class of a row: then Row is
// "ID {class}" (CellName) and Class the class.
type Cell struct {
	Row    string            `json:"row"`
	Class  string            `json:"class,omitempty"`
	Sect   string            `json:"section"`
	Counts map[string]uint64 `json:"counts"`
	Total  uint64            `json:"total"`
}

// Matrix is the whole table: the rows, each followed by its operand classes. Uncovered
// names rows as their ID and classes as "ID {class}"; the gate fails on either.
type Matrix struct {
	Sources   []string `json:"sources"`
	Rows      []Cell   `json:"rows"`
	Covered   int      `json:"covered"`
	Uncovered []string `json:"uncovered"`
	// Classes and ClassesCovered count the operand-class cells alone.
	Classes        int `json:"classes"`
	ClassesCovered int `json:"classes_covered"`
}

// CellName is how a class cell is named in Uncovered and in the report.
func CellName(row, class string) string { return row + " {" + class + "}" }

// Build matches every row, and every operand class of a row (coverage/classes), against
// every source.
func Build(rows []Row, sources []Source) *Matrix {
	m := &Matrix{Uncovered: []string{}}
	for _, s := range sources {
		m.Sources = append(m.Sources, s.Name)
	}
	add := func(c Cell) {
		if c.Total == 0 {
			m.Uncovered = append(m.Uncovered, c.Row)
		} else {
			m.Covered++
		}
		if c.Class != "" {
			m.Classes++
			if c.Total > 0 {
				m.ClassesCovered++
			}
		}
		m.Rows = append(m.Rows, c)
	}
	for _, r := range rows {
		c := Cell{Row: r.ID, Sect: r.Section, Counts: map[string]uint64{}}
		for _, s := range sources {
			n := count(r.Match, s.Counts)
			c.Counts[s.Name] = n
			c.Total += n
		}
		add(c)
		spec := classes.ForRow(r.ID)
		if spec == nil {
			continue
		}
		for _, cl := range spec.Classes() {
			cc := Cell{Row: CellName(r.ID, cl), Class: cl, Sect: r.Section, Counts: map[string]uint64{}}
			pats := make([]string, len(r.Match))
			for i, p := range r.Match {
				pats[i] = p + "#" + cl
			}
			for _, s := range sources {
				n := count(pats, s.ClassCounts)
				cc.Counts[s.Name] = n
				cc.Total += n
			}
			add(cc)
		}
	}
	return m
}

func count(match []string, counts map[string]uint64) uint64 {
	var n uint64
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, p := range match {
			if ok, _ := path.Match(p, k); ok {
				n += counts[k]
				break
			}
		}
	}
	return n
}

// Format prints the matrix; uncovered rows are marked and listed at the end.
func Format(w io.Writer, m *Matrix) {
	fmt.Fprintf(w, "%-64s %-10s", "row {operand class}", "section")
	for _, s := range m.Sources {
		fmt.Fprintf(w, " %10s", s)
	}
	fmt.Fprintln(w)
	for _, c := range m.Rows {
		mark := ""
		if c.Total == 0 {
			mark = "  <- UNCOVERED"
		}
		name := c.Row
		if c.Class != "" {
			name = "  " + c.Row
		}
		fmt.Fprintf(w, "%-64s %-10s", name, c.Sect)
		for _, s := range m.Sources {
			fmt.Fprintf(w, " %10d", c.Counts[s])
		}
		fmt.Fprintln(w, mark)
	}
	fmt.Fprintf(w, "\n%d of %d spec rows and operand classes covered by a differential check (classes: %d of %d), %d uncovered\n",
		m.Covered, len(m.Rows), m.ClassesCovered, m.Classes, len(m.Uncovered))
	for _, u := range m.Uncovered {
		fmt.Fprintf(w, "  uncovered: %s\n", u)
	}
}
