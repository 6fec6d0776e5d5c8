package mutate

// Notes explains mutants after analysis: for a survivor, why it survives (an equivalent
// mutant, or a missing vector that could not be added); for a mutant that survived an
// earlier run, which vector kills it now.
var Notes = map[string]string{
	"go-dsrav-mask31": "Survived the first full run: the only DSRAV vector shifted by 65, and 65 & 31 == 65 & 63. " +
		"Only the Go unit tests caught it. Killed since by `mutant-dsrav-shift-40` in " +
		"`testdata/vectors/hand-mutants.json` (shift 40: -2^63 >> 40 = 0xFFFF_FFFF_FF80_0000, by hand)",
}
