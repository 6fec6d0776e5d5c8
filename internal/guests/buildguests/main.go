// Command buildguests cross-compiles guest programs (all of testdata/programs when no name
// is given) with internal/guests, so `make guests` and the tests build them the same way.
package main

import (
	"fmt"
	"os"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

func main() {
	names := os.Args[1:]
	if len(names) == 0 {
		all, err := guests.List()
		if err != nil {
			fmt.Fprintf(os.Stderr, "buildguests: %v\n", err)
			os.Exit(1)
		}
		names = all
	}
	for _, name := range names {
		path, err := guests.Build(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "buildguests: %v\n", err)
			os.Exit(1)
		}
		fmt.Println(path)
	}
}
