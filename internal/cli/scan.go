package cli

import (
	"flag"
	"os"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/fpvmdiff/fpvmdiff/scan"
)

// The scan command registers itself, so the dispatcher's list needs no edit.
func init() { commands = append(commands, scanCommand) }

// Exit codes of scan: 0 clean, 1 findings, 2 usage or input error.
const exitFindings = 1

var scanCommand = &command{
	path:    "scan",
	args:    "ELF",
	summary: "list the instructions and syscalls of a guest ELF that the MT-Cannon spec does not support",
	details: `
Decodes every instruction of the ELF's executable code with the scanner's own tables
(docs/spec.md §5 "Instructions" and §7 "Syscalls") and lists, per enclosing symbol:
  unsupported instruction  the spec rejects it: executing it fails the step
  deviating instruction    it runs, but not as MIPS64 defines (rotates run as shifts,
                           unknown REGIMM branches are never taken)
  unsupported syscall      a syscall with a constant number the VM does not implement,
                           found before the syscall or at calls to a wrapper that takes
                           the number as an argument (best effort; sites whose number is
                           not a constant are listed, not checked)

A Go binary contains runtime code that never runs under Cannon (crash traps, cgo-only
and MSA paths, process management). Findings there are accepted by the audited Go
runtime allowlist built into fpvmdiff (scan/goruntime.allow; --no-go-allowlist turns it
off). --allow FILE adds your own audited entries, one per line:
  <symbol> <finding> [if=godebug:<key>=<value>] <reason>
where finding is a mnemonic or syscall:<number> and '*' matches any characters.
Accepted findings are still printed, with their reason. See docs/scan.md.

Exit codes: 0 clean, 1 findings outside the allowlists, 2 usage or input error.`,
	minArgs: 1,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet) action {
		o := &scanOptions{}
		fs.StringVar(&o.jsonPath, "json", "", "also write the result as JSON to `FILE` (written atomically; - for standard output)")
		fs.Var(&o.allow, "allow", "accept the audited findings listed in allowlist `FILE` (repeatable)")
		fs.BoolVar(&o.noGoAllow, "no-go-allowlist", false, "do not apply the built-in Go runtime allowlist")
		return func(e *env, args []string) int { return o.run(e, args[0]) }
	},
}

type scanOptions struct {
	jsonPath  string
	allow     stringList
	noGoAllow bool
}

// scanSchemaVersion is the schema_version of `scan --json`.
const scanSchemaVersion = 1

func (o *scanOptions) run(e *env, elfPath string) int {
	outs := (&outputs{}).file("json", o.jsonPath)
	if err := outs.validate(); err != nil {
		return e.errorf("%v", err)
	}
	human := e.stdout
	if outs.toStdout() {
		human = e.stderr
	}
	opts := scan.Options{GoRuntimeAllowlist: !o.noGoAllow}
	for _, path := range o.allow {
		l, err := scan.LoadAllowlist(path)
		if err != nil {
			return e.errorf("%v", err)
		}
		opts.Allow = append(opts.Allow, l)
	}
	res, err := scan.ScanFile(elfPath, opts)
	if err != nil { // unreadable file or not a MIPS64 ELF: an input error
		return e.errorf("%v", err)
	}
	res.Print(human)
	if o.jsonPath != "" {
		elf, _ := os.ReadFile(elfPath) // readable: ScanFile just read it
		out := struct {
			SchemaVersion int `json:"schema_version"`
			check.Identity
			*scan.Result
		}{scanSchemaVersion, check.NewIdentity(elf, nil), res}
		out.File = check.DisplayPath(res.File)
		if err := writeJSON(o.jsonPath, e.stdout, out); err != nil {
			return e.errorf("--json: %v", err)
		}
	}
	if !res.Clean() {
		return exitFindings
	}
	return exitOK
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
