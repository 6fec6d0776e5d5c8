package mips64

import "fmt"

// regNames are the n64 ABI register names, as GNU objdump prints them for n64 code.
var regNames = [32]string{
	"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
	"a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3",
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
	"t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra",
}

// RegName is the n64 ABI name of register r.
func RegName(r int) string {
	if r < 0 || r > 31 {
		return fmt.Sprintf("r%d", r)
	}
	return regNames[r]
}
