package vm

// Branches and jumps (docs/spec.md §5.5 "REGIMM", §5.6 "Branches, jumps and delay slots").
// Every one of them faults when it sits in a delay slot, i.e. when nextPC != pc+4; the
// instruction in its own delay slot runs next.

// branchTo finishes a conditional branch: the delay slot runs next, then the target if taken.
func branchTo(v *VM, t *Thread, i inst, taken bool) error {
	if t.NextPC != t.PC+4 {
		return v.fault(FaultBranchInDelaySlot, uint32(i), "")
	}
	target := t.NextPC + 4
	if taken {
		target = t.PC + 4 + i.simm()<<2
	}
	t.PC, t.NextPC = t.NextPC, target
	return nil
}

// jumpTo finishes a jump; link (0 for none) receives pc+8. The target is computed before the
// link is written, so JALR with rd == rs jumps to the old value.
func jumpTo(v *VM, t *Thread, i inst, target uint64, link uint32) error {
	if t.NextPC != t.PC+4 {
		return v.fault(FaultJumpInDelaySlot, uint32(i), "")
	}
	ret := t.PC + 8
	t.PC, t.NextPC = t.NextPC, target
	if link != 0 {
		t.Registers[link] = ret
	}
	return nil
}

func opBEQ(v *VM, t *Thread, i inst) error {
	return branchTo(v, t, i, t.Registers[i.rs()] == t.Registers[i.rt()])
}

func opBNE(v *VM, t *Thread, i inst) error {
	return branchTo(v, t, i, t.Registers[i.rs()] != t.Registers[i.rt()])
}

func opBLEZ(v *VM, t *Thread, i inst) error {
	return branchTo(v, t, i, int64(t.Registers[i.rs()]) <= 0)
}

func opBGTZ(v *VM, t *Thread, i inst) error {
	return branchTo(v, t, i, int64(t.Registers[i.rs()]) > 0)
}

// regimmBranch is a REGIMM selector: the condition on int64(R[rs]) and whether R[31] is
// linked. A selector without a condition never branches and raises no exception.
type regimmBranch struct {
	name string
	cond func(rs int64) bool
	link bool
}

// regimmOps is indexed by the rt field of opcode 1 (docs/spec.md §5.5 "REGIMM").
var regimmOps = [32]regimmBranch{
	0x00: {"bltz", ltz, false},
	0x01: {"bgez", gez, false},
	0x10: {"bltzal", ltz, true},
	0x11: {"bgezal", gez, true},
}

func ltz(x int64) bool { return x < 0 }
func gez(x int64) bool { return x >= 0 }

// opREGIMM links R[31] whether or not the branch is taken; the condition reads R[rs] first.
func opREGIMM(v *VM, t *Thread, i inst) error {
	b := &regimmOps[i.rt()]
	taken := b.cond != nil && b.cond(int64(t.Registers[i.rs()]))
	ret := t.PC + 8
	if err := branchTo(v, t, i, taken); err != nil {
		return err
	}
	if b.link {
		t.Registers[31] = ret
	}
	return nil
}

// jTarget keeps the 256 MiB region of the delay slot's address.
func jTarget(t *Thread, i inst) uint64 {
	return t.NextPC&^0x0FFF_FFFF | uint64(uint32(i)&0x03FF_FFFF)<<2
}

func opJ(v *VM, t *Thread, i inst) error   { return jumpTo(v, t, i, jTarget(t, i), 0) }
func opJAL(v *VM, t *Thread, i inst) error { return jumpTo(v, t, i, jTarget(t, i), 31) }

// opJR ignores rd: only JALR links.
func opJR(v *VM, t *Thread, i inst) error { return jumpTo(v, t, i, t.Registers[i.rs()], 0) }

func opJALR(v *VM, t *Thread, i inst) error {
	return jumpTo(v, t, i, t.Registers[i.rs()], i.rd())
}
