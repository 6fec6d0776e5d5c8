# testdata/op-program/op-program.mk — the OP Stack fault-proof program (op-program client) as
# a guest. Included by the root Makefile (`-include testdata/op-program/op-program.mk`); run
# from the repo root.
#
#   make op-program        build the client ELF for 64-bit Cannon (once per machine, cached in
#                          .cache/op-program/, checked against testdata/op-program/client.sha256)
#   make op-program-test   the checks `make test` runs (OP_PROGRAM_TEST_TARGETS): whole runs on
#                          the Go VM (claim verified: exit 0; wrong claim: exit 1; a missing
#                          pre-image: a clear fault), a sampled check of the whole trace, every
#                          step of a window with pre-image reads, and the scan
#   make demo-op-program   build if needed, run on the Go VM, then a sampled check
#
# The module and its dependencies come from the Go module proxy into the module cache; a
# cold machine downloads them once (see testdata/op-program/README.md).

_op_program_default_goal := $(.DEFAULT_GOAL)

OP_PROGRAM_DIR  := testdata/op-program
OP_PROGRAM_ELF  := .cache/op-program/op-program-client-$(shell sed -n 's/^version //p' $(OP_PROGRAM_DIR)/client.sha256).elf
OP_PROGRAM_PRE  := $(OP_PROGRAM_DIR)/pre.json
OP_PROGRAM_TEST_TARGETS := op-program-test

.PHONY: op-program op-program-test demo-op-program

# build.sh verifies a cached ELF's hash (a fraction of a second) and rebuilds it otherwise.
op-program:
	@GO=$(or $(GO),go) $(OP_PROGRAM_DIR)/build.sh >/dev/null
	@echo "op-program: $(OP_PROGRAM_ELF)"

# The checks drive bin/fpvmdiff, as a user would (internal/opprogram). About 4 minutes on two
# cores; the timeout leaves room for a machine shared with other jobs.
op-program-test: op-program build
	OP_PROGRAM_ELF=$(OP_PROGRAM_ELF) FPVMDIFF_BIN=$(BIN) $(or $(GO),go) test -count=1 -timeout 60m -v ./internal/opprogram

demo-op-program: op-program build
	$(BIN) vm run $(OP_PROGRAM_ELF) --preimages $(OP_PROGRAM_PRE) --info-every 100M
	$(BIN) run $(OP_PROGRAM_ELF) --preimages $(OP_PROGRAM_PRE) --check sample --sample-every 10M

.DEFAULT_GOAL := $(_op_program_default_goal)
