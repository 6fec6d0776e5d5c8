package mutate

// Notes explains mutants after analysis: for a survivor, why it survives (an equivalent
// mutant, or a missing vector that could not be added); for a mutant that survived an
// earlier run, which vector kills it now.
var Notes = map[string]string{
	"go-dsrav-mask31": "Survived the first full run: the only DSRAV vector shifted by 65, and 65 & 31 == 65 & 63. " +
		"Only the Go unit tests caught it. Killed since by `mutant-dsrav-shift-40` in " +
		"`testdata/vectors/hand-mutants.json` (shift 40: -2^63 >> 40 = 0xFFFF_FFFF_FF80_0000, by hand)",
	"sol-dsrav-mask31": "Ran after `mutant-dsrav-shift-40` was added (the Go twin go-dsrav-mask31 had " +
		"survived without it) and is killed by that vector alone: the contract gives " +
		"0xFF80_0000_0000_0000 (shift 8) where the vector expects 0xFFFF_FFFF_FF80_0000",
	"go-field-no-align": "Its first form replaced ea&7&^(n-1) by ea&(8-n), which is the same mask for every " +
		"access size n = 1, 2, 4, 8 (an equivalent mutant, rightly survived the run of 2026-12-04 16:53). " +
		"The form in the catalogue now drops the alignment (ea&7) and is killed by 90 vectors, the " +
		"class vectors of LH/LHU/LW/LWU/SH/SW/LL/SC at odd and unaligned offsets among them",
	"go-yield-order": "Equivalent mutant. preemptThread only moves the *Thread pointer to the other stack " +
		"and sysReturn then writes the result through the same pointer; stack roots are computed " +
		"later, from the threads' current encodings (stackCache.root compares encodings, it " +
		"caches no hash of a moved thread), so both orders give the same post-state. No vector " +
		"can tell them apart",
}
