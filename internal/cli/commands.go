// Package cli is the fpvmdiff command line: one file per subcommand, a small dispatcher
// (commands.go), flags, progress, exit codes and summaries. Binaries call Main.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Process exit codes. A guest's own exit code is passed through, so these overlap with
// guest codes by necessity; the summary says which one happened.
const (
	exitOK       = 0
	exitUsage    = 2 // bad flags or input files
	exitFault    = 3 // the VM faulted
	exitLivelock = 4 // vm run: the livelock detector fired (issue 7 fixes this code)
	exitNoFinish = 5 // vm run: --max-steps reached before the guest exited
)

// command is one subcommand. Adding a subcommand means one file defining a *command and one
// line in commands below.
type command struct {
	path    string // words after "fpvmdiff", e.g. "vm run"
	args    string // positional arguments for the usage line, e.g. "ELF"
	summary string // one line for `fpvmdiff help`
	details string // paragraphs for `fpvmdiff help <command>`
	minArgs int
	maxArgs int
	// setup declares the flags on fs and returns the action, which receives the positional
	// arguments after flag parsing. help calls setup only to print the flags.
	setup func(fs *flag.FlagSet) action
}

type action func(e *env, args []string) int

// env is what an action may touch: its output streams.
type env struct {
	stdout, stderr io.Writer
	name           string // "fpvmdiff vm run", for messages
}

// errorf prints a one-line error and returns the usage exit code.
func (e *env) errorf(format string, args ...any) int {
	fmt.Fprintf(e.stderr, "%s: %s\n", e.name, fmt.Sprintf(format, args...))
	return exitUsage
}

var commands = []*command{
	vmRunCommand,
	vmBenchCommand,
}

// Main is the whole CLI: it runs the command args names and returns the process's exit
// status. cmd/fpvmdiff and oracles/cannon's fpvmdiff-cannon are thin mains around it.
func Main(args []string, stdout, stderr io.Writer) int { return run(args, stdout, stderr) }

// run is the whole CLI behind Main, callable from tests.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printOverview(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return runHelp(args[1:], stdout, stderr)
	}
	cmd, rest := lookup(args)
	if cmd == nil {
		if group := matchingGroup(args); group != "" {
			fmt.Fprintf(stderr, "fpvmdiff %s: missing or unknown subcommand (see 'fpvmdiff help %s')\n", group, group)
			return exitUsage
		}
		fmt.Fprintf(stderr, "fpvmdiff: unknown command %q (see 'fpvmdiff help')\n", args[0])
		return exitUsage
	}
	return cmd.execute(rest, stdout, stderr)
}

// lookup finds the command whose path is the longest prefix of args.
func lookup(args []string) (*command, []string) {
	var best *command
	bestLen := 0
	for _, c := range commands {
		words := strings.Fields(c.path)
		if len(words) > len(args) || len(words) <= bestLen {
			continue
		}
		if equalWords(words, args[:len(words)]) {
			best, bestLen = c, len(words)
		}
	}
	if best == nil {
		return nil, nil
	}
	return best, args[bestLen:]
}

// matchingGroup returns args[0] when it names a group of commands such as "vm".
func matchingGroup(args []string) string {
	for _, c := range commands {
		if words := strings.Fields(c.path); len(words) > 1 && words[0] == args[0] {
			return args[0]
		}
	}
	return ""
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (c *command) execute(args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, name: "fpvmdiff " + c.path}
	fs := c.flagSet()
	act := c.setup(fs)
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.printHelp(stdout)
		return exitOK
	}
	if err != nil {
		return e.errorf("%v (see 'fpvmdiff help %s')", flagError(err), c.path)
	}
	if len(pos) < c.minArgs || len(pos) > c.maxArgs {
		return e.errorf("want %s, got %d argument(s) (see 'fpvmdiff help %s')", c.argsPhrase(), len(pos), c.path)
	}
	return act(e, pos)
}

func (c *command) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("fpvmdiff "+c.path, flag.ContinueOnError)
	// The flag package's own messages are multi-line; ours are one line.
	fs.SetOutput(io.Discard)
	return fs
}

func (c *command) argsPhrase() string {
	if c.args == "" {
		return "no arguments"
	}
	return c.args
}

// parseInterspersed parses flags that may come before, between or after positional
// arguments ("vm run prog.elf --max-steps 5"). After "--" everything is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// The flag package words its errors with single-dash flags ("flag provided but not defined:
// -x"); ours name flags as the help and the README do, with two dashes.
var (
	errUndefined = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	errNoValue   = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	errBadValue  = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-+([^:]*): (.*)$`)
)

// flagError rewrites an error of flag.FlagSet.Parse in --flag style.
func flagError(err error) error {
	msg := err.Error()
	if m := errUndefined.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("unknown flag --%s", m[1])
	}
	if m := errNoValue.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("--%s needs a value", m[1])
	}
	if m := errBadValue.FindStringSubmatch(msg); m != nil {
		why := m[3]
		if why == "parse error" || strings.HasPrefix(why, "strconv.") {
			why = "not a valid value"
		}
		return fmt.Errorf("--%s %s: %s", m[2], m[1], why)
	}
	return err
}
