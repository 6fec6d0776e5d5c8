# mutate/mutate.mk — mutation testing of the differential suite (issue 7). Included by the
# root Makefile with:  -include mutate/mutate.mk
#
#   make mutate                      every mutant of mutate/catalogue.go, 2 at a time; writes
#                                    docs/mutants.md (rewritten after each mutant, marked
#                                    partial until the run completes)
#   make mutate MUTATE_ARGS='-run sol-'   a subset (-side go|sol, -unit-sol, -v, -list ...)
#
# Every mutant runs in its own temporary copy of the working tree; the sources here are never
# modified. Not part of `make test` (it takes about 20 minutes); `go test ./mutate/...`, which
# make test does run, only checks that every catalogue snippet still matches its source.

GO          ?= go
MUTATE_JOBS ?= 2
MUTATE_ARGS ?=

.PHONY: mutate

mutate: guests
	$(GO) run ./mutate/cmd/mutate -jobs $(MUTATE_JOBS) $(MUTATE_ARGS)
