// Guest programs, cross-compiled for the VM with
// GOOS=linux GOARCH=mips64 GOMIPS64=softfloat (see internal/guests and the Makefile).
// A module of their own keeps them out of the root module's ./... and its dependencies.
module github.com/fpvmdiff/fpvmdiff/testdata/programs

go 1.26.0
