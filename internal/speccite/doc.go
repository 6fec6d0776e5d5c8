// Package speccite checks that every citation of docs/spec.md in the repository names a
// section that exists, with that section's title when a title is given, and that nothing
// cites the retired reference notes any more. It has no code outside its test: the check
// runs with `go test ./internal/speccite`.
package speccite
