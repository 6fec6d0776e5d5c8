// Package evmharness checks the Go MT-Cannon VM against a Solidity step contract, one step
// at a time, in an in-memory go-ethereum EVM.
//
// Where things are:
//   - session.go: the EVM (Osaka rules, so the KZG precompile is there), one sender and one
//     local context for every call, the oracle and step contract deployed from artifacts
//     (embed.go: ours are built into the binary; artifact.go: --contract files).
//   - step.go: one checked step, the comparison of the two implementations.
//   - preimage_load.go: the oracle call that makes a step's pre-image part readable.
//   - revert.go, sourcemap.go: why the contract reverted, and on which Solidity line.
//   - run.go: the diff loop (Go producer, EVM workers, sampling by classify.go's classes).
//   - bundle.go, diff.go, disasm.go, repro.go, report.go: what a divergence looks like, and
//     its replay from the bundle alone.
package evmharness
