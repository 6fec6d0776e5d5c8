# mutate/mutate.mk — mutation testing of the differential suite (issue 7). Included by the
# root Makefile with:  -include mutate/mutate.mk
#
#   make mutate                      every mutant of mutate/catalogue.go, 2 at a time; writes
#                                    docs/mutants.md (rewritten after each mutant, marked
#                                    partial until the run completes)
#   make mutate MUTATE_ARGS='-run sol-'   a subset (-side go|sol, -unit-sol, -v, -list ...)
#
# Every mutant runs in its own temporary copy of the working tree; the sources here are never
# modified. Not part of `make test`: on 2 vCPU (load 4-7) the 198 mutants took 27 min without
# the Go unit tests (-unit-go=false), and the 101 Go mutants alone 58 min with them.
# `go test ./mutate/...`, which make test does run, only checks that every catalogue snippet
# still matches its source.

GO          ?= go
MUTATE_JOBS ?= 2
MUTATE_ARGS ?=

.PHONY: mutate

mutate: guests
	$(GO) run ./mutate/cmd/mutate -jobs $(MUTATE_JOBS) $(MUTATE_ARGS)
