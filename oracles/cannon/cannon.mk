# oracles/cannon/cannon.mk — the production Cannon VM as a third implementation. Included by
# the root Makefile (`-include oracles/cannon/cannon.mk`); run from the repo root.
#
#   make cannon        build bin/fpvmdiff-cannon: fpvmdiff plus the production VM ("cannon")
#   make cannon-test   the checks `make test` runs (CANNON_TEST_TARGETS): go vet and the tests
#                      of the nested module oracles/cannon (lockstep over every guest, and over
#                      the op-program run when `make op-program` has built it; witnesses;
#                      `run --vm cannon` over every step of hello; the CLI commands)
#
# oracles/cannon is a nested Go module pinned to github.com/ethereum-optimism/optimism (see its
# go.mod), so the root module's `./...` never builds it and its go.mod stays free of that graph.

_cannon_default_goal := $(.DEFAULT_GOAL)

CANNON_DIR          := oracles/cannon
CANNON_BIN          := bin/fpvmdiff-cannon
CANNON_TEST_TARGETS := cannon-test

.PHONY: cannon cannon-vet cannon-test

cannon:
	cd $(CANNON_DIR) && $(or $(GO),go) build -o $(CURDIR)/$(CANNON_BIN) ./cmd/fpvmdiff-cannon

cannon-vet:
	cd $(CANNON_DIR) && $(or $(GO),go) vet ./...

# The op-program case runs when its ELF exists (OP_PROGRAM_ELF, from op-program's make file,
# or the test's own look into .cache/op-program/); it is the only test allowed to skip.
cannon-test: cannon-vet cannon
	cd $(CANNON_DIR) && \
	$(if $(and $(OP_PROGRAM_ELF),$(wildcard $(OP_PROGRAM_ELF))),OP_PROGRAM_ELF=$(abspath $(OP_PROGRAM_ELF)) OP_PROGRAM_PRE=$(abspath $(OP_PROGRAM_PRE))) \
	$(or $(GO),go) test -count=1 -timeout 30m ./...

.DEFAULT_GOAL := $(_cannon_default_goal)
