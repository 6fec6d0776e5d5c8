// Command gen writes the generated part of the vector corpus (testdata/vectors/gen-*.json)
// from the hand-written tables of package corpus. Run from the repository root.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/fpvmdiff/fpvmdiff/vectors/internal/corpus"
)

func main() {
	dir := "testdata/vectors"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	for name, bs := range corpus.Groups() {
		data, err := corpus.Render(bs)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		path := filepath.Join(dir, "gen-"+name+".json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
