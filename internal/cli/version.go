package cli

import (
	"flag"
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/internal/buildinfo"
)

func init() { commands = append(commands, versionCommand) }

var versionCommand = &command{
	path:    "version",
	summary: "print the tool version, the Go version, the state version and the built-in contracts' code hashes",
	details: `
Prints what every report and bundle records as its identity: the tool version (set by
'make build' from 'git describe', else what the Go toolchain stamped into the binary), the
Go toolchain, the MT-Cannon state version implemented (8), and the keccak256 of the runtime
code of the built-in step contract and oracle as deployed in the harness's EVM.`,
	setup: func(fs *flag.FlagSet) action {
		return func(e *env, _ []string) int {
			fmt.Fprintf(e.stdout, "fpvmdiff %s\n", buildinfo.ToolVersion())
			fmt.Fprintf(e.stdout, "go                       %s\n", buildinfo.GoVersion())
			fmt.Fprintf(e.stdout, "state version            %d\n", evmharness.StateVersion)
			s, err := evmharness.NewBuiltinSession()
			if err != nil {
				return e.errorf("deploying the built-in contracts: %v", err)
			}
			id := check.NewIdentity(nil, s)
			fmt.Fprintf(e.stdout, "step contract code hash  %s (built in)\n", id.StepCodeHash)
			fmt.Fprintf(e.stdout, "oracle code hash         %s (built in)\n", id.OracleCodeHash)
			return exitOK
		}
	},
}
