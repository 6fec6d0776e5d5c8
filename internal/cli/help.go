package cli

import (
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
	fmt.Fprint(w, "\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
}
