package corpus

import (
	"encoding/json"
	"sort"

	"github.com/fpvmdiff/fpvmdiff/vectors"
)

// slotOffset moves the delay slot: the syscall at pc runs with nextPC = pc + slotOffset.
const slotOffset = 0x1000

// inDelaySlot is every syscall vector of the given groups once more with its syscall in a
// delay slot (docs/spec.md §5.6 "Branches, jumps and delay slots", §7.1 "Calling convention
// and errors", §12.7 "Delay slots": nextPC != pc+4, the syscall is allowed there). The
// expectation follows by the rule of 1.1/6.1: a syscall that advances the pc goes to nextPC
// and nextPC + 4 — the jump target, not pc+4/pc+8 — and one that does not (exit, exit_group, a
// bad clone) leaves pc and nextPC as they were. So every expected pc/nextPC equal to the old
// nextPC N becomes N', N+4 becomes N'+4, and pc itself stays.
func inDelaySlot(groups map[string][]*B) []*B {
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []*B
	for _, n := range names {
		for _, b := range groups[n] {
			if c := b.delaySlotCopy(); c != nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// delaySlotCopy is the vector with its syscall moved into a delay slot, or nil when it is
// not a syscall vector that starts from the default nextPC of a running thread.
func (b *B) delaySlotCopy() *B {
	v := b.v
	if len(v.Pre.Insn) == 0 || v.Pre.Insn[0] != 0x0C || v.Pre.Exited != nil && *v.Pre.Exited ||
		v.Pre.StepsSinceLastContextSwitch != nil && uint64(*v.Pre.StepsSinceLastContextSwitch) >= 100_000 {
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err) // a vector built by this package always marshals
	}
	var cp vectors.Vector
	if err := json.Unmarshal(raw, &cp); err != nil {
		panic(err)
	}
	c := &B{v: &cp}
	t := c.th()
	if t.Exited != nil && *t.Exited {
		return nil
	}
	pc := uint64(vectors.DefaultPC)
	if t.PC != nil {
		pc = uint64(*t.PC)
	}
	if t.NextPC != nil && uint64(*t.NextPC) != pc+4 {
		return nil // already in a delay slot
	}
	oldNext, newNext := pc+4, pc+slotOffset
	t.NextPC = h(newNext)
	remap := func(p **vectors.Hex64) {
		if *p == nil {
			return
		}
		switch uint64(**p) {
		case oldNext:
			*p = h(newNext)
		case oldNext + 4:
			*p = h(newNext + 4)
		}
	}
	if e := cp.Expect.Thread; e != nil {
		remap(&e.PC)
		remap(&e.NextPC)
	}
	for _, e := range cp.Expect.Threads {
		if e.From != nil { // a clone child starts at the parent's nextPC (§7.2)
			remap(&e.PC)
			remap(&e.NextPC)
		}
	}
	cp.Name += "-dslot"
	cp.Rule = "§5.6/§12.7 in a delay slot (nextPC = pc+0x1000): " + cp.Rule
	return c
}

// classExtras are the operand classes no table above reaches, derived by hand.
func classExtras() []*B {
	beq := I(0x04, rs8, rt9, 0x10)
	bne := I(0x05, rs8, rt9, 0x10)
	return []*B{
		V("cls-beq-not-taken-in-delay-slot", "§5.6 BEQ in a delay slot is an exception even when it would not be taken").PC(0x4000, 0x5000).Insn(beq).R(rs8, 1).R(rt9, 2).Exc(),
		V("cls-bne-taken-in-delay-slot", "§5.6 BNE in a delay slot is an exception even when it would be taken").PC(0x4000, 0x5000).Insn(bne).R(rs8, 1).R(rt9, 2).Exc(),
		V("cls-andi-imm15-clear", "§5.2 ANDI: rs & zx16(0x7F0F)").Insn(I(0x0C, rs8, rt9, 0x7F0F)).R(rs8, 0xFFFF_0000_1234_5678).Want(rt9, 0x5608),
		V("cls-ori-imm15-clear", "§5.2 ORI: rs | zx16(0x7001), upper bits of rs kept").Insn(I(0x0D, rs8, rt9, 0x7001)).R(rs8, 0x8000_0000_0000_0010).Want(rt9, 0x8000_0000_0000_7011),
		V("cls-xori-imm15-set", "§5.2 XORI: rs ^ zx16(0x8001), imm not sign-extended").Insn(I(0x0E, rs8, rt9, 0x8001)).R(rs8, 0x0000_0000_0000_FFFF).Want(rt9, 0x7FFE),
		V("cls-movz-rt-nonzero", "§5.3 MOVZ: rt != 0, rd unchanged").Insn(Sp(0x0A, rs8, rt9, rd10, 0)).R(rs8, 0x1234).R(rt9, 0x10).R(rd10, 0x77),
		V("cls-movn-rt-nonzero", "§5.3 MOVN: rt != 0, rd = rs").Insn(Sp(0x0B, rs8, rt9, rd10, 0)).R(rs8, 0x1234).R(rt9, 0x10).R(rd10, 0x77).Want(rd10, 0x1234),
	}
}
