# Go native fuzzing (fuzz/ and the targets that live beside their code). Included by the
# root Makefile with:  -include fuzz/fuzz.mk
#
#   make fuzz FUZZTIME=30s   every target for FUZZTIME, one after the other
#   make fuzz-smoke          every target for FUZZ_SMOKE_TIME; fails when a target matched no
#                            fuzz function or executed no input (part of make test through
#                            FUZZ_TEST_TARGETS)
#
# `go test -fuzz` fuzzes one target of one package per run; fuzz/run.sh runs them in turn,
# requires fuzz-smoke's targets to execute inputs, and re-runs a target that Go 1.26's
# coordinator failed with a bare "context deadline exceeded" at the -fuzztime boundary
# (golang/go#75804; no input failed). Its header says how it tells that from a finding.

GO              ?= go
FUZZTIME        ?= 30s
FUZZ_SMOKE_TIME ?= 3s
# One worker: the machine's cores are shared, and the EVM targets are CPU-bound.
FUZZ_PARALLEL   ?= 1
# The engine minimizes every input that adds coverage, for up to 60 s by default, and counts
# no execs meanwhile; a witness input is ~6 KB, so minimizing one takes thousands of EVM
# steps. Short runs would spend all their time there.
FUZZ_MINIMIZE   ?= 2s
FUZZ_SMOKE_MINIMIZE ?= 200ms

# package:target
FUZZ_TARGETS := \
	./fuzz:FuzzInstruction ./fuzz:FuzzSyscall ./fuzz:FuzzThreads ./fuzz:FuzzPreimage \
	./fuzz:FuzzCalldata ./fuzz:FuzzWitnessReplay ./fuzz:FuzzLoadELF ./fuzz:FuzzPreimageJSON \
	./vm:FuzzLoad ./vm/internal/keccak:FuzzSum256 ./check:FuzzBundle ./internal/cli:FuzzRange \
	./vectors:FuzzVectorFile ./fuzz:FuzzTamper

FUZZ_TEST_TARGETS := fuzz-smoke

.PHONY: fuzz fuzz-smoke

fuzz:
	@GO="$(GO)" bash fuzz/run.sh $(FUZZTIME) $(FUZZ_MINIMIZE) $(FUZZ_PARALLEL) $(FUZZ_TARGETS)

fuzz-smoke:
	@GO="$(GO)" bash fuzz/run.sh --quiet --require-execs $(FUZZ_SMOKE_TIME) $(FUZZ_SMOKE_MINIMIZE) $(FUZZ_PARALLEL) $(FUZZ_TARGETS)
