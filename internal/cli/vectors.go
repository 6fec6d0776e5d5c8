package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

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

Exit codes: 0 every vector passed, 1 some vector failed, 2 bad input (a malformed vector
is reported with its file and field).`,
	minArgs: 0,
	maxArgs: 1 << 20,
	setup: func(fs *flag.FlagSet) action {
		var variants int
		var seed uint64
		var verbose, goOnly, anyRevert, tamper bool
		var tamperWords int
		var runRE, contract string
		fs.IntVar(&variants, "variants", 0, "randomized variants per vector besides the vector as written")
		fs.Uint64Var(&seed, "seed", 1, "seed of the randomized variants")
		fs.BoolVar(&verbose, "v", false, "print passing vectors too")
		fs.BoolVar(&goOnly, "go-only", false, "check the Go VM only (no EVM)")
		fs.BoolVar(&anyRevert, "any-revert", false, "accept any revert reason where a vector expects an exception of a named kind")
		fs.BoolVar(&tamper, "tamper", false, "also run forged witnesses of every vector (docs/tamper.md)")
		fs.IntVar(&tamperWords, "tamper-words", 0, "--tamper: words corrupted per used region (`N`; 0: every used word)")
		fs.StringVar(&runRE, "run", "", "only vectors whose name matches this regular expression")
		fs.StringVar(&contract, "contract", "", "check this step contract instead of ours: artifact JSON or creation-code hex `FILE`")
		return func(e *env, args []string) int {
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
			ran, failed := 0, 0
			for _, v := range vs {
				if re != nil && !re.MatchString(v.Name) {
					continue
				}
				results, err := r.Run(v)
				if err != nil {
					return e.errorf("%v", err)
				}
				for _, res := range results {
					ran++
					if !res.Pass() {
						failed++
					}
					vectors.Format(e.stdout, res, verbose)
				}
			}
			status := "all passed"
			if failed > 0 {
				status = fmt.Sprintf("%d FAILED", failed)
			}
			fmt.Fprintf(e.stdout, "fpvmdiff vectors: %d vector run(s) (%d vectors, %d variant(s) each), %s\n", ran, len(vs), variants, status)
			if r.TamperStats != nil {
				check.FormatTamper(e.stdout, r.TamperStats)
			}
			if failed > 0 {
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
expectation derived by hand from MTCANNON-FACTS, then run 'fpvmdiff vectors FILE'.`,
	minArgs: 1,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet) action {
		var dir string
		fs.StringVar(&dir, "dir", defaultVectorDir, "directory to write the skeleton into")
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
