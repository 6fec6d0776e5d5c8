// Package evmharness is an in-memory go-ethereum EVM with a step contract and its pre-image
// oracle deployed: it calls step on a witness, loads the pre-image part a step reads,
// decodes a revert and maps a contract program counter to its Solidity line. Whether the
// outcome agrees with a Go VM is decided elsewhere (package check).
//
// Where things are:
//   - session.go: the EVM (Osaka rules, so the KZG precompile is there), one sender and one
//     local context for every call, the oracle and step contract deployed from artifacts
//     (embed.go: ours are built into the binary; artifact.go: --contract files).
//   - step.go: one step call, and its traced re-run for reverts and divergences.
//   - preimage_load.go: the oracle call that makes a step's pre-image part readable.
//   - revert.go, sourcemap.go: why the contract reverted, and on which Solidity line.
package evmharness
