// Package fuzz holds the Go native fuzz targets of fpvmdiff and their committed seed corpora
// (testdata/fuzz/<FuzzName>/).
//
// Differential targets build a pre-state from the fuzz input, step it with the Go VM (with a
// witness) and run the same witness through the step contract in an in-memory EVM: a Go
// fault must meet a revert, otherwise the 188-byte post-states must be equal.
//
//   - FuzzInstruction: one random instruction word in a random state.
//   - FuzzSyscall: every syscall number of docs/spec.md §7 "Syscalls" (and raw
//     numbers) with random arguments and memory.
//   - FuzzThreads: sequences of clone, exit, futex, yield and forced preemption, every step checked.
//   - FuzzPreimage: fd-5 reads and fd-6 key writes at every alignment, count and offset.
//   - FuzzCalldata: a valid witness with corrupted calldata.
//   - FuzzWitnessReplay: vm.ReplayWitness on random bytes, against the EVM where both can
//     represent the input.
//
// Parser targets (no panic, no hang, a result or an error): FuzzLoadELF (vm.Load, then a few
// steps of whatever loads; vm.FuzzLoad covers the loader's error types) and FuzzPreimageJSON
// (vm.ParsePreimages). evmharness.FuzzBundle covers the divergence bundle decoder.
//
// Every target creates its EVM session once per process (see session), not per input.
// fuzz.mk runs them: make fuzz FUZZTIME=30s, and make fuzz-smoke (a few seconds each).
//
// Inputs that once exposed a divergence stay in the seed corpus as regression cases, e.g.
// FuzzWitnessReplay/replay-forced-preemption and replay-clock-slot2-same-leaf (both fixed in
// vm.ReplayWitness). Nothing is skipped: every disagreement fails.
package fuzz
