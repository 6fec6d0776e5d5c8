package fuzz

import (
	"testing"

	"github.com/fpvmdiff/fpvmdiff/vm"
)

// Thread actions: before each step the active thread is made to run one of these (the
// instruction at its pc and the registers it reads are rewritten), so a short input drives
// long scheduler sequences.
const (
	actClone = iota
	actExit
	actFutexWait
	actFutexWake
	actYield
	actNanosleep
	actPreempt
	actALU
	actExitGroup
	actGettid
	actLL
	actSC
	numActions
)

// cloneFlags is the only flags value clone accepts (docs/spec.md §7.2 "Supported syscalls").
const cloneFlags = 0x5_0F00

// FuzzThreads: sequences of clone, exit, futex wait/wake, yield, nanosleep, forced
// preemption, exit_group and LL/SC across threads, every step checked against the EVM.
func FuzzThreads(f *testing.F) {
	f.Add([]byte{})
	// Zero bytes decode to one thread with default fields; the actions follow.
	state := make([]byte, 80)
	// clone twice, yield, the threads exit and are popped.
	f.Add(append(state, 40, actClone, 0, actClone, 0, actYield, actYield, actExit, 0, actExit, 0, actYield, actExit, 0, actExit, 0))
	// LL/SC across a preemption, futex wait and wake, exit_group.
	f.Add(append(state, 40, actLL, 0, actPreempt, 1, actSC, 0, actFutexWait, 1, 0, actFutexWake, actLL, 0, actSC, 0, actNanosleep, actGettid, actExitGroup, 3))
	f.Fuzz(checkThreads)
}

func checkThreads(t *testing.T, data []byte) {
	s := newSource(data)
	st, _ := genState(s)
	st.Exited = false
	p := newStepper(t, st, nil)
	futexAddr := uint64(dataBase + 0x40)
	steps := 1 + int(s.byte()%48)
	for range steps {
		if th := st.ActiveThread(); th != nil && !th.Exited && !st.Exited {
			drive(s, st, th, futexAddr)
		}
		if p.step() != nil {
			return
		}
	}
}

// drive makes th's next step perform the action the source picks.
func drive(s *source, st *vm.State, th *vm.Thread, futexAddr uint64) {
	r := &th.Registers
	insn := uint32(0x0C) // syscall
	switch s.byte() % numActions {
	case actClone:
		r[2], r[4], r[5] = 5055, cloneFlags, dataBase+0x1000+uint64(s.byte())<<4
		if s.oneIn(8) {
			r[4] = s.value()
		}
	case actExit:
		r[2], r[4] = 5058, s.value()
	case actFutexWait:
		r[2], r[4], r[5] = 5194, futexAddr+uint64(s.byte()%8), 128
		cur := uint32(st.Memory.GetWord(futexAddr&^7) >> 32)
		r[6] = uint64(cur)
		if s.bool() {
			r[6] = s.value()
		}
	case actFutexWake:
		r[2], r[4], r[5] = 5194, futexAddr, 129
	case actYield:
		r[2] = 5023
	case actNanosleep:
		r[2] = 5034
	case actPreempt:
		st.StepsSinceLastContextSwitch = vm.SchedQuantum - uint64(s.byte()%2)
		insn = 0x24080005 // addiu t0, zero, 5
	case actALU:
		insn = 0x25080001 // addiu t0, t0, 1
	case actExitGroup:
		r[2], r[4] = 5205, s.value()
	case actGettid:
		r[2] = 5178
	case actLL:
		insn, r[5] = 0xC0A40000, futexAddr+uint64(s.byte()%8) // ll a0, 0(a1)
	case actSC:
		insn, r[5] = 0xE0A40000, futexAddr+uint64(s.byte()%8) // sc a0, 0(a1)
	}
	// The thread's own pc may be anywhere (a delay slot, a clone's stack): keep it in code
	// and out of a delay slot, or the step only checks the fault.
	if th.PC&3 != 0 || th.NextPC != th.PC+4 {
		th.PC = codeBase + 8*uint64(s.byte()%64)
		th.NextPC = th.PC + 4
	}
	putInsn(st.Memory, th.PC, insn)
}
