// Package classes is the operand classes of the spec rows (issue 14): for each instruction
// row of coverage/rows.go, the input classes a correct step must handle and a buggy one
// tends to get wrong (shift amounts at the mask boundaries, sign bits, dirty upper halves,
// overflow, every byte offset of a memory access, delay slots). A class is decided from the
// pre-state alone — instruction word, registers, memory — by this package's own decoding;
// it never asks either implementation what the instruction does.
//
// A row's classes are the union of its groups; each group is the cross product of its axes
// ("amt=32-62,sign=neg,upper=dirty"). Coverage reports rows × classes and its gate fails
// on a class no differential check exercised; vectors' "operands" variants draw new
// operands inside the class of the vector as written.
package classes

import (
	"sort"
	"strings"
)

// Pre is the part of a pre-state a class depends on.
type Pre struct {
	Insn       uint32
	PC, NextPC uint64
	Regs       [32]uint64
	// Word returns the 8-byte memory word at an 8-aligned address (big-endian).
	Word func(addr uint64) uint64
}

// Instruction fields (docs/spec.md §5.1 "Decoding and common rules").
func (p *Pre) op() uint32    { return p.Insn >> 26 }
func (p *Pre) rsIdx() uint32 { return p.Insn >> 21 & 31 }
func (p *Pre) rtIdx() uint32 { return p.Insn >> 16 & 31 }
func (p *Pre) sa() uint32    { return p.Insn >> 6 & 31 }
func (p *Pre) rs() uint64    { return p.Regs[p.rsIdx()] }
func (p *Pre) rt() uint64    { return p.Regs[p.rtIdx()] }
func (p *Pre) simm() uint64  { return uint64(int64(int16(p.Insn))) }

// ea is the effective address of a load or store: rs + sx16(imm), wrapping.
func (p *Pre) ea() uint64 { return p.rs() + p.simm() }

// InDelaySlot is the delay-slot condition of docs/spec.md §5.6 "Branches, jumps and delay slots".
func (p *Pre) InDelaySlot() bool { return p.NextPC != p.PC+4 }

// Axis is one dimension of a row's classes: a name, its buckets in report order, and the
// bucket a pre-state falls in ("" = none of them: the pre-state is in no class of a group
// using this axis).
type Axis struct {
	Name    string
	Buckets []string
	Of      func(p *Pre) string
}

// Group is a cross product of axes; Skip names combinations that cannot occur (for
// example equal operands whose signs differ).
type Group struct {
	Axes []*Axis
	Skip []string
}

// Operand names what "operands" variants may draw anew for a row.
type Operand uint8

const (
	OpRS  Operand = 1 << iota // the register rs names
	OpRT                      // the register rt names
	OpSA                      // the sa field of the instruction
	OpImm                     // the 16-bit immediate (ALU immediates only)
	OpMem                     // the effective address (kept modulo 32) and the word there
)

// Spec is the classes of one row.
type Spec struct {
	Row    string
	Groups []Group
	// Operands are what a variant may randomize without leaving the class; 0 = nothing
	// (the class is decided by state the variant must keep, e.g. the delay slot).
	Operands Operand
}

// Classes lists every class of the spec, in report order.
func (s *Spec) Classes() []string {
	var out []string
	for _, g := range s.Groups {
		skip := map[string]bool{}
		for _, k := range g.Skip {
			skip[k] = true
		}
		names := []string{""}
		for _, ax := range g.Axes {
			var next []string
			for _, n := range names {
				for _, b := range ax.Buckets {
					next = append(next, join(n, ax.Name+"="+b))
				}
			}
			names = next
		}
		for _, n := range names {
			if !skip[n] {
				out = append(out, n)
			}
		}
	}
	return out
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "," + b
}

// Of returns the classes of the spec p falls in: at most one per group.
func (s *Spec) Of(p *Pre) []string {
	var out []string
	for _, g := range s.Groups {
		name := ""
		for _, ax := range g.Axes {
			b := ax.Of(p)
			if b == "" {
				name = ""
				break
			}
			name = join(name, ax.Name+"="+b)
		}
		if name != "" {
			out = append(out, name)
		}
	}
	return out
}

// Classify returns the spec of the instruction at pc (nil when its row has no classes)
// and the classes p falls in.
func Classify(p *Pre) (*Spec, []string) {
	s := specOf(p.Insn)
	if s == nil {
		return nil, nil
	}
	return s, s.Of(p)
}

// ForRow returns the spec of a coverage row (nil when it has no classes). Every syscall
// row shares the delay-slot spec: a syscall's path is the row, the slot is the class.
func ForRow(row string) *Spec {
	if strings.HasPrefix(row, "syscall/") {
		return syscallSpec
	}
	return byRow[row]
}

// Rows lists the rows that have classes (the syscall rows excepted), sorted.
func Rows() []string {
	out := make([]string, 0, len(byRow))
	for r := range byRow {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Same reports whether two pre-states of one instruction fall in exactly the same classes.
func Same(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
