# contracts/contracts.mk — Solidity step contract: build, artifact export, checks, tests.
# Included by the root Makefile (`-include contracts/contracts.mk`); run from the repo root.
#
#   make contracts        npm ci (when needed), compile contracts/src, export contracts/artifacts/
#   make contracts-check  fresh compile into a temp dir; fail if contracts/artifacts/ differs
#   make contracts-test   forge test (contracts/test)
#   make contracts-gas    forge test with a gas report
#
# The toolchain is pinned in package.json/package-lock.json (forge and solc-js from npm);
# nothing is downloaded from anywhere but the npm registry.

# Keep the including Makefile's default goal: the stamp rule below must not become it.
_contracts_default_goal := $(.DEFAULT_GOAL)

CONTRACTS_FORGE     := node_modules/.bin/forge
CONTRACTS_NAMES     ?= MIPS64 PreimageOracle
CONTRACTS_ARTIFACTS := contracts/artifacts
CONTRACTS_STAMP     := node_modules/.package-lock.json
CONTRACTS_TEST_TARGETS := contracts-check contracts-test

.PHONY: contracts contracts-deps contracts-check contracts-test contracts-gas contracts-clean

# npm ci rewrites node_modules/.package-lock.json, so it is newer than package-lock.json
# afterwards; re-run it whenever the lock file changes or node_modules is missing.
$(CONTRACTS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

contracts-deps: $(CONTRACTS_STAMP)

# Compiles only contracts/src (never the tests), in a fresh temp dir so the exported
# source ids and build-info do not depend on an incremental cache.
define contracts_export
	set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(CONTRACTS_FORGE) build contracts/src --out "$$tmp/out" --cache-path "$$tmp/cache" >/dev/null; \
	node contracts/export-artifacts.js "$$tmp/out" $(1) $(CONTRACTS_NAMES)
endef

contracts: contracts-deps
	@$(call contracts_export,$(CONTRACTS_ARTIFACTS))
	@# evmharness embeds a copy (go:embed cannot reach outside its package).
	$(or $(GO),go) generate ./evmharness
	@echo "contracts: exported $(CONTRACTS_NAMES) to $(CONTRACTS_ARTIFACTS)/"

contracts-check: contracts-deps
	@set -e; chk=$$(mktemp -d); trap 'rm -rf "$$chk"' EXIT; \
	( $(call contracts_export,"$$chk") ); \
	if diff -r "$$chk" $(CONTRACTS_ARTIFACTS) >/dev/null; then \
		echo "contracts-check: $(CONTRACTS_ARTIFACTS)/ matches a fresh build"; \
	else \
		echo "contracts-check: $(CONTRACTS_ARTIFACTS)/ is stale; run 'make contracts' and commit it" >&2; \
		diff -r -q "$$chk" $(CONTRACTS_ARTIFACTS) >&2 || true; exit 1; \
	fi

contracts-test: contracts-deps
	$(CONTRACTS_FORGE) test

contracts-gas: contracts-deps
	$(CONTRACTS_FORGE) test --gas-report

contracts-clean:
	rm -rf contracts/out contracts/cache

.DEFAULT_GOAL := $(_contracts_default_goal)
