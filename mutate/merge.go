package mutate

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// ParseMarkdown reads back the verdicts of a docs/mutants.md written by WriteMarkdown, so
// that a later run of a few mutants (e.g. the survivors, once vectors were added) can be
// merged into a full run. Rows of mutants no longer in the catalogue are dropped.
func ParseMarkdown(r io.Reader) ([]Result, error) {
	byID := map[string]Mutant{}
	for _, m := range Catalogue {
		byID[m.ID] = m
	}
	var out []Result
	sc := bufio.NewScanner(r)
	inTable := false
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "## ") {
			inTable = text == "## All mutants"
			continue
		}
		if !inTable || !strings.HasPrefix(text, "| `") {
			continue
		}
		cells := splitRow(text)
		nv := 0
		switch len(cells) {
		case 8: // reports before the failing-vectors column
		case 9:
			if cells[6] != "-" {
				if _, err := fmt.Sscan(cells[6], &nv); err != nil {
					return nil, fmt.Errorf("mutants report line %d: failing vectors %q: %w", line, cells[6], err)
				}
			}
			cells = append(cells[:6], cells[7:]...)
		default:
			return nil, fmt.Errorf("mutants report line %d: %d cells, want 9", line, len(cells))
		}
		id := strings.Trim(cells[0], "`")
		m, ok := byID[id]
		if !ok {
			continue
		}
		d, err := time.ParseDuration(cells[7])
		if err != nil {
			return nil, fmt.Errorf("mutants report line %d: time %q: %w", line, cells[7], err)
		}
		by := cells[5]
		if by == "-" {
			by = ""
		}
		out = append(out, Result{Mutant: m, Diff: Verdict(cells[4]), DiffBy: by, Vectors: nv, Unit: Verdict(cells[6]), Duration: d})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read mutants report: %w", err)
	}
	return out, nil
}

// splitRow splits a markdown table row on the pipes that are not escaped.
func splitRow(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(strings.TrimSuffix(row, "|"), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		if row[i] == '\\' && i+1 < len(row) && row[i+1] == '|' {
			cur.WriteByte('|')
			i++
			continue
		}
		if row[i] == '|' {
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(row[i])
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// Merge replaces the results of old by those of newer with the same id, keeping the
// catalogue order of old.
func Merge(old, newer []Result) []Result {
	fresh := map[string]Result{}
	for _, r := range newer {
		fresh[r.Mutant.ID] = r
	}
	out := make([]Result, 0, len(old)+len(newer))
	for _, r := range old {
		if n, ok := fresh[r.Mutant.ID]; ok {
			out = append(out, n)
			delete(fresh, r.Mutant.ID)
			continue
		}
		out = append(out, r)
	}
	for _, r := range newer {
		if _, ok := fresh[r.Mutant.ID]; ok {
			out = append(out, r)
		}
	}
	return out
}
