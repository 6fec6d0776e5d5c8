// Command fpvmdiff-cannon is fpvmdiff with the production Cannon VM (optimism, pinned in
// oracles/cannon/go.mod) registered as the Go VM "cannon": `run --vm cannon` checks its
// witnesses against a step contract, `lockstep` runs it beside our VM, and `repro --elf`
// asks it for a third opinion. Everything else is the fpvmdiff CLI (internal/cli).
package main

import (
	"os"

	"github.com/fpvmdiff/fpvmdiff/internal/cli"
	"github.com/fpvmdiff/fpvmdiff/oracles/cannon"
)

func main() {
	cli.RegisterVM("cannon", cannon.Open)
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
