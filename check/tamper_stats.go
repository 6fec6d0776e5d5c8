package check

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// TamperStats sums the tamper reports of a run.
type TamperStats struct {
	Words          int               `json:"words"` // --tamper-words (0: all)
	Steps          uint64            `json:"steps"` // steps whose witnesses were forged
	Tried          uint64            `json:"tried"`
	Rejected       uint64            `json:"rejected"`        // used words, reverted with the right reason
	AcceptedUnused uint64            `json:"accepted_unused"` // unused words, honest outcome
	StateAgreed    uint64            `json:"state_agreed"`    // forged states, contract = stateless replay
	StateSkipped   uint64            `json:"state_skipped"`   // steps without state forgeries (honest replay disagreed)
	Findings       uint64            `json:"findings"`        // about the contract
	Soundness      uint64            `json:"soundness"`       // findings where a forgery changed the accepted post-state
	GoReplay       uint64            `json:"go_replay"`       // about the Go VM's stateless replay (not the contract)
	Problems       map[string]uint64 `json:"problems,omitempty"`
	Kinds          map[string]uint64 `json:"kinds"` // steps tampered, by kind (StepUse)
	// First are the findings of the lowest steps (at most maxTamperKept), with bundles.
	First       []*TamperFinding `json:"first,omitempty"`
	FirstGo     []*TamperFinding `json:"first_go_replay,omitempty"`
	BundlePaths []string         `json:"bundle_paths,omitempty"`
}

// maxTamperKept bounds the findings a run keeps in full: a contract that skips one check
// fails on every step that needs it.
const maxTamperKept = 8

// Add folds one step's report into the sums.
func (t *TamperStats) Add(r *TamperReport) {
	if t.Kinds == nil {
		t.Kinds = map[string]uint64{}
	}
	t.Steps++
	t.Kinds[r.Kind]++
	t.Tried += uint64(r.Tried)
	t.Rejected += uint64(r.Rejected)
	t.AcceptedUnused += uint64(r.AcceptedUnused)
	t.StateAgreed += uint64(r.StateAgreed)
	if r.StateSkipped {
		t.StateSkipped++
	}
	t.GoReplay += uint64(len(r.GoReplay))
	t.FirstGo = keepLowest(append(t.FirstGo, r.GoReplay...))
	for _, f := range r.Findings {
		t.Findings++
		if f.Soundness {
			t.Soundness++
		}
		if t.Problems == nil {
			t.Problems = map[string]uint64{}
		}
		t.Problems[f.Problem]++
		t.First = append(t.First, f)
	}
	t.First = keepLowest(t.First)
}

// keepLowest keeps the maxTamperKept findings of the lowest steps.
func keepLowest(fs []*TamperFinding) []*TamperFinding {
	if len(fs) <= maxTamperKept {
		return fs
	}
	slices.SortStableFunc(fs, func(a, b *TamperFinding) int {
		return cmp.Or(cmp.Compare(a.Step, b.Step), cmp.Compare(a.Forgery.Offset, b.Forgery.Offset))
	})
	return fs[:maxTamperKept]
}

// Merge adds another run's sums (shards); the kept findings stay the lowest steps'.
func (t *TamperStats) Merge(o *TamperStats) {
	if o == nil {
		return
	}
	t.Steps += o.Steps
	t.Tried += o.Tried
	t.Rejected += o.Rejected
	t.AcceptedUnused += o.AcceptedUnused
	t.StateAgreed += o.StateAgreed
	t.StateSkipped += o.StateSkipped
	t.GoReplay += o.GoReplay
	t.Findings += o.Findings
	t.Soundness += o.Soundness
	for k, v := range o.Kinds {
		if t.Kinds == nil {
			t.Kinds = map[string]uint64{}
		}
		t.Kinds[k] += v
	}
	for k, v := range o.Problems {
		if t.Problems == nil {
			t.Problems = map[string]uint64{}
		}
		t.Problems[k] += v
	}
	t.First = keepLowest(append(t.First, o.First...))
	t.FirstGo = keepLowest(append(t.FirstGo, o.FirstGo...))
	t.BundlePaths = append(t.BundlePaths, o.BundlePaths...)
}

// WriteBundles writes the bundles of the kept findings into dir.
func (t *TamperStats) WriteBundles(dir string) error {
	for _, f := range t.First {
		if f.Bundle == nil {
			continue
		}
		name := fmt.Sprintf("tamper-step-%d-%s-%d.json", f.Step, f.Forgery.Region, f.Forgery.Word)
		if f.Forgery.Field != "" {
			name = fmt.Sprintf("tamper-step-%d-state-%s.json", f.Step, strings.ReplaceAll(f.Forgery.Field, "=", ""))
		}
		if f.Forgery.Random {
			name = strings.TrimSuffix(name, ".json") + "-random.json"
		}
		path := filepath.Join(dir, name)
		if err := writeBundleFile(path, f.Bundle); err != nil {
			return err
		}
		t.BundlePaths = append(t.BundlePaths, path)
	}
	return nil
}

// FormatTamper prints the tamper part of a run's summary.
func FormatTamper(w io.Writer, t *TamperStats) {
	words := "all"
	if t.Words > 0 {
		words = fmt.Sprint(t.Words)
	}
	fmt.Fprintf(w, "  tamper         %d steps, %d forged witnesses (words per region: %s)\n", t.Steps, t.Tried, words)
	fmt.Fprintf(w, "                 %d rejected, %d accepted-unused (honest outcome), %d forged states agreeing with the stateless replay\n",
		t.Rejected, t.AcceptedUnused, t.StateAgreed)
	fmt.Fprintf(w, "                 %d findings (%d soundness)", t.Findings, t.Soundness)
	if len(t.Problems) > 0 {
		ps := make([]string, 0, len(t.Problems))
		for p, n := range t.Problems {
			ps = append(ps, fmt.Sprintf("%s %d", p, n))
		}
		slices.Sort(ps)
		fmt.Fprintf(w, ": %s", strings.Join(ps, ", "))
	}
	fmt.Fprintln(w)
	if len(t.Kinds) > 0 {
		ks := make([]string, 0, len(t.Kinds))
		for k, n := range t.Kinds {
			ks = append(ks, fmt.Sprintf("%s %d", k, n))
		}
		slices.Sort(ks)
		fmt.Fprintf(w, "                 step kinds: %s\n", strings.Join(ks, ", "))
	}
	if t.GoReplay > 0 {
		fmt.Fprintf(w, "  go replay      %d forged witnesses on which the Go VM's stateless replay differs from the contract (not a contract finding); %d steps without state forgeries\n", t.GoReplay, t.StateSkipped)
		for _, f := range t.FirstGo {
			fmt.Fprintf(w, "    %s\n", f)
		}
	}
	// The contract's findings last: they are what a reader (or a log tail) needs.
	for _, f := range t.First {
		fmt.Fprintf(w, "  FORGERY        %s\n", f)
	}
	for _, p := range t.BundlePaths {
		fmt.Fprintf(w, "  tamper bundle  %s (replay: fpvmdiff repro %s)\n", p, p)
	}
}

// writeBundleFile writes b as indented JSON to path.
func writeBundleFile(path string, b *Bundle) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("bundle dir: %w", err)
	}
	return writeBundleTo(path, b)
}
