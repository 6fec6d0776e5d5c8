package check

// diffPacked lists the fields (diff.go's field tables) on which two packed encodings
// differ, each name prefixed with prefix; a missing or short encoding reads as "(absent)".
func diffPacked(fields []field, prefix string, a, b []byte) []LockstepField {
	var out []LockstepField
	for _, f := range fields {
		x, y := renderField(a, f), renderField(b, f)
		if x != y {
			out = append(out, LockstepField{Field: prefix + f.name, A: x, B: y})
		}
	}
	return out
}
