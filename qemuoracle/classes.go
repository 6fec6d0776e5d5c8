package qemuoracle

import (
	"fmt"
	"sort"

	"github.com/fpvmdiff/fpvmdiff/coverage/classes"
)

// classTries bounds the search for a case inside one operand class.
const classTries = 20_000

// pre is the operand-class view of a case (coverage/classes): the instruction at its entry,
// not in a delay slot, with its registers and memory window.
func (c *Case) pre(l Layout) *classes.Pre {
	return &classes.Pre{Insn: c.Insn(), PC: c.Entry, NextPC: c.Entry + 4, Regs: c.In.Regs,
		Word: func(a uint64) uint64 {
			if a >= l.Window && a < l.Window+8*WindowWords {
				return c.In.Window[(a-l.Window)/8]
			}
			return 0
		}}
}

// ClassCase draws a case of op whose operands fall in the operand class cls of op's row
// (coverage/classes), after the deviation table constrained it. ok is false when no draw
// landed there: a deviation keeps QEMU out of the class (a dirty upper word where MIPS64
// leaves the result UNPREDICTABLE, a delay slot the driver never sets up).
func (g *Generator) ClassCase(op *Op, cls string, slot int) (c *Case, ok bool) {
	for range classTries {
		c, skipped := g.NextOp(op, slot)
		if skipped != nil {
			continue
		}
		if _, got := classes.Classify(c.pre(g.layout)); contains(got, cls) {
			return c, true
		}
	}
	return nil, false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// ClassReport is the outcome of RunClasses.
type ClassReport struct {
	Compared    int
	Classes     int      // classes with compared cases
	Unreachable []string // "op {class}" no case reached
	Mismatches  []*Mismatch
}

// RunClasses compares perClass cases of every operand class of every op that has classes,
// QEMU against the Go VM: the independent oracle for operands drawn inside a class.
func RunClasses(q *Qemu, seed uint64, perClass int) (*ClassReport, error) {
	gen := NewGenerator(seed, q.Layout)
	rep := &ClassReport{}
	var pending []*Case
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		results, err := q.Run(pending)
		if err != nil {
			return err
		}
		for i, c := range pending {
			goOut, goErr := RunGo(c, q.Layout)
			rep.Compared++
			if m := Compare(c, results[i], goOut, goErr); m != nil {
				rep.Mismatches = append(rep.Mismatches, m)
			}
		}
		pending = pending[:0]
		return nil
	}
	ops := append([]*Op(nil), Ops...)
	sort.Slice(ops, func(i, j int) bool { return ops[i].Name < ops[j].Name })
	for _, op := range ops {
		spec := classes.ForRow("insn/" + op.Name)
		if spec == nil {
			continue
		}
		for _, cls := range spec.Classes() {
			reached := false
			for range perClass {
				if len(pending) == q.Layout.MaxBatch {
					if err := flush(); err != nil {
						return rep, err
					}
				}
				c, ok := gen.ClassCase(op, cls, len(pending))
				if !ok {
					break
				}
				reached = true
				pending = append(pending, c)
			}
			if reached {
				rep.Classes++
			} else {
				rep.Unreachable = append(rep.Unreachable, fmt.Sprintf("%s {%s}", op.Name, cls))
			}
		}
	}
	return rep, flush()
}
