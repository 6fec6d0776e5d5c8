package mutate

import "strings"

// The tamper catalogue (issue 14, item 3): each mutant removes one verification of the step
// contract — a memory proof on one memory-reading path, the thread witness, the exited
// byte — or reverts with the wrong error. None of them changes the outcome of an honest
// witness, so honest differential checking cannot kill them; tamper mode (`fpvmdiff vectors
// --tamper`, docs/tamper.md) must; it is the third check of every mutant (run.go).
//
// A read path loses its check by reading the word with peekMem (the unverified read that
// stores use before their verified write). A write path loses it by first setting the
// state's memory root to the root the proof itself gives ("trust the proof"), so the
// verification inside writeMem always passes and the new root is built on the forged
// siblings.

// trustProof is the statement that makes a write through proof slot `slot` at `addr` trust
// whatever root the proof leads to.
func trustProof(addr, slot string) string {
	return "mstore(add(M_STATE, S_MEM_ROOT), merkleRoot(calldataload(proofOffset(" + slot + ")), " + addr + ", proofOffset(" + slot + "))) "
}

// trustWrite is a mutant of the write `orig` (writing through slot 1 at addr).
func trustWrite(id, orig, addr, what string) Mutant {
	repl := strings.Replace(orig, "writeMem(", trustProof(addr, "1")+"writeMem(", 1)
	return Mutant{id, SideSol, "memory", fContract, orig, repl, what + ": the data word's proof is not verified (the proof's own root is trusted)"}
}

var tamperCatalogue = []Mutant{
	{"sol-tamper-fetch", SideSol, "memory", fContract,
		"readMem(and(pcv, not(7)), 0)", "peekMem(and(pcv, not(7)), 0)",
		"instruction fetch: the proof of slot 0 is not verified"},
	{"sol-tamper-load", SideSol, "memory", fContract,
		"case 0 { m := readMem(addr, 1) }", "case 0 { m := peekMem(addr, 1) }",
		"loads (and every op >= 0x20 that reads): the data word's proof is not verified"},
	{"sol-tamper-ll", SideSol, "memory", fContract,
		"let m := readMem(addr, 1)", "let m := peekMem(addr, 1)",
		"LL: the data word's proof is not verified"},
	{"sol-tamper-lld", SideSol, "memory", fContract,
		"setReg(rtIdx, readMem(addr, 1))", "setReg(rtIdx, peekMem(addr, 1))",
		"LLD: the data word's proof is not verified"},
	{"sol-tamper-futex", SideSol, "memory", fContract,
		"let m := readMem(and(addr, not(7)), 1)\n                    let cur",
		"let m := peekMem(and(addr, not(7)), 1)\n                    let cur",
		"futex wait: the futex word's proof is not verified"},
	{"sol-tamper-preimage-key", SideSol, "memory", fContract,
		"let m := readMem(and(addr, not(7)), 1)\n                n := min(count",
		"let m := peekMem(and(addr, not(7)), 1)\n                n := min(count",
		"pre-image key write (fd 6): the proof of the word the key bytes come from is not verified"},
	trustWrite("sol-tamper-sd", "case 0x3F { writeMem(addr, 1, rtv) }", "addr", "SD"),
	trustWrite("sol-tamper-sb", "case 0x28 { writeMem(addr, 1, insertBits(m, shl(3, sub(7, b)), 0xFF, rtv)) }", "addr", "SB (read-modify-write)"),
	trustWrite("sol-tamper-sc", "case 1 { writeMem(addr, 1, insertBits(m, shl(3, sub(4, and(ea, 4))), MASK32, rtv)) }", "addr", "SC"),
	trustWrite("sol-tamper-scd", "default { writeMem(addr, 1, rtv) }", "addr", "SCD"),
	trustWrite("sol-tamper-preimage-read", "writeMem(word, 1, or(and(m, not(byteMask(k, n))), chunk))", "word", "pre-image read into memory (fd 5)"),
	trustWrite("sol-tamper-getrandom", "writeMem(addr, 1, or(and(m, not(mask)), and(rnd, mask)))", "addr", "getrandom"),
	trustWrite("sol-tamper-clock1", "writeMem(first, 1, secs)", "first", "clock_gettime's first word"),
	{"sol-tamper-clock2", SideSol, "memory", fContract,
		"writeMemChecked(and(add(first, 8), MASK64), 2, nsecs, SEL_INVALID_SECOND_MEMORY_PROOF)",
		trustProof("and(add(first, 8), MASK64)", "2") + "writeMemChecked(and(add(first, 8), MASK64), 2, nsecs, SEL_INVALID_SECOND_MEMORY_PROOF)",
		"clock_gettime's second word: the proof of slot 2 is not verified (the proof's own root is trusted)"},
	{"sol-tamper-clock2-reason", SideSol, "memory", fContract,
		"writeMemChecked(and(add(first, 8), MASK64), 2, nsecs, SEL_INVALID_SECOND_MEMORY_PROOF)",
		"writeMemChecked(and(add(first, 8), MASK64), 2, nsecs, SEL_INVALID_MEMORY_PROOF)",
		"clock_gettime's second proof fails with InvalidMemoryProof instead of InvalidSecondMemoryProof"},
	{"sol-tamper-thread", SideSol, "scheduler", fContract,
		"if iszero(eq(pushRoot(inner, keccak256(M_THREAD, THREAD_SIZE)), activeRoot)) {",
		"if and(0, iszero(eq(pushRoot(inner, keccak256(M_THREAD, THREAD_SIZE)), activeRoot))) {",
		"the thread witness is not checked against the active stack root"},
	{"sol-tamper-exited", SideSol, "encoding", fContract,
		"if gt(exited, 1) { revertWithSelector(SEL_INVALID_EXITED_VALUE) }",
		"if gt(exited, 255) { revertWithSelector(SEL_INVALID_EXITED_VALUE) }",
		"an exited byte above 1 is accepted (read as exited)"},
}

// TamperArgs are the fpvmdiff arguments of the tamper check every mutant gets: forged
// witnesses over the vector corpus, two words of each used region (docs/tamper.md).
var TamperArgs = []string{"vectors", "--tamper", "--tamper-words", "2"}

func init() { Catalogue = append(Catalogue, tamperCatalogue...) }
