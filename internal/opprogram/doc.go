// Package opprogram holds the checks of the OP Stack fault-proof program (the op-program
// client, built by `make op-program` from testdata/op-program/) as a guest of fpvmdiff. Its
// tests drive the built CLI, bin/fpvmdiff, as a user would: `make op-program-test` (part of
// `make test`) builds the client and the CLI and points the tests at them through
// OP_PROGRAM_ELF and FPVMDIFF_BIN. A plain `go test ./...` skips them: building the client
// takes minutes on a cold machine, and the make target is what CI runs.
package opprogram
