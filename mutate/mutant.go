// Package mutate is the mutation-testing harness of fpvmdiff: it applies single-point
// mutants to the Go VM and to the Solidity step contract, each in a throw-away copy of the
// repository, and checks that the differential suite notices (issue 7).
package mutate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Side says which implementation a mutant changes.
type Side string

const (
	SideGo  Side = "go"
	SideSol Side = "sol"
)

// Mutant is one single-point change: Original must occur exactly once in File (relative to
// the repository root) and is replaced by Replacement.
type Mutant struct {
	ID          string
	Side        Side
	Area        string // instructions, syscalls, scheduler, memory, encoding, oracle
	File        string
	Original    string
	Replacement string
	Description string
}

// ErrSnippet marks a catalogue entry whose original snippet does not occur exactly once.
var ErrSnippet = errors.New("mutant snippet does not occur exactly once")

// Apply rewrites the mutant's file under root. It refuses to touch anything when the
// snippet is missing or ambiguous, so a stale catalogue entry never produces a silent no-op.
func Apply(root string, m Mutant) error {
	path := filepath.Join(root, m.File)
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("mutant %s: read %s: %w", m.ID, m.File, err)
	}
	src := string(raw)
	if n := strings.Count(src, m.Original); n != 1 {
		return fmt.Errorf("mutant %s: %w: %d occurrences in %s", m.ID, ErrSnippet, n, m.File)
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("mutant %s: stat %s: %w", m.ID, m.File, err)
	}
	out := strings.Replace(src, m.Original, m.Replacement, 1)
	// Write a new file and rename it over the old one, so that even a hard-linked copy of
	// the repository could never pass the change through to the original.
	tmp := path + ".mutant"
	if err := os.WriteFile(tmp, []byte(out), info.Mode().Perm()); err != nil {
		return fmt.Errorf("mutant %s: write %s: %w", m.ID, m.File, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("mutant %s: replace %s: %w", m.ID, m.File, err)
	}
	return nil
}

// Validate checks the catalogue's own consistency (ids unique, fields set, the mutant
// really changes something) without looking at the sources.
func Validate(cat []Mutant) error {
	seen := map[string]bool{}
	for _, m := range cat {
		switch {
		case m.ID == "":
			return fmt.Errorf("mutant with empty id (file %s)", m.File)
		case seen[m.ID]:
			return fmt.Errorf("mutant %s: duplicate id", m.ID)
		case m.Side != SideGo && m.Side != SideSol:
			return fmt.Errorf("mutant %s: side %q is neither go nor sol", m.ID, m.Side)
		case m.File == "" || m.Area == "" || m.Description == "":
			return fmt.Errorf("mutant %s: file, area and description are required", m.ID)
		case m.Original == "" || m.Original == m.Replacement:
			return fmt.Errorf("mutant %s: original snippet empty or equal to the replacement", m.ID)
		}
		seen[m.ID] = true
	}
	return nil
}
