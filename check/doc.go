// Package check is the differential check: it drives a Go MT-Cannon VM (ours or another,
// through the VM interface), sends the witnesses of the steps it chooses to EVM workers that
// run the step contract (evmharness), and reports, bundles, replays and merges the outcome.
package check
