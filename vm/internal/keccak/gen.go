//go:build ignore

// gen writes permute.go: Keccak-f[1600] (FIPS 202 section 3) with every step-mapping index,
// rotation offset and round constant derived here from the definitions, so the generated
// code holds no hand-typed table. The output runs two rounds per loop iteration, from lane
// set a into lane set e and back, which keeps all 25 lanes in locals (no array shuffling)
// and needs only the five B values of one output plane at a time.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"math/bits"
	"os"
)

// rotations returns r[x][y] of the rho step (FIPS 202 Algorithm 2): walk (x,y) from (1,0)
// through (y, 2x+3y) for t = 0..23, offset (t+1)(t+2)/2 mod 64.
func rotations() (r [5][5]int) {
	x, y := 1, 0
	for t := 0; t < 24; t++ {
		r[x][y] = ((t + 1) * (t + 2) / 2) % 64
		x, y = y, (2*x+3*y)%5
	}
	return r
}

// rc is the LFSR bit rc(t) of FIPS 202 Algorithm 5.
func rc(t int) uint64 {
	if t%255 == 0 {
		return 1
	}
	r := uint16(1) // R = 10000000 with R[i] at bit i
	for i := 1; i <= t%255; i++ {
		r <<= 1 // R = 0 || R
		b8 := (r >> 8) & 1
		r ^= b8 | b8<<4 | b8<<5 | b8<<6 // R[0], R[4], R[5], R[6] ^= R[8]
		r &= 0xFF                       // Trunc8
	}
	return uint64(r) & 1
}

// roundConstants are the iota constants RC[i] (FIPS 202 Algorithm 6).
func roundConstants() (c [24]uint64) {
	for i := range c {
		for j := 0; j <= 6; j++ {
			c[i] |= rc(j+7*i) << ((1 << j) - 1)
		}
	}
	return c
}

func lane(x, y int) int { return x + 5*y }

// piSource is the lane that pi moves to (X, Y): pi sends (x, y) to (y, 2x+3y), so the source
// is y = X, x = 3(Y-3X) mod 5 (3 is the inverse of 2 mod 5).
func piSource(X, Y int) int { return lane(((3*(Y-3*X))%5+25)%5, X) }

// Lane complementing: chi computes b0 ^ (^b1 & b2) per lane, a NOT, an AND and a XOR on
// processors without ANDN. Holding some lanes complemented across rounds lets most lanes
// use a plain AND or OR instead (De Morgan), so only a few NOTs remain per round. The
// generator tracks which values are complemented through theta, rho and pi, picks each
// lane's chi form, and searches the pattern that needs the fewest NOTs.

// thetaMasks gives, for each source lane, whether its B value (after theta, rho and pi) is
// complemented when the lanes in comp are: theta XORs column parities in, and the parity
// of a column flips with each complemented lane in it.
func thetaMasks(comp [25]bool) (bm [25]bool) {
	var mc [5]bool
	for x := 0; x < 5; x++ {
		for y := 0; y < 5; y++ {
			mc[x] = mc[x] != comp[lane(x, y)]
		}
	}
	for x := 0; x < 5; x++ {
		md := mc[(x+4)%5] != mc[(x+1)%5]
		for y := 0; y < 5; y++ {
			bm[lane(x, y)] = comp[lane(x, y)] != md
		}
	}
	return bm
}

// chi returns the term t combined with b0 and whether the result needs a final NOT, for
// the true chi value ^b1 & b2 given which of b0, b1, b2 are held complemented (m0..m2) and
// whether the output lane must be (mo). nots counts the NOTs used.
func chi(m0, m1, m2, mo bool, b1, b2 string) (term string, flip bool, nots int) {
	var tComp bool // the term yields the complement of ^b1 & b2
	switch {
	case m1 && !m2: // ^b1 is stored: (^b1) & b2
		term = b1 + " & " + b2
	case !m1 && m2: // b1 | ^b2 is ^(^b1 & b2)
		term, tComp = b1+" | "+b2, true
	default: // one NOT either way; choose the form whose result needs no final NOT
		nots = 1
		tComp = m0 != mo
		switch {
		case !m1 && !tComp:
			term = "^" + b1 + " & " + b2
		case !m1 && tComp:
			term = b1 + " | ^" + b2
		case m1 && !tComp: // stored ^b1 and ^b2: (^b1) & ^(^b2)
			term = b1 + " & ^" + b2
		default: // ^(^b1 & b2) = b1 | ^b2 = ^(stored ^b1) | (stored ^b2)
			term = "^" + b1 + " | " + b2
		}
	}
	if (m0 != tComp) != mo {
		flip, nots = true, nots+1
	}
	return term, flip, nots
}

// notCount is the number of NOTs one round needs with pattern comp.
func notCount(comp [25]bool) int {
	bm := thetaMasks(comp)
	n := 0
	for Y := 0; Y < 5; Y++ {
		m := func(X int) bool { return bm[piSource(X, Y)] }
		for X := 0; X < 5; X++ {
			_, _, k := chi(m(X), m((X+1)%5), m((X+2)%5), comp[lane(X, Y)], "", "")
			n += k
		}
	}
	return n
}

// bestPattern searches the patterns of at most 8 lanes for the fewest NOTs per round, then
// the fewest complemented lanes (each costs a NOT on entry and exit), lowest bit pattern
// first. A one-off search of all 2^25 patterns (48 s) found none with fewer NOTs.
func bestPattern() (best [25]bool) {
	bestNots, bestLanes := 26, 26
	for bitsv := 0; bitsv < 1<<25; bitsv++ {
		if bits.OnesCount32(uint32(bitsv)) > 8 {
			continue
		}
		var comp [25]bool
		lanes := 0
		for i := range comp {
			comp[i] = bitsv>>i&1 == 1
			if comp[i] {
				lanes++
			}
		}
		if n := notCount(comp); n < bestNots || (n == bestNots && lanes < bestLanes) {
			best, bestNots, bestLanes = comp, n, lanes
		}
	}
	log.Printf("lane complementing: %d NOTs per round, lanes %v", bestNots, lanesOf(best))
	return best
}

func lanesOf(comp [25]bool) []int {
	var l []int
	for i, c := range comp {
		if c {
			l = append(l, i)
		}
	}
	return l
}

func main() {
	outPath := flag.String("o", "permute.go", "output `file`")
	flag.Parse()
	rot := rotations()
	consts := roundConstants()
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("// Code generated by gen.go; DO NOT EDIT.\n\npackage keccak\n\nimport \"math/bits\"\n\n")
	p("// roundConstants are the iota constants RC[0..23] of FIPS 202 Algorithm 6.\n")
	p("var roundConstants = [24]uint64{\n")
	for _, c := range consts {
		p("\t%#016x,\n", c)
	}
	p("}\n\n")
	p("// permute applies Keccak-f[1600] to the state, lane (x, y) at index x+5y.\n")
	comp := bestPattern()
	p("func permute(s *[25]uint64) {\n")
	p("// Lanes %v are held complemented inside the rounds (see gen.go).\n", lanesOf(comp))
	for i, c := range comp {
		if c {
			p("s[%d] = ^s[%d]\n", i, i)
		}
	}
	p("var e [25]uint64\n")
	p("for r := 0; r < 24; r += 2 {\n")
	round := func(in, out string, rcExpr string) {
		p("{\n")
		for x := 0; x < 5; x++ {
			p("c%d := %s[%d] ^ %s[%d] ^ %s[%d] ^ %s[%d] ^ %s[%d]\n", x,
				in, lane(x, 0), in, lane(x, 1), in, lane(x, 2), in, lane(x, 3), in, lane(x, 4))
		}
		for x := 0; x < 5; x++ {
			p("d%d := c%d ^ bits.RotateLeft64(c%d, 1)\n", x, (x+4)%5, (x+1)%5)
		}
		bm := thetaMasks(comp)
		for Y := 0; Y < 5; Y++ {
			for X := 0; X < 5; X++ {
				src := piSource(X, Y)
				x, y := src%5, src/5
				if rot[x][y] == 0 {
					p("b%d%d := %s[%d] ^ d%d\n", Y, X, in, lane(x, y), x)
				} else {
					p("b%d%d := bits.RotateLeft64(%s[%d]^d%d, %d)\n", Y, X, in, lane(x, y), x, rot[x][y])
				}
			}
			for X := 0; X < 5; X++ {
				name := func(dx int) string { return fmt.Sprintf("b%d%d", Y, (X+dx)%5) }
				m := func(dx int) bool { return bm[piSource((X+dx)%5, Y)] }
				term, flip, _ := chi(m(0), m(1), m(2), comp[lane(X, Y)], name(1), name(2))
				expr := name(0) + " ^ (" + term + ")"
				if X == 0 && Y == 0 {
					expr += " ^ " + rcExpr
				}
				if flip {
					expr = "^(" + expr + ")"
				}
				p("%s[%d] = %s\n", out, lane(X, Y), expr)
			}
		}
		p("}\n")
	}
	round("s", "e", "roundConstants[r]")
	round("e", "s", "roundConstants[r+1]")
	p("}\n")
	for i, c := range comp {
		if c {
			p("s[%d] = ^s[%d]\n", i, i)
		}
	}
	p("}\n")

	src, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatalf("formatting generated code: %v", err)
	}
	if err := os.WriteFile(*outPath, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
