//go:debug decoratemappings=0

// exitcode prints a line and exits with a non-zero code, so that the exit path
// (exit_group with a code) is compared against qemu.
package main

import (
	"fmt"
	"os"
)

const code = 7

func main() {
	fmt.Printf("exitcode: leaving with %d\n", code)
	os.Exit(code)
}
