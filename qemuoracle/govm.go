package qemuoracle

import (
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// RunGo executes the case on the Go VM with one Step(false): one thread at the
// instruction, the same registers, HI/LO, code block and memory window as under QEMU.
func RunGo(c *Case, l Layout) (Outcome, error) {
	mem := memory.New()
	base := l.blockBase(c.Slot)
	block := c.Block()
	for i := 0; i < BlockWords; i += 2 {
		mem.SetWord(base+uint64(4*i), uint64(block[i])<<32|uint64(block[i+1]))
	}
	for i, w := range c.In.Window {
		mem.SetWord(l.Window+uint64(8*i), w)
	}
	t := &vm.Thread{PC: c.Entry, NextPC: c.Entry + 4, HI: c.In.HI, LO: c.In.LO, Registers: c.In.Regs}
	st := &vm.State{Memory: mem, LeftThreadStack: []*vm.Thread{t}, NextThreadID: 1}
	if _, err := vm.New(st, nil, nil, nil).Step(false); err != nil {
		return Outcome{}, err
	}
	after := st.ActiveThread()
	if after == nil || after.ThreadID != t.ThreadID || st.ThreadCount() != 1 {
		return Outcome{}, fmt.Errorf("go vm: the step changed the thread set (%d threads)", st.ThreadCount())
	}
	if after.PC != c.Entry+4 {
		return Outcome{}, fmt.Errorf("go vm: pc after the step is 0x%x, want the delay slot 0x%x", after.PC, c.Entry+4)
	}
	out := Outcome{PC: after.NextPC, Regs: after.Registers, HI: after.HI, LO: after.LO}
	for i := range out.Window {
		out.Window[i] = mem.GetWord(l.Window + uint64(8*i))
	}
	return out, nil
}
