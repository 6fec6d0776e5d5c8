package evmharness

import (
	"fmt"
	"strconv"
	"strings"
)

// SourceLocation is where a deployed-code program counter comes from in the Solidity sources.
type SourceLocation struct {
	File   string `json:"file"`
	Line   int    `json:"line"` // 1-based
	Text   string `json:"text"` // the source line, trimmed
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

func (l *SourceLocation) String() string {
	if l == nil {
		return "unknown"
	}
	if l.Text == "" {
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	return fmt.Sprintf("%s:%d: %s", l.File, l.Line, l.Text)
}

// srcEntry is one decompressed source-map entry ("s:l:f:j:m"); jump is 'i' for a jump into
// a function, 'o' for a return from one, '-' otherwise.
type srcEntry struct {
	start, length, file int
	jump                byte
}

// SourceMap maps program counters of one deployed bytecode to source locations.
type SourceMap struct {
	entries []srcEntry
	pcIndex map[int]int // program counter -> instruction index
	sources map[int]Source
}

// NewSourceMap decodes a Solidity source map for code. It returns an error naming the entry
// that could not be read; it never panics on malformed input.
func NewSourceMap(code []byte, sourceMap string, sources map[int]Source) (*SourceMap, error) {
	sm := &SourceMap{pcIndex: map[int]int{}, sources: sources}
	prev := srcEntry{start: 0, length: 0, file: -1, jump: '-'}
	if sourceMap != "" {
		for i, raw := range strings.Split(sourceMap, ";") {
			e := prev
			fields := strings.Split(raw, ":")
			for k, dst := range []*int{&e.start, &e.length, &e.file} {
				if k >= len(fields) || fields[k] == "" {
					continue
				}
				v, err := strconv.Atoi(fields[k])
				if err != nil {
					return nil, fmt.Errorf("source map entry %d (%q): %w", i, raw, err)
				}
				*dst = v
			}
			if len(fields) > 3 && fields[3] != "" {
				e.jump = fields[3][0]
			}
			sm.entries = append(sm.entries, e)
			prev = e
		}
	}
	for pc, idx := 0, 0; pc < len(code); idx++ {
		sm.pcIndex[pc] = idx
		op := code[pc]
		pc++
		if op >= 0x60 && op <= 0x7f { // PUSH1..PUSH32 carry immediate bytes
			pc += int(op-0x60) + 1
		}
	}
	return sm, nil
}

// JumpType is the jump annotation of the instruction at pc: 'i' (into a function), 'o' (out
// of one) or '-'.
func (sm *SourceMap) JumpType(pc uint64) byte {
	if sm == nil {
		return '-'
	}
	idx, ok := sm.pcIndex[int(pc)]
	if !ok || idx >= len(sm.entries) {
		return '-'
	}
	return sm.entries[idx].jump
}

// Lookup returns the source location of pc, or nil when pc is not an instruction boundary,
// has no entry, or points at compiler-generated code.
func (sm *SourceMap) Lookup(pc uint64) *SourceLocation {
	if sm == nil || pc > 1<<32 {
		return nil
	}
	idx, ok := sm.pcIndex[int(pc)]
	if !ok || idx >= len(sm.entries) {
		return nil
	}
	e := sm.entries[idx]
	src, ok := sm.sources[e.file]
	if e.file < 0 || !ok {
		if e.file < 0 {
			return &SourceLocation{File: "<compiler-generated>", Offset: e.start, Length: e.length}
		}
		return &SourceLocation{File: fmt.Sprintf("<source %d>", e.file), Offset: e.start, Length: e.length}
	}
	loc := &SourceLocation{File: src.Path, Offset: e.start, Length: e.length}
	if e.start < 0 || e.start > len(src.Content) {
		return loc
	}
	before := src.Content[:e.start]
	loc.Line = strings.Count(before, "\n") + 1
	lineStart := strings.LastIndexByte(before, '\n') + 1
	lineEnd := strings.IndexByte(src.Content[lineStart:], '\n')
	if lineEnd < 0 {
		lineEnd = len(src.Content) - lineStart
	}
	loc.Text = strings.TrimSpace(src.Content[lineStart : lineStart+lineEnd])
	return loc
}
