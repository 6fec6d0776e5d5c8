//go:debug decoratemappings=0

// hello is the smallest guest: one line on stdout, one on stderr, exit 0.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello from stdout")
	fmt.Fprintln(os.Stderr, "hello from stderr")
}
