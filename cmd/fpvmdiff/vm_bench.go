package main

import "flag"

var vmBenchCommand = &command{
	path:    "vm bench",
	args:    "ELF",
	summary: "measure VM speed, witness cost and peak memory on a guest",
	minArgs: 1,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet) action {
		return func(e *env, args []string) int { return e.errorf("not implemented yet") }
	},
}
