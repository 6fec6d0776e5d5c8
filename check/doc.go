// Package check is the differential check: it drives a Go MT-Cannon VM (ours or another,
// through the VM interface), sends the witnesses of the steps it chooses to EVM workers that
// run the step contract (package evmharness), and reports, bundles, replays and merges the
// outcome.
//
// Where things are:
//   - vm.go, ourvm.go: the VM interface, and our VM (vm/) behind it.
//   - step.go: one checked step, the comparison of the two implementations.
//   - run.go: the diff loop (Go producer, EVM workers, sampling by classify.go's classes).
//   - bundle.go, diff.go, repro.go, report.go: what a divergence looks like, and its replay
//     from the bundle alone.
//   - merge.go, gas.go: joining the summaries of shards; exact gas percentiles.
//   - bench.go: the figures `fpvmdiff bench` reports.
package check
