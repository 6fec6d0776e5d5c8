package cli

import (
	"flag"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/fpvmdiff/fpvmdiff/coverage"
	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/vectors"
)

func init() { commands = append(commands, coverageCommand) }

// fileList is a repeatable flag; each use may also hold a comma-separated list.
type fileList []string

func (f *fileList) String() string { return strings.Join(*f, ",") }

func (f *fileList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p != "" {
			*f = append(*f, p)
		}
	}
	return nil
}

// coverageSchemaVersion is the schema_version of `coverage --json`.
const coverageSchemaVersion = 1

var coverageCommand = &command{
	path:    "coverage",
	summary: "matrix of spec rows against the differential checks that exercised them",
	details: `
Lists every spec row of docs/spec.md the harness must check differentially (each
opcode, SPECIAL/SPECIAL2 funct and REGIMM selector, branch outcomes, each syscall number
and argument class, scheduler events, exception kinds) with how often it was checked:
by the vector corpus (--vectors, default testdata/vectors; only vectors that pass on both
sides count), by guest programs (--programs: summaries written by 'fpvmdiff run --json';
only checked steps count), and by fuzzing (--fuzz: summaries in the same format).

--json FILE writes the matrix. --gate exits 1 when a row has no differential check.

Exit codes: 0 done (and, with --gate, every row covered), 1 --gate found uncovered rows,
2 bad input.`,
	setup: func(fs *flag.FlagSet) action {
		var programs, fuzz, vecPaths fileList
		var jsonPath string
		var gate bool
		fs.Var(&programs, "programs", "run summary `FILE`(s) of guest programs (repeatable, comma-separated)")
		fs.Var(&fuzz, "fuzz", "run summary `FILE`(s) of fuzz runs (repeatable)")
		fs.Var(&vecPaths, "vectors", "vector files or directories to count, `PATH` (repeatable; default testdata/vectors)")
		fs.StringVar(&jsonPath, "json", "", "write the matrix as JSON to `FILE` (- for standard output)")
		fs.BoolVar(&gate, "gate", false, "exit 1 when any spec row has zero differential checks")
		return func(e *env, _ []string) int {
			outs := (&outputs{}).file("json", jsonPath)
			if err := outs.validate(); err != nil {
				return e.errorf("%v", err)
			}
			human := e.stdout
			if outs.toStdout() {
				human = e.stderr
			}
			if len(vecPaths) == 0 {
				vecPaths = fileList{defaultVectorDir}
			}
			vs, err := vectors.Load(vecPaths...)
			if err != nil {
				return e.errorf("%v", err)
			}
			s, err := evmharness.NewBuiltinSession()
			if err != nil {
				return e.errorf("%v", err)
			}
			r := &vectors.Runner{Session: s}
			var results []*vectors.Result
			for _, v := range vs {
				res, err := r.Run(v)
				if err != nil {
					return e.errorf("%v", err)
				}
				results = append(results, res[0])
			}
			sources := []coverage.Source{coverage.FromVectors(results)}
			prog := coverage.Source{Name: "programs"}
			for _, f := range programs {
				if err := coverage.AddSummary(&prog, f); err != nil {
					return e.errorf("--programs: %v", err)
				}
			}
			fz := coverage.Source{Name: "fuzz"}
			for _, f := range fuzz {
				if err := coverage.AddSummary(&fz, f); err != nil {
					return e.errorf("--fuzz: %v", err)
				}
			}
			sources = append(sources, prog, fz)
			m := coverage.Build(coverage.Rows(), sources)
			coverage.Format(human, m)
			if jsonPath != "" {
				out := struct {
					SchemaVersion int `json:"schema_version"`
					check.Identity
					*coverage.Matrix
				}{coverageSchemaVersion, check.NewIdentity(nil, s), m}
				if err := writeJSON(jsonPath, e.stdout, out); err != nil {
					return e.errorf("writing --json: %v", err)
				}
			}
			if gate && len(m.Uncovered) > 0 {
				return exitDivergence
			}
			return exitOK
		}
	},
}
