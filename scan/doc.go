// Package scan lists what in a MIPS64 guest ELF the MT-Cannon spec does not support:
// instructions it rejects (the step fails) or executes differently from MIPS64, and syscalls
// with a constant number it does not implement. It decodes the executable code with package
// mips64's tables (written from docs/spec.md §5 "Instructions" and §7 "Syscalls", independent
// of the VM's), attributes every finding to its enclosing symbol, and lets a user accept
// audited findings with an allowlist of (symbol, finding) pairs. docs/scan.md has the rules.
package scan
