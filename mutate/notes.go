package mutate

// Notes gives the reason each surviving mutant survived, after analysis: an equivalent
// mutant, or a vector that was missing (and has been added since, where possible).
var Notes = map[string]string{}
