//go:build !linux

package main

// fdIsTerminal: outside Linux, progress is always printed as log lines.
func fdIsTerminal(uintptr) bool { return false }
