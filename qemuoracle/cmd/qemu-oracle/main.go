// Command qemu-oracle compares single MIPS64 instructions on the Go VM against QEMU's
// MIPS64 user-mode emulator (package qemuoracle) and prints per-class counts, what each
// documented deviation did, and every mismatch. Exit codes: 0 agree, 1 mismatch, 2 usage
// or set-up error.
//
//	go run ./qemuoracle/cmd/qemu-oracle -n 200000 -seed 7
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/qemuoracle"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qemu-oracle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100_000, "cases to compare (skipped cases not counted)")
	seed := fs.Uint64("seed", 1, "generator seed")
	classes := fs.String("class", "", "comma-separated classes to run (default all: "+classList()+")")
	keep := fs.Int("show", 20, "print at most this many mismatches in full")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *n < 1 || *keep < 1 {
		fmt.Fprintln(stderr, "qemu-oracle: usage: qemu-oracle [-n N] [-seed S] [-class a,b] [-show K]")
		return 2
	}
	cfg := qemuoracle.Config{N: *n, Seed: *seed, KeepMismatches: *keep}
	if *classes != "" {
		for _, c := range strings.Split(*classes, ",") {
			cfg.Classes = append(cfg.Classes, qemuoracle.Class(strings.TrimSpace(c)))
		}
	}
	rep, err := qemuoracle.Run(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "qemu-oracle: %v\n", err)
		return 2
	}
	rep.Print(stdout)
	if rep.Mismatched > 0 {
		return 1
	}
	return 0
}

func classList() string {
	var s []string
	for _, c := range qemuoracle.Classes {
		s = append(s, string(c))
	}
	return strings.Join(s, ",")
}
