// Command fpvmdiff runs guest programs on the Go MT-Cannon VM and checks the Go VM against
// the Solidity step contract. `fpvmdiff help` lists the commands; the code is internal/cli.
package main

import (
	"os"

	"github.com/fpvmdiff/fpvmdiff/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
