package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

const overview = `fpvmdiff checks two implementations of the MT-Cannon (MIPS64) fault-proof VM against
each other: the Go VM in this repository and the Solidity step contract.

Usage:
  fpvmdiff <command> [arguments] [flags]

Commands:
`

func printOverview(w io.Writer) {
	fmt.Fprint(w, overview)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.path, c.summary)
	}
	fmt.Fprint(w, "\nRun 'fpvmdiff help <command>' for a command's arguments and flags.\n")
	fmt.Fprint(w, exitCodesText)
}

const exitCodesText = `
Exit code 2 always means bad flags or input files; 'fpvmdiff help <command>' lists the
other exit codes of each command.
`

func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printOverview(stdout)
		return exitOK
	}
	cmd, rest := lookup(args)
	if cmd == nil && len(args) == 1 && matchingGroup(args) != "" {
		fmt.Fprintf(stdout, "Commands of fpvmdiff %s:\n", args[0])
		for _, c := range commands {
			if strings.HasPrefix(c.path, args[0]+" ") {
				fmt.Fprintf(stdout, "  %-12s %s\n", c.path, c.summary)
			}
		}
		return exitOK
	}
	if cmd == nil || len(rest) > 0 {
		fmt.Fprintf(stderr, "fpvmdiff help: unknown command %q (see 'fpvmdiff help')\n", strings.Join(args, " "))
		return exitUsage
	}
	cmd.printHelp(stdout)
	return exitOK
}

func (c *command) printHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage: fpvmdiff %s %s [flags]\n\n%s\n", c.path, c.args, c.summary)
	if c.details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.details))
	}
	fs := c.flagSet()
	c.setup(fs)
	printFlags(w, fs)
}

// printFlags lists a command's flags as the README writes them: "--name PLACEHOLDER", the
// usage below it, then the default when it is not the zero value. The placeholder is the
// `quoted` word of the usage text; a flag without one is a bug a test catches.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprint(w, "\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flagPlaceholder(f)
		line := "  --" + f.Name
		if placeholder != "" {
			line += " " + placeholder
		}
		fmt.Fprintln(w, line)
		if def := f.DefValue; def != "" && def != "0" && def != "false" && placeholder != "" {
			usage += " (default " + def + ")"
		}
		fmt.Fprintf(w, "        %s\n", usage)
	})
}

// flagPlaceholder is the value placeholder of f ("" for a boolean switch) and its usage text
// with the placeholder's quotes removed.
func flagPlaceholder(f *flag.Flag) (placeholder, usage string) {
	name, usage := flag.UnquoteUsage(f)
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return "", usage
	}
	return name, usage
}
