// Package mips64 holds the tooling's one table of MIPS64 encodings: decode (mnemonic, spec status, operand syntax), disassemble, assemble, field encoders and n64 syscall names.
//
// It is written from docs/spec.md §5 "Instructions" and §7 "Syscalls" and imports only the
// standard library. It shares nothing with the VM's execution tables in vm/, which keep their
// own reading: the tests here cross-check the two (which encodings and syscall numbers the VM
// executes or faults on), and cross-check this package with GNU objdump and as.
package mips64
