# fpvmdiff — `make demo` and `make test` do all set-up on a fresh machine (Go 1.26 and
# node 20 present, apt reachable). `make help` lists the targets.

SHELL        := bash
.SHELLFLAGS  := -e -o pipefail -c
.DEFAULT_GOAL := build

GO     ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
BIN    := bin/fpvmdiff
# The tool version every report and bundle records (`fpvmdiff version`): the git description
# of the tree, "-dirty" when it has uncommitted changes.
VERSION ?= $(shell git describe --always --dirty --tags 2>/dev/null || echo devel)
LDFLAGS := -X github.com/fpvmdiff/fpvmdiff/internal/buildinfo.Version=$(VERSION)
ELFDIR := testdata/programs/bin
# apt needs root; use sudo only when we are not root already.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Every Go file of ours (node_modules and contracts' vendored libraries are not ours).
FIND_GO := find . \( -path ./node_modules -o -path ./.git -o -path ./contracts/lib -o -path ./.tmp -o -path ./.cache \) \
           -prune -o -name '*.go' -print0

# The Solidity side brings its own targets; it sets CONTRACTS_TEST_TARGETS
# (contracts-check contracts-test), which `make test` then runs. Absent file, empty list.
-include contracts/contracts.mk
# The QEMU single-instruction oracle: make qemu-oracle N=... SEED=... [CLASS=alu,mem].
-include qemuoracle/qemu.mk
# Go fuzz targets: make fuzz FUZZTIME=30s; make test runs fuzz-smoke (FUZZ_TEST_TARGETS).
-include fuzz/fuzz.mk
# Mutation testing of both implementations against the differential suite (not in make test).
-include mutate/mutate.mk
# Engine files: workflow lint, Kubernetes manifest validation, Slurm, the shard image's stage.
-include deploy/deploy.mk
# The op-program client as a guest: make op-program, demo-op-program; make test runs
# op-program-test (OP_PROGRAM_TEST_TARGETS).
-include testdata/op-program/op-program.mk
# The production Cannon VM (nested module oracles/cannon): make cannon builds bin/fpvmdiff-cannon.
-include oracles/cannon/cannon.mk

.PHONY: help deps test-deps build guests test vet fmt fmt-check go-test demo bench bench-go race clean

help:
	@echo "make deps      install qemu-user, MIPS64 binutils, slurm-wlm, shellcheck (apt) and node packages (npm ci) when missing"
	@echo "make build     build $(BIN)"
	@echo "make guests    cross-compile the guest programs into $(ELFDIR)/"
	@echo "make test      deps, guests, go vet, gofmt check, contract checks/tests, go test ./..."
	@echo "make demo      run the multithreaded guest on the Go VM, then check sampled steps against the contract"
	@echo "make bench     VM steps/s, witness us/step, EVM verification, end-to-end checked steps/s, gas, peak RSS (.tmp/bench*.json)"
	@echo "make qemu-oracle N=... SEED=... [CLASS=alu,mem]  compare single instructions with QEMU"
	@echo "make fuzz FUZZTIME=30s  run every Go fuzz target (make test runs each for a few seconds)"
	@echo "make op-program  build the op-program client ELF (pinned, cached); make demo-op-program runs and checks it"
	@echo "make mutate    apply the mutant catalogue to the Go VM and the contract, report kill rates (docs/mutants.md)"
	@echo "make race      go test -race over the harness packages"
	@echo "make fmt       gofmt -w every Go file"
	@echo "make stage STAGE=DIR [WITH_OP_PROGRAM=1]  lay out what a shard needs (binary, entry script, guests)"
	@echo "make lint-workflows / lint-shell / validate-k8s  check .github/workflows, deploy's scripts, deploy/k8s (part of make test)"
	@echo "make clean     remove build outputs"

deps: $(if $(DEPLOY_TEST_TARGETS),deps-deploy)
	@if ! command -v qemu-mips64 >/dev/null || ! command -v mips64-linux-gnuabi64-objdump >/dev/null; then \
		echo "deps: installing qemu-user and binutils-mips64-linux-gnuabi64"; \
		$(SUDO) apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y qemu-user binutils-mips64-linux-gnuabi64; \
	fi
	@if [ -f package-lock.json ] && [ ! -d node_modules ]; then \
		echo "deps: npm ci"; npm ci --no-audit --no-fund; \
	fi

# Only the tests need a browser: the HTML report is rendered in headless Chromium
# (check/report_html_test.go). `make demo` does not install it.
test-deps:
	@if ! command -v chromium >/dev/null; then \
		echo "test-deps: installing chromium"; \
		$(SUDO) apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/fpvmdiff

# internal/guests rebuilds an ELF only when its sources are newer.
guests:
	$(GO) run ./internal/guests/buildguests

vet:
	$(GO) vet ./...

fmt:
	$(FIND_GO) | xargs -0 gofmt -w

fmt-check:
	@bad="$$($(FIND_GO) | xargs -0 gofmt -l)"; \
	if [ -n "$$bad" ]; then echo "gofmt needed (run 'make fmt'):"; echo "$$bad"; exit 1; fi

go-test:
	$(GO) test -timeout 30m ./...

# Order matters without -j: cheap checks first, the long Go tests last.
test: deps test-deps guests vet fmt-check $(DEPLOY_TEST_TARGETS) $(CONTRACTS_TEST_TARGETS) $(FUZZ_TEST_TARGETS) $(OP_PROGRAM_TEST_TARGETS) $(CANNON_TEST_TARGETS)
	@FPVMDIFF_REQUIRE_SLURM=1 $(MAKE) --no-print-directory go-test

# The Go VM alone on the multithreaded guest, then the differential check (Go VM against the
# step contract in an EVM) on sampled steps of two guests. It needs Go only: the guests are
# cross-compiled by Go and the contracts are embedded, so nothing is installed.
demo: build guests
	$(BIN) vm run $(ELFDIR)/mt.elf --info-every 20M
	$(BIN) run $(ELFDIR)/hello.elf --check sample --guest-output
	$(BIN) run $(ELFDIR)/mt.elf --check sample --window 0:200k --sample-every 10M

bench: build guests
	@mkdir -p .tmp
	$(BIN) vm bench $(ELFDIR)/mt.elf --json .tmp/bench.json
	$(BIN) bench --hello $(ELFDIR)/hello.elf --mt $(ELFDIR)/mt.elf --json .tmp/bench-pipeline.json
	@echo "results: .tmp/bench.json .tmp/bench-pipeline.json"

# The race detector over the harness packages (-short: programs capped at 20k steps); ~10 min.
race:
	$(GO) test -race -short -count=1 ./evmharness ./check ./internal/cli ./vectors

# The same figures as Go benchmarks (ns/op is ns per VM step).
bench-go: guests
	$(GO) test ./vm -run '^$$' -bench 'ProgramMT' -benchtime 2s

clean:
	rm -rf bin $(ELFDIR) .tmp
