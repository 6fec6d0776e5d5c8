# QEMU single-instruction oracle (qemuoracle, docs/qemu-deviations.md). Included by the
# root Makefile with `-include qemuoracle/qemu.mk`; uses its GO variable and deps target.
#   make qemu-oracle N=1000000 SEED=7 [CLASS=alu,mem]

.PHONY: qemu-oracle

# Target-specific defaults, so that N, SEED and CLASS mean nothing to other targets.
qemu-oracle: N ?= 200000
qemu-oracle: SEED ?= 1
qemu-oracle: CLASS ?=
qemu-oracle: deps
	$(GO) run ./qemuoracle/cmd/qemu-oracle -n $(N) -seed $(SEED) $(if $(CLASS),-class $(CLASS))
