// Command mutate runs the mutant catalogue of package mutate against the differential
// suite and writes docs/mutants.md. Run it from the repository root (make mutate).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/fpvmdiff/fpvmdiff/mutate"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

func run() error {
	repo := flag.String("repo", ".", "repository root to copy for every mutant (never modified)")
	jobs := flag.Int("jobs", 2, "mutants run in parallel")
	only := flag.String("run", "", "only mutants whose id matches this regular expression")
	side := flag.String("side", "", "only mutants of this side (go or sol)")
	out := flag.String("out", "docs/mutants.md", "markdown report, rewritten after every mutant (empty: none)")
	unitGo := flag.Bool("unit-go", true, "also run go test ./vm/... on every Go mutant")
	unitSol := flag.Bool("unit-sol", false, "also run forge test on every Solidity mutant (slow)")
	timeout := flag.Duration("timeout", 5*time.Minute, "limit of each command of a mutant (a timeout of a check counts as a kill)")
	unitTimeout := flag.Duration("unit-timeout", 150*time.Second, "limit of the unit tests of a mutant (a hang counts as a kill; an unmutated go test ./vm/... takes under a minute)")
	keep := flag.Bool("keep", false, "keep the temporary copies")
	list := flag.Bool("list", false, "list the catalogue and exit")
	verbose := flag.Bool("v", false, "print the output tail that decided each verdict")
	merge := flag.String("merge", "", "merge this run's verdicts into an earlier report (e.g. docs/mutants.md) instead of replacing it")
	mergeFrom := flag.String("merge-from", "", "with -merge: also take the verdicts of this later report (e.g. a run in another copy), as if they were this run's")
	resume := flag.Bool("resume", false, "with -merge: run only the mutants the earlier report has no verdict for")
	noBaseline := flag.Bool("no-baseline", false, "skip the unmutated control run")
	variants := flag.Int("variants", 4, "randomized variants of every vector (fpvmdiff vectors --variants): operand variants draw new operands inside each vector's classes")
	flag.Parse()

	if err := mutate.Validate(mutate.Catalogue); err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	var re *regexp.Regexp
	if *only != "" {
		var err error
		if re, err = regexp.Compile(*only); err != nil {
			return fmt.Errorf("-run: %w", err)
		}
	}
	if *side != "" && *side != string(mutate.SideGo) && *side != string(mutate.SideSol) {
		return fmt.Errorf("-side %q: want go or sol", *side)
	}
	if *jobs < 1 {
		return fmt.Errorf("-jobs %d: want at least 1", *jobs)
	}
	var todo []mutate.Mutant
	for _, m := range mutate.Catalogue {
		if (re == nil || re.MatchString(m.ID)) && (*side == "" || string(m.Side) == *side) {
			todo = append(todo, m)
		}
	}
	if *list {
		for _, m := range todo {
			fmt.Printf("%-32s %-3s %-12s %s\n", m.ID, m.Side, m.Area, m.Description)
		}
		return nil
	}
	var old []mutate.Result
	var raw []byte
	if *merge != "" {
		var err error
		if raw, err = os.ReadFile(*merge); err != nil {
			return fmt.Errorf("-merge: %w", err)
		}
		if old, err = mutate.ParseMarkdown(bytes.NewReader(raw)); err != nil {
			return fmt.Errorf("-merge %s: %w", *merge, err)
		}
		if len(old) == 0 {
			return fmt.Errorf("-merge %s: no mutant verdicts found", *merge)
		}
	}
	if *resume {
		if *merge == "" {
			return fmt.Errorf("-resume needs -merge")
		}
		done := map[string]bool{}
		for _, r := range old {
			done[r.Mutant.ID] = r.Diff != mutate.Broken
		}
		var rest []mutate.Mutant
		for _, m := range todo {
			if !done[m.ID] {
				rest = append(rest, m)
			}
		}
		todo = rest
	}
	absRepo, err := filepath.Abs(*repo)
	if err != nil {
		return fmt.Errorf("-repo: %w", err)
	}
	tmpRoot, err := os.MkdirTemp("", "fpvmdiff-mutate-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	if !*keep {
		defer os.RemoveAll(tmpRoot)
	}
	r := &mutate.Runner{
		Repo: absRepo, TmpRoot: tmpRoot, CmdTimeout: *timeout, UnitGo: *unitGo, UnitSol: *unitSol,
		UnitTimeout: *unitTimeout, Keep: *keep, HelloSteps: 50000, GuestELF: "testdata/programs/bin/hello.elf",
		VectorsArgs: []string{"--variants", fmt.Sprint(*variants)},
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	rep := mutate.Report{
		Planned: len(todo), Started: time.Now(), Jobs: *jobs, UnitGo: *unitGo, UnitSol: *unitSol,
		Command: "go run ./mutate/cmd/mutate " + strings.Join(os.Args[1:], " "), VectorsArgs: r.VectorsArgs,
	}
	if !*noBaseline {
		fmt.Fprintln(os.Stderr, "mutate: control run (no mutation)")
		b := r.Run(ctx, mutate.Baseline)
		if b.Diff != mutate.Survived {
			return fmt.Errorf("the unmutated copy does not pass the differential suite (%s by %s): %s", b.Diff, b.DiffBy, b.Detail)
		}
		if b.Unit == mutate.Killed {
			return fmt.Errorf("the unit tests fail in the unmutated copy")
		}
		rep.Baseline = &b
	}

	if *merge != "" {
		rep.Previous, rep.PreviousControl = previousRun(raw)
		rep.Planned = len(mutate.Merge(old, resultsOf(todo)))
		for _, m := range todo {
			rep.Rerun = append(rep.Rerun, m.ID)
		}
	}
	var fresh []mutate.Result
	if *mergeFrom != "" {
		if *merge == "" {
			return fmt.Errorf("-merge-from needs -merge")
		}
		raw2, err := os.ReadFile(*mergeFrom)
		if err != nil {
			return fmt.Errorf("-merge-from: %w", err)
		}
		if fresh, err = mutate.ParseMarkdown(bytes.NewReader(raw2)); err != nil {
			return fmt.Errorf("-merge-from %s: %w", *mergeFrom, err)
		}
		runs, control := previousRun(raw2)
		rep.Previous = append(runs, rep.Previous...)
		if control != "" && rep.Baseline == nil {
			rep.PreviousControl = control
		}
		rep.Rerun = nil
		for _, r := range fresh {
			rep.Rerun = append(rep.Rerun, r.Mutant.ID)
		}
		for _, m := range todo {
			rep.Rerun = append(rep.Rerun, m.ID)
		}
		rep.Planned = len(mutate.Merge(mutate.Merge(old, fresh), resultsOf(todo)))
		rep.MergedOnly = len(todo) == 0
	}
	var mu sync.Mutex
	write := func() error {
		if *out == "" {
			return nil
		}
		rep.Elapsed = time.Since(rep.Started)
		rep.Results = mutate.Merge(old, fresh)
		var buf bytes.Buffer
		mutate.WriteMarkdown(&buf, rep)
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", *out, err)
		}
		return nil
	}
	work := make(chan mutate.Mutant)
	var wg sync.WaitGroup
	var writeErr error
	for range *jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				res := r.Run(ctx, m)
				mu.Lock()
				if ctx.Err() == nil {
					fresh = append(fresh, res)
					fmt.Fprintf(os.Stderr, "mutate: [%d/%d] %-32s %-9s %-8s unit %-8s %s\n", len(fresh), len(todo),
						m.ID, res.Diff, res.DiffBy, res.Unit, res.Duration.Round(time.Second))
					if *verbose && res.Detail != "" {
						fmt.Fprintf(os.Stderr, "         %s\n", res.Detail)
					}
					if err := write(); err != nil && writeErr == nil {
						writeErr = err
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, m := range todo {
		if ctx.Err() != nil {
			break
		}
		work <- m
	}
	close(work)
	wg.Wait()
	if writeErr != nil {
		return writeErr
	}
	if err := write(); err != nil {
		return err
	}
	mutate.WriteTable(os.Stdout, mutate.Merge(old, fresh))
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted after %d of %d mutants (report marked partial)", len(fresh), len(todo))
	}
	return nil
}

// resultsOf stands for the mutants still to run, for counting the merged total.
func resultsOf(ms []mutate.Mutant) []mutate.Result {
	out := make([]mutate.Result, len(ms))
	for i, m := range ms {
		out[i].Mutant = m
	}
	return out
}

// previousRun finds the run lines and the control-run line of an earlier report, kept
// when merging into it.
func previousRun(report []byte) (runs []string, control string) {
	for _, l := range strings.Split(string(report), "\n") {
		switch {
		case strings.HasPrefix(l, "Run started "):
			runs = append(runs, strings.TrimPrefix(l, "Run started "))
		case strings.HasPrefix(l, "Earlier run: started "):
			runs = append(runs, strings.TrimPrefix(l, "Earlier run: started "))
		case strings.HasPrefix(l, "Run: started "):
			runs = append(runs, strings.TrimPrefix(l, "Run: started "))
		case strings.HasPrefix(l, "Control run") && control == "":
			control = l
		}
	}
	return runs, control
}
