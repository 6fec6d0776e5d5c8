// Package corpus holds the hand-written tables of the generated part of the vector corpus
// (testdata/vectors/gen-*.json). Every expected value in these tables is a literal derived
// by hand from docs/spec.md; the code here only encodes instruction words and lays the
// vectors out as JSON. Regenerate with `go run ./vectors/internal/corpus/gen`.
package corpus

import (
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/mips64"
	"github.com/fpvmdiff/fpvmdiff/vectors"
)

// B builds one vector.
type B struct{ v *vectors.Vector }

func h(x uint64) *vectors.Hex64 { y := vectors.Hex64(x); return &y }

func bp(b bool) *bool { return &b }

// V starts a vector with one thread (id 0) at the default pc.
func V(name, rule string) *B {
	return &B{v: &vectors.Vector{Name: name, Rule: rule, Pre: vectors.Pre{Thread: &vectors.Thread{}}}}
}

func (b *B) th() *vectors.Thread {
	if b.v.Pre.Thread != nil {
		return b.v.Pre.Thread
	}
	st := b.v.Pre.Left
	if b.v.Pre.TraverseRight != nil && *b.v.Pre.TraverseRight {
		st = b.v.Pre.Right
	}
	return st[len(st)-1]
}

func (b *B) exp() *vectors.ThreadChange {
	if b.v.Expect.Thread == nil {
		b.v.Expect.Thread = &vectors.ThreadChange{}
	}
	return b.v.Expect.Thread
}

// Insn places instruction words at pc.
func (b *B) Insn(ws ...uint32) *B {
	for _, w := range ws {
		b.v.Pre.Insn = append(b.v.Pre.Insn, vectors.Hex64(w))
	}
	return b
}

// R sets a pre-state register of the active thread.
func (b *B) R(r int, val uint64) *B {
	t := b.th()
	if t.Regs == nil {
		t.Regs = map[string]vectors.Hex64{}
	}
	t.Regs[fmt.Sprint(r)] = vectors.Hex64(val)
	return b
}

// HiLo sets the pre-state HI and LO.
func (b *B) HiLo(hi, lo uint64) *B { b.th().HI, b.th().LO = h(hi), h(lo); return b }

// PC sets pc and nextPC.
func (b *B) PC(pc, next uint64) *B { b.th().PC, b.th().NextPC = h(pc), h(next); return b }

// TID sets the thread id.
func (b *B) TID(id uint64) *B { b.th().ID = h(id); return b }

// M sets a pre-state memory word.
func (b *B) M(addr, val uint64) *B {
	if b.v.Pre.Memory == nil {
		b.v.Pre.Memory = map[string]vectors.Hex64{}
	}
	b.v.Pre.Memory[fmt.Sprintf("0x%x", addr)] = vectors.Hex64(val)
	return b
}

// LL sets the pre-state reservation.
func (b *B) LL(status, addr, owner uint64) *B {
	b.v.Pre.LLReservationStatus, b.v.Pre.LLAddress, b.v.Pre.LLOwnerThread = h(status), h(addr), h(owner)
	return b
}

// Step sets the pre-state step counters.
func (b *B) Step(step, since uint64) *B {
	b.v.Pre.Step, b.v.Pre.StepsSinceLastContextSwitch = h(step), h(since)
	return b
}

// Heap sets the pre-state heap.
func (b *B) Heap(x uint64) *B { b.v.Pre.Heap = h(x); return b }

// Covers adds coverage rows.
func (b *B) Covers(rows ...string) *B { b.v.Covers = append(b.v.Covers, rows...); return b }

// Rand sets the randomize list.
func (b *B) Rand(kinds ...string) *B { k := append([]string{}, kinds...); b.v.Randomize = &k; return b }

// Want expects a register of the active thread.
func (b *B) Want(r int, val uint64) *B {
	e := b.exp()
	if e.Regs == nil {
		e.Regs = map[string]vectors.Hex64{}
	}
	e.Regs[fmt.Sprint(r)] = vectors.Hex64(val)
	return b
}

// WantHiLo expects HI and LO.
func (b *B) WantHiLo(hi, lo uint64) *B { b.exp().HI, b.exp().LO = h(hi), h(lo); return b }

// WantPC expects pc and nextPC.
func (b *B) WantPC(pc, next uint64) *B { b.exp().PC, b.exp().NextPC = h(pc), h(next); return b }

// WantM expects a memory word.
func (b *B) WantM(addr, val uint64) *B {
	if b.v.Expect.Memory == nil {
		b.v.Expect.Memory = map[string]vectors.Hex64{}
	}
	b.v.Expect.Memory[fmt.Sprintf("0x%x", addr)] = vectors.Hex64(val)
	return b
}

// WantLL expects the reservation.
func (b *B) WantLL(status, addr, owner uint64) *B {
	b.v.Expect.LLReservationStatus, b.v.Expect.LLAddress, b.v.Expect.LLOwnerThread = h(status), h(addr), h(owner)
	return b
}

// Exc expects an exception.
func (b *B) Exc() *B { b.v.Expect = vectors.Expect{Exception: true}; return b }

// Sys sets up a syscall: the SYSCALL word at pc, $v0 = num and the arguments a0, a1, a2.
func (b *B) Sys(num uint64, args ...uint64) *B {
	b.Insn(0x0000000C).R(2, num)
	for i, a := range args {
		b.R(4+i, a)
	}
	return b
}

// Ret expects a normal syscall return: $v0 = v0, $a3 = 0.
func (b *B) Ret(v0 uint64) *B { return b.Want(2, v0).Want(7, 0) }

// Err expects an error return (docs/spec.md §7.1 "Calling convention and errors" convention
// B): $v0 = errno, $a3 = -1.
func (b *B) Err(errno uint64) *B { return b.Want(2, errno).Want(7, ^uint64(0)) }

// Vector returns the built vector.
func (b *B) Vector() *vectors.Vector { return b.v }

// Instruction encoders: the corpus's short spellings of package mips64's field encoders.
const (
	rs8, rt9, rd10 = 8, 9, 10
)

// Sp encodes a SPECIAL (op 0) instruction.
func Sp(funct, rs, rt, rd, sa uint32) uint32 {
	return mips64.EncodeR(mips64.OpSpecial, rs, rt, rd, sa, funct)
}

// Sp2 encodes a SPECIAL2 (op 0x1C) instruction.
func Sp2(funct, rs, rt, rd uint32) uint32 {
	return mips64.EncodeR(mips64.OpSpecial2, rs, rt, rd, 0, funct)
}

// I encodes an I-type instruction.
func I(op, rs, rt uint32, imm uint16) uint32 { return mips64.EncodeI(op, rs, rt, imm) }

// Jt encodes J/JAL to a target address (low 28 bits).
func Jt(op uint32, target uint64) uint32 { return mips64.EncodeJ(op, target) }

// Regimm encodes a REGIMM branch.
func Regimm(rt, rs uint32, imm uint16) uint32 { return mips64.EncodeI(mips64.OpRegimm, rs, rt, imm) }
