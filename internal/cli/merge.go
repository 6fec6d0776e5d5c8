package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/fpvmdiff/fpvmdiff/check"
)

func init() { commands = append(commands, mergeCommand) }

var mergeCommand = &command{
	path:    "merge",
	args:    "SUMMARY.json...",
	summary: "merge the JSON summaries of shards of one trace (run --shard i/n --json) into one",
	details: `
Each SUMMARY.json is the --json output of one 'fpvmdiff run', typically one shard
(--range A:B --shard i/n) run on its own machine. The merged summary is what a single run
over the whole range would have reported: steps run and checked and the per-class counts
summed, gas percentiles recomputed exactly from the shards' gas histograms, and the first
divergence the one with the lowest step (shards that start after it are not counted).

The shards must be of the same program and check mode and cover one contiguous range: a
gap, an overlap, or a shard that stopped before the end of its range is an error. So is a
merged range that stops before the guest exited (the rest of the trace would go
unchecked, silently): shard --range A:end, or give --allow-partial to accept that. Their
identities must agree too: tool version, state version, the ELF's sha256 and the code
hashes of the step contract and the oracle (the error names the field that differs).
--json, --junit and --summary-md write the merged result as 'run' does.
See docs/scale-out.md for CI-matrix and Kubernetes examples.

Exit codes: 0 no shard diverged, 1 a shard diverged, 2 usage or input error.`,
	minArgs: 1,
	maxArgs: 1 << 20,
	setup: func(fs *flag.FlagSet) action {
		o := &mergeOptions{}
		fs.StringVar(&o.jsonPath, "json", "", "write the merged summary as JSON to `FILE` (- for standard output)")
		fs.StringVar(&o.junitPath, "junit", "", "write a JUnit XML report of the merged result to `FILE` (- for standard output)")
		fs.StringVar(&o.summaryMD, "summary-md", "", "append a Markdown summary to `FILE`, e.g. $GITHUB_STEP_SUMMARY (- for standard output)")
		fs.StringVar(&o.htmlPath, "html", "", "write a self-contained HTML report of the merged result to `FILE` (- for standard output)")
		fs.BoolVar(&o.allowPartial, "allow-partial", false, "accept shards that stop before the guest's exit (part of a trace)")
		return func(e *env, args []string) int { return runMerge(e, args, o) }
	},
}

type mergeOptions struct {
	jsonPath, junitPath, summaryMD, htmlPath string
	allowPartial                             bool
}

func runMerge(e *env, paths []string, o *mergeOptions) int {
	outs := (&outputs{}).file("json", o.jsonPath).file("junit", o.junitPath).appendFile("summary-md", o.summaryMD).file("html", o.htmlPath)
	if err := outs.validate(); err != nil {
		return e.errorf("%v", err)
	}
	human := e.stdout
	if outs.toStdout() {
		human = e.stderr
	}
	shards := make([]check.Shard, 0, len(paths))
	for _, p := range paths {
		r, err := readRunSummary(p)
		if err != nil {
			return e.errorf("%v", err)
		}
		shards = append(shards, check.Shard{Name: p, Result: r})
	}
	merged, err := check.Merge(shards)
	if err != nil {
		return e.errorf("%v", err)
	}
	if err := merged.Complete(); err != nil && !o.allowPartial {
		return e.errorf("merged shards: %v; or give --allow-partial", err)
	}
	if merged.Divergence != nil {
		check.FormatBundle(human, merged.Divergence)
		fmt.Fprintln(human)
	}
	check.FormatSummary(human, merged)
	if merged.Tamper != nil {
		check.FormatTamper(human, merged.Tamper)
	}
	if r := merged.Range; r != nil {
		fmt.Fprintf(human, "  merged         %d shards covering steps %d:%d\n", merged.Shards, r.Start, r.End)
	} else {
		fmt.Fprintf(human, "  merged         %d shards\n", merged.Shards)
	}
	if code := writeRunReports(e, merged, reportPaths{o.jsonPath, o.junitPath, o.summaryMD, o.htmlPath}, merged.Portable()); code != exitOK {
		return code
	}
	if merged.Diverged() || merged.TamperFailed() {
		return exitDivergence
	}
	return exitOK
}

func readRunSummary(path string) (*check.RunResult, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading summary: %w", err)
	}
	var r check.RunResult
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("summary %s: not a 'fpvmdiff run --json' summary: %w", path, err)
	}
	if r.Program == "" || r.Mode == "" {
		return nil, fmt.Errorf("summary %s: not a 'fpvmdiff run --json' summary (no program or mode)", path)
	}
	return &r, nil
}
