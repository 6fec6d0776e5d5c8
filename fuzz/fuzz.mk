# Go native fuzzing (fuzz/ and the targets that live beside their code). Included by the
# root Makefile with:  -include fuzz/fuzz.mk
#
#   make fuzz FUZZTIME=30s   every target for FUZZTIME, one after the other
#   make fuzz-smoke          every target for FUZZ_SMOKE_TIME; fails when a target matched no
#                            fuzz function or executed no input (part of make test through
#                            FUZZ_TEST_TARGETS)
#
# `go test -fuzz` fuzzes one target of one package per run, and only warns ("no fuzz tests to
# fuzz", exit status 0) when the pattern matches nothing, so fuzz-smoke reads the count from
# the engine's last "fuzz: elapsed: …, execs: N (…/sec)" line and requires N > 0.

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
	@for pt in $(FUZZ_TARGETS); do \
		pkg=$${pt%%:*}; tgt=$${pt##*:}; \
		echo "fuzz: $$tgt ($$pkg) for $(FUZZTIME)"; \
		$(GO) test "$$pkg" -run '^$$' -fuzz "^$$tgt\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZ_MINIMIZE) -parallel $(FUZZ_PARALLEL) || exit 1; \
	done

fuzz-smoke:
	@for pt in $(FUZZ_TARGETS); do \
		pkg=$${pt%%:*}; tgt=$${pt##*:}; \
		if ! out=$$($(GO) test "$$pkg" -run '^$$' -fuzz "^$$tgt\$$" -fuzztime $(FUZZ_SMOKE_TIME) -fuzzminimizetime $(FUZZ_SMOKE_MINIMIZE) -parallel $(FUZZ_PARALLEL) 2>&1); then \
			printf '%s\n' "$$out"; echo "fuzz-smoke: $$tgt ($$pkg) FAILED"; exit 1; \
		fi; \
		line=$$(printf '%s\n' "$$out" | sed -n 's/^fuzz: elapsed: \(.*execs: [0-9]*.*\)$$/\1/p' | tail -n 1); \
		execs=$$(printf '%s\n' "$$line" | sed -n 's/.*execs: \([0-9]*\).*/\1/p'); \
		if [ -z "$$execs" ] || [ "$$execs" -eq 0 ]; then \
			printf '%s\n' "$$out"; echo "fuzz-smoke: $$tgt ($$pkg) matched no fuzz function or executed no input"; exit 1; \
		fi; \
		echo "fuzz-smoke: $$tgt ($$pkg) ok: $$line"; \
	done
