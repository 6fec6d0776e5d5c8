package vectors

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/fpvmdiff/fpvmdiff/mips64"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// Randomization kinds (README.md "Variants").
const (
	RandRegisters   = "registers"
	RandHiLo        = "hilo"
	RandReservation = "reservation"
	RandDirection   = "direction"
	RandThreads     = "threads"
)

var randKinds = map[string]bool{RandRegisters: true, RandHiLo: true, RandReservation: true, RandDirection: true, RandThreads: true, RandOperands: true}

// defaultRandomize applies when a vector has no "randomize" list.
var defaultRandomize = []string{RandRegisters, RandHiLo}

func (v *Vector) randomizeKinds() []string {
	if v.Randomize == nil {
		return defaultRandomize
	}
	return *v.Randomize
}

// extraThreadBase is the first id of the threads a variant adds, far from the ids vectors use.
const extraThreadBase = 0x7A00

// reservationBase is where a random reservation points: far from every address vectors use,
// so no store of the vector clears it by accident.
const reservationBase = 0x5A5A_0000_0000_0000

// variant returns the pre-state and layout of variant n (0 = the vector as written).
func (c *Case) variant(n int, seed uint64) (*vm.State, layout) {
	s := copyState(c.State)
	var lay layout
	if n == 0 {
		return s, lay
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", c.V.Name, n)
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	kinds := map[string]bool{}
	for _, k := range c.V.randomizeKinds() {
		kinds[k] = true
	}
	used := c.usedRegs()
	if kinds[RandRegisters] {
		for _, t := range append(append([]*vm.Thread{}, s.LeftThreadStack...), s.RightThreadStack...) {
			for r := 1; r < 32; r++ {
				if c.listed[t.ThreadID][r] || (t.ThreadID == c.ActiveID && used[r]) {
					continue
				}
				t.Registers[r] = rng.Uint64()
			}
		}
	}
	if kinds[RandHiLo] {
		for _, t := range append(append([]*vm.Thread{}, s.LeftThreadStack...), s.RightThreadStack...) {
			if !c.hiLoListed[t.ThreadID] {
				t.HI, t.LO = rng.Uint64(), rng.Uint64()
			}
		}
	}
	if kinds[RandReservation] && s.LLReservationStatus == 0 && c.V.Pre.LLAddress == nil && c.V.Pre.LLOwnerThread == nil {
		s.LLReservationStatus = uint8(1 + rng.IntN(2))
		s.LLAddress = reservationBase | rng.Uint64()&0xFFFF_FFFF
		s.LLOwnerThread = rng.Uint64() & 0xFF
	}
	if kinds[RandDirection] && rng.IntN(2) == 1 {
		s.LeftThreadStack, s.RightThreadStack = s.RightThreadStack, s.LeftThreadStack
		s.TraverseRight = !s.TraverseRight
		lay.mirrored = true
	}
	if kinds[RandThreads] {
		id := uint64(extraThreadBase)
		mk := func() *vm.Thread {
			t := &vm.Thread{ThreadID: id, PC: rng.Uint64() &^ 3, HI: rng.Uint64(), LO: rng.Uint64()}
			t.NextPC = t.PC + 4
			for r := 1; r < 32; r++ {
				t.Registers[r] = rng.Uint64()
			}
			id++
			return t
		}
		for range 1 + rng.IntN(2) {
			t := mk()
			s.LeftThreadStack = append([]*vm.Thread{t}, s.LeftThreadStack...)
			lay.extraLeft = append([]uint64{t.ThreadID}, lay.extraLeft...)
		}
		for range 1 + rng.IntN(2) {
			t := mk()
			s.RightThreadStack = append([]*vm.Thread{t}, s.RightThreadStack...)
			lay.extraRight = append([]uint64{t.ThreadID}, lay.extraRight...)
		}
	}
	if kinds[RandOperands] {
		lay.operands = drawOperands(rng, s)
	}
	return s, lay
}

// usedRegs are the registers the instructions at pc name (rs, rt, rd) plus the syscall
// arguments: when the vector does not list them it means 0, so they are never randomized.
func (c *Case) usedRegs() map[int]bool {
	used := map[int]bool{}
	for _, insn := range c.insns {
		used[int(mips64.RS(insn))] = true
		used[int(mips64.RT(insn))] = true
		used[int(mips64.RD(insn))] = true
		if mips64.Opcode(insn) == mips64.OpSpecial && mips64.Funct(insn) == 0x0C { // syscall
			for _, r := range []int{2, 4, 5, 6} {
				used[r] = true
			}
		}
	}
	if len(c.insns) == 0 {
		// Instructions given as memory words: keep every register as written.
		for r := 1; r < 32; r++ {
			used[r] = true
		}
	}
	return used
}
