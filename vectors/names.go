package vectors

import (
	"fmt"
	"strconv"
	"strings"
)

// regNames are the o32/n64 ABI names a vector may use instead of register numbers.
var regNames = [32]string{
	"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
	"a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3",
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
	"t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
}

// parseReg accepts "5", "r5", "$5", "a1" or "$a1".
func parseReg(s string) (int, error) {
	t := strings.TrimPrefix(strings.TrimPrefix(s, "$"), "r")
	if n, err := strconv.Atoi(t); err == nil {
		if n < 0 || n > 31 {
			return 0, fmt.Errorf("register %q out of range 0..31", s)
		}
		return n, nil
	}
	name := strings.TrimPrefix(s, "$")
	for i, r := range regNames {
		if r == name {
			return i, nil
		}
	}
	if name == "s8" {
		return 30, nil
	}
	return 0, fmt.Errorf("unknown register %q (use 0..31 or an ABI name such as a0, v0, sp)", s)
}

// parseAddr parses a memory word address, which must be 8-aligned.
func parseAddr(s string) (uint64, error) {
	a, err := parseUint64(s)
	if err != nil {
		return 0, err
	}
	if a&7 != 0 {
		return 0, fmt.Errorf("memory address %s is not 8-byte aligned (memory is given as 64-bit words)", s)
	}
	return a, nil
}
