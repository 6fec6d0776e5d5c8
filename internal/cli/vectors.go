package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/vectors"
)

func init() { commands = append(commands, vectorsCommand, vectorsNewCommand) }

// defaultVectorDir is where the corpus lives, relative to the repository root.
const defaultVectorDir = "testdata/vectors"

var vectorsCommand = &command{
	path:    "vectors",
	args:    "[PATH...]",
	summary: "run hand-written test vectors through the Go VM and the EVM step contract",
	details: `
Runs every vector of the given JSON files and directories (default testdata/vectors; the
format is in testdata/vectors/README.md) through both implementations: the Go VM steps
once with proofs, the step contract runs on the same witness (pre-image parts loaded
first). Both must produce the expected outcome written in the vector, derived by hand
from the spec: the listed changes (everything else unchanged) or an exception. A vector
whose expectation both sides miss fails too.

--variants N also runs N variants of each vector with the surrounding state the vector
declares irrelevant ("randomize") filled from --seed S; the expectation must still hold.
--run RE runs only the vectors whose name matches RE. --contract FILE checks another
MIPS64-compatible step contract (artifact JSON or creation-code hex) with our oracle.
A vector that names the kind of its exception ("fault") needs the contract's revert
reason for that kind; --any-revert accepts any revert.
--tamper also forges each variant's witness one word at a time, as 'run --tamper' does
(docs/tamper.md); --tamper-words N (default 0: every used word) as there. A forged
witness with the wrong outcome fails the vector.

--json FILE writes every variant's verdict (with the identity: tool and state version,
the contracts' code hashes), --junit FILE one test case per variant, --summary-md FILE a
Markdown summary appended to FILE (for $GITHUB_STEP_SUMMARY); - is standard output, and
the text report then goes to standard error. Output paths are checked before any vector
runs.

Exit codes: 0 every vector passed, 1 some vector failed, 2 bad input (a malformed vector
is reported with its file and field).`,
	minArgs: 0,
	maxArgs: 1 << 20,
	setup: func(fs *flag.FlagSet) action {
		var variants int
		var seed uint64
		var verbose, goOnly, anyRevert, tamper bool
		var tamperWords int
		var runRE, contract, jsonPath, junitPath, summaryMD string
		fs.IntVar(&variants, "variants", 0, "`N` randomized variants per vector besides the vector as written")
		fs.Uint64Var(&seed, "seed", 1, "`SEED` of the randomized variants")
		fs.BoolVar(&verbose, "v", false, "print passing vectors too")
		fs.BoolVar(&goOnly, "go-only", false, "check the Go VM only (no EVM)")
		fs.BoolVar(&anyRevert, "any-revert", false, "accept any revert reason where a vector expects an exception of a named kind")
		fs.StringVar(&runRE, "run", "", "only vectors whose name matches the regular expression `RE`")
		fs.StringVar(&jsonPath, "json", "", "also write every verdict as JSON to `FILE` (- for standard output)")
		fs.StringVar(&junitPath, "junit", "", "also write a JUnit XML report to `FILE` (- for standard output)")
		fs.StringVar(&summaryMD, "summary-md", "", "append a Markdown summary to `FILE`, e.g. $GITHUB_STEP_SUMMARY (- for standard output)")
		fs.BoolVar(&tamper, "tamper", false, "also run forged witnesses of every vector (docs/tamper.md)")
		fs.IntVar(&tamperWords, "tamper-words", 0, "--tamper: words corrupted per used region (`N`; 0: every used word)")
		fs.StringVar(&contract, "contract", "", "check this step contract instead of ours: artifact JSON or creation-code hex `FILE`")
		return func(e *env, args []string) int {
			outs := (&outputs{}).file("json", jsonPath).file("junit", junitPath).appendFile("summary-md", summaryMD)
			if err := outs.validate(); err != nil {
				return e.errorf("%v", err)
			}
			human := e.stdout
			if outs.toStdout() {
				human = e.stderr
			}
			started := time.Now()
			if len(args) == 0 {
				args = []string{defaultVectorDir}
			}
			if variants < 0 {
				return e.errorf("--variants must be >= 0, got %d", variants)
			}
			var re *regexp.Regexp
			if runRE != "" {
				var err error
				if re, err = regexp.Compile(runRE); err != nil {
					return e.errorf("--run: %v", err)
				}
			}
			vs, err := vectors.Load(args...)
			if err != nil {
				return e.errorf("%v", err)
			}
			if tamperWords < 0 {
				return e.errorf("--tamper-words %d: want 0 (every word) or more", tamperWords)
			}
			if tamper && goOnly {
				return e.errorf("--tamper needs the EVM: drop --go-only")
			}
			r := &vectors.Runner{Variants: variants, Seed: seed, AnyRevert: anyRevert}
			if tamper {
				r.Tamper = &check.TamperOptions{Words: tamperWords, Seed: seed}
			}
			if !goOnly {
				if r.Session, err = vectorSession(contract); err != nil {
					return e.errorf("%v", err)
				}
			}
			sum := vectors.NewSummary(check.NewIdentity(nil, r.Session))
			sum.Variants, sum.GoOnly = variants, goOnly
			for _, v := range vs {
				if re != nil && !re.MatchString(v.Name) {
					continue
				}
				sum.Vectors++
				results, err := r.Run(v)
				if err != nil {
					return e.errorf("%v", err)
				}
				for _, res := range results {
					sum.Add(res)
					vectors.Format(human, res, verbose)
				}
			}
			sum.DurationNS = time.Since(started)
			status := "all passed"
			if sum.Failed > 0 {
				status = fmt.Sprintf("%d FAILED", sum.Failed)
			}
			fmt.Fprintf(human, "fpvmdiff vectors: %d vector run(s) (%d vectors, %d variant(s) each), %s\n", sum.Runs, sum.Vectors, variants, status)
			if r.TamperStats != nil {
				check.FormatTamper(human, r.TamperStats)
			}
			if code := writeVectorReports(e, sum, jsonPath, junitPath, summaryMD); code != exitOK {
				return code
			}
			if sum.Failed > 0 || (r.TamperStats != nil && r.TamperStats.Findings > 0) {
				return exitDivergence
			}
			return exitOK
		}
	},
}

var vectorsNewCommand = &command{
	path:    "vectors new",
	args:    "NAME",
	summary: "write a skeleton vector file to fill in",
	details: `
Writes NAME.json into --dir (default testdata/vectors) with every field of the format and
placeholder values; it refuses to overwrite a file. Fill in the rule, the pre-state and the
expectation derived by hand from docs/spec.md, then run 'fpvmdiff vectors FILE'.`,
	minArgs: 1,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet) action {
		var dir string
		fs.StringVar(&dir, "dir", defaultVectorDir, "`DIR` to write the skeleton into")
		return func(e *env, args []string) int {
			name := args[0]
			if !regexp.MustCompile(`^[A-Za-z0-9._-]+$`).MatchString(name) {
				return e.errorf("NAME %q: use letters, digits, '.', '_' and '-' only", name)
			}
			path := filepath.Join(dir, name+".json")
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, os.ErrExist) {
				return e.errorf("%s already exists", path)
			}
			if err != nil {
				return e.errorf("%v", err)
			}
			if _, err := f.WriteString(vectors.Skeleton(name)); err != nil {
				f.Close()
				return e.errorf("writing %s: %v", path, err)
			}
			if err := f.Close(); err != nil {
				return e.errorf("writing %s: %v", path, err)
			}
			fmt.Fprintf(e.stdout, "wrote %s\n", path)
			return exitOK
		}
	},
}

// writeVectorReports writes the machine-readable reports of a vectors run.
func writeVectorReports(e *env, sum *vectors.Summary, jsonPath, junitPath, summaryMD string) int {
	if jsonPath != "" {
		if err := writeJSON(jsonPath, e.stdout, sum); err != nil {
			return e.errorf("writing --json: %v", err)
		}
	}
	if junitPath != "" {
		data, err := sum.JUnit()
		if err == nil {
			err = writeOutput(junitPath, e.stdout, data)
		}
		if err != nil {
			return e.errorf("writing --junit: %v", err)
		}
	}
	if summaryMD != "" {
		if err := appendOutput(summaryMD, e.stdout, sum.Markdown()); err != nil {
			return e.errorf("writing --summary-md: %v", err)
		}
	}
	return exitOK
}

// vectorSession is our contracts, or the given step contract with our oracle.
func vectorSession(contract string) (*evmharness.Session, error) {
	if contract == "" {
		return evmharness.NewBuiltinSession()
	}
	mips, err := evmharness.LoadContractFile(contract)
	if err != nil {
		return nil, err
	}
	oracle, err := evmharness.BuiltinArtifact("PreimageOracle")
	if err != nil {
		return nil, err
	}
	return evmharness.NewSession(mips, oracle)
}
