package check

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/internal/buildinfo"
)

// SummarySchemaVersion is the schema_version of the JSON run summary (RunResult, written by
// `run --json` and `merge --json`). Version 1 added the identity fields; summaries without a
// schema_version were written before it and cannot be merged with checked identities.
const SummarySchemaVersion = 1

// Identity says what a report is about: which build of fpvmdiff checked which guest against
// which contracts under which rules. Every JSON summary, JUnit file and bundle carries it, and
// merge refuses shards whose identities differ. Hashes are lower-case hex with 0x.
type Identity struct {
	ToolVersion  string `json:"tool_version"`
	StateVersion int    `json:"state_version"`
	// ELFSHA256 is the sha256 of the guest ELF; empty where there is none (vectors).
	ELFSHA256 string `json:"elf_sha256,omitempty"`
	// StepCodeHash and OracleCodeHash are keccak256 of the runtime code deployed in the EVM
	// session (empty for a run of the Go VM alone).
	StepCodeHash   string `json:"step_contract_code_hash,omitempty"`
	OracleCodeHash string `json:"oracle_code_hash,omitempty"`
}

// NewIdentity is the identity of this build for a guest elf (nil: none) checked in session s
// (nil: the Go VM alone).
func NewIdentity(elf []byte, s *evmharness.Session) Identity {
	id := Identity{ToolVersion: buildinfo.ToolVersion(), StateVersion: evmharness.StateVersion}
	if elf != nil {
		sum := sha256.Sum256(elf)
		id.ELFSHA256 = "0x" + hex.EncodeToString(sum[:])
	}
	if s != nil {
		step, oracle := s.CodeHashes()
		id.StepCodeHash, id.OracleCodeHash = step.Hex(), oracle.Hex()
	}
	return id
}

// Fields lists the identity as (JSON name, value) pairs, in a fixed order, for comparisons
// and for formats without nesting (JUnit properties, Markdown).
func (id Identity) Fields() [][2]string {
	return [][2]string{
		{"tool_version", id.ToolVersion},
		{"state_version", fmt.Sprint(id.StateVersion)},
		{"elf_sha256", id.ELFSHA256},
		{"step_contract_code_hash", id.StepCodeHash},
		{"oracle_code_hash", id.OracleCodeHash},
	}
}

// FirstDifference names the first identity field in which id and other differ, with both
// values; ok is false when they are equal.
func (id Identity) FirstDifference(other Identity) (field, a, b string, ok bool) {
	fa, fb := id.Fields(), other.Fields()
	for i := range fa {
		if fa[i][1] != fb[i][1] {
			return fa[i][0], fa[i][1], fb[i][1], true
		}
	}
	return "", "", "", false
}

// DisplayPath is how a path the user gave appears in reports and bundles, which are read on
// other machines: relative paths stay as given; an absolute path becomes relative to the
// working directory when it lies below it, else its base name. So no report records where
// the writing machine keeps its files.
func DisplayPath(p string) string {
	if p == "" || !filepath.IsAbs(p) {
		return p
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel
		}
	}
	return filepath.Base(p)
}

// Portable is r as it is written to files read elsewhere (JSON summaries, JUnit): the same
// result with its paths passed through DisplayPath. r itself keeps the paths as given, so a
// summary printed on this machine names the bundle where it can be opened.
func (r *RunResult) Portable() *RunResult {
	p := *r
	p.Program, p.BundlePath = DisplayPath(r.Program), DisplayPath(r.BundlePath)
	return &p
}
