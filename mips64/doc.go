// Package mips64 holds the project's tooling reading of MIPS64 encodings: one decode table (mnemonic, MT-Cannon status, operand syntax), a disassembler and an assembler built on it, field encoders, and the n64 syscall names with their MT-Cannon status.
//
// It is written from MTCANNON-FACTS sections 1 and 6 and imports only the standard library.
// It shares nothing with the VM's execution tables in vm/: its tests cross-check the two,
// and check this package against GNU objdump and as, so a misread encoding in one shows.
package mips64
