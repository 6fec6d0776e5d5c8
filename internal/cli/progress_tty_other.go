//go:build !linux

package cli

// fdIsTerminal: outside Linux, progress is always printed as log lines.
func fdIsTerminal(uintptr) bool { return false }
