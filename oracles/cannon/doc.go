// Package cannon adapts the production Cannon VM (the multithreaded 64-bit VM of the Optimism
// monorepo, cannon/mipsevm/multithreaded, pinned in go.mod) to check.VM, so that it can run
// beside our VM in lockstep, produce the witnesses the step contract checks, and give a
// third opinion on a divergence.
//
// It is a nested module: the main module must never depend on the optimism module graph.
// The production VM is an oracle here, never a source for vm/ or contracts/.
package cannon
