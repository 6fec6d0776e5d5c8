package cli

import (
	"fmt"
	"strconv"
	"strings"
)

// stepCount is a flag holding a number of steps. It accepts underscores and the suffixes
// k, M and G (powers of 1000), so "20M" and "20_000_000" are the same.
type stepCount uint64

func (s *stepCount) String() string { return strconv.FormatUint(uint64(*s), 10) }

func (s *stepCount) Set(text string) error {
	t := strings.ReplaceAll(text, "_", "")
	mult := uint64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k', 'K':
			mult = 1_000
		case 'M':
			mult = 1_000_000
		case 'G':
			mult = 1_000_000_000
		}
		if mult != 1 {
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseUint(t, 10, 64)
	if err != nil || v > ^uint64(0)/mult {
		return fmt.Errorf("%q is not a step count (examples: 5000, 20_000_000, 20M)", text)
	}
	*s = stepCount(v * mult)
	return nil
}
