# Engine files (deploy/, .github/workflows/): their checks and the staging of what a shard
# needs. Included by the root Makefile with:  -include deploy/deploy.mk
#
#   make stage STAGE=DIR [WITH_OP_PROGRAM=1]  lay out the shard image's files in DIR: the
#                        layout of /opt/fpvmdiff in deploy/Dockerfile and of the artifact
#                        the whole-trace workflow hands its shards
#   make lint-workflows  actionlint over .github/workflows (Go module, pinned below; it runs
#                        shellcheck on the workflows' run: scripts)
#   make lint-shell      shellcheck over deploy's scripts (entry command, Slurm files)
#   make validate-k8s    decode deploy/k8s strictly into k8s.io/api types (deploy/validate)
#   make deps-deploy     install Debian's slurm-wlm (the Slurm test) and shellcheck when missing
#
# DEPLOY_TEST_TARGETS are run by `make test`; the Slurm test itself is a Go test of
# ./deploy, run by `go test ./...` (FPVMDIFF_REQUIRE_SLURM=1 turns its skip into a failure).

GO               ?= go
ACTIONLINT       := github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
STAGE            ?= .tmp/stage
# Where `make op-program` leaves the client ELF (the op-program Makefile fragment sets it).
OP_PROGRAM_ELF   ?= .cache/op-program/op-program-client-v1.19.0.elf
OP_PROGRAM_DATA  ?= testdata/op-program

DEPLOY_TEST_TARGETS := lint-workflows lint-shell validate-k8s
SHELL_SCRIPTS       := deploy/entry.sh deploy/slurm/submit.sh deploy/slurm/shards.sbatch deploy/slurm/merge.sbatch

.PHONY: stage lint-workflows lint-shell validate-k8s deps-deploy

# shellcheck must be there: without it actionlint silently skips the run: scripts.
lint-workflows:
	@command -v shellcheck >/dev/null || { echo "lint-workflows: shellcheck is missing (make deps-deploy)"; exit 1; }
	$(GO) run $(ACTIONLINT) -no-color .github/workflows/*.yml

lint-shell:
	shellcheck -s sh $(SHELL_SCRIPTS)

validate-k8s:
	cd deploy/validate && $(GO) test -count=1 ./...

deps-deploy:
	@if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v shellcheck >/dev/null; then \
		echo "deps: installing slurm-wlm (the Slurm test runs a one-machine cluster) and shellcheck"; \
		$(SUDO) apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm shellcheck; \
	fi

# stage: bin/ (fpvmdiff and the entry command), guests/ (every guest ELF, op-program.elf
# with WITH_OP_PROGRAM=1), and the pre-image files beside their guests.
stage: build guests $(if $(WITH_OP_PROGRAM),op-program)
	rm -rf $(STAGE)
	mkdir -p $(STAGE)/bin $(STAGE)/guests
	cp $(BIN) $(STAGE)/bin/fpvmdiff
	cp deploy/entry.sh $(STAGE)/bin/fpvmdiff-entry
	cp $(ELFDIR)/*.elf $(STAGE)/guests/
	cp testdata/programs/preimage/preimages.json $(STAGE)/guests/preimage.preimages.json
	$(if $(WITH_OP_PROGRAM),cp $(OP_PROGRAM_ELF) $(STAGE)/guests/op-program.elf)
	$(if $(WITH_OP_PROGRAM),mkdir -p $(STAGE)/op-program && cp $(OP_PROGRAM_DATA)/*.json $(STAGE)/op-program/)
	@echo "staged in $(STAGE)"
