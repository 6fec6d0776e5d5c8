// Command fpvmdiff runs guest programs on the Go MT-Cannon VM and (as the harness grows)
// checks the Go VM against the Solidity step contract. `fpvmdiff help` lists the commands.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
