package vectors

import "strings"

// revertReasons are the revert reasons of the step contract (as evmharness decodes them) that
// match each Go fault kind (docs/spec.md §10.4 "Reverts"). A read past the end of a
// pre-image fails in the oracle: its part cannot be loaded, so readPreimage reverts.
var revertReasons = map[string][]string{
	"invalid instruction":          {"MIPS64: invalid instruction"},
	"branch in delay slot":         {"MIPS64: branch in delay slot"},
	"jump in delay slot":           {"MIPS64: jump in delay slot"},
	"division by zero":             {"MIPS64: division by zero"},
	"misaligned pc":                {"InvalidPC()"},
	"unimplemented syscall":        {"MIPS64: unimplemented syscall"},
	"active thread stack is empty": {"MIPS64: active thread stack is empty", "MIPS64: post-state active thread stack is empty"},
	"pre-image read past the end":  {"pre-image must exist", "PartOffsetOOB()"},
}

// reasonMatches reports whether the EVM revert reason fits the expected fault kind; kinds
// without a known reason match anything.
func reasonMatches(kind, reason string) bool {
	want, ok := revertReasons[kind]
	if !ok {
		return true
	}
	for _, w := range want {
		if strings.Contains(reason, w) {
			return true
		}
	}
	return false
}
