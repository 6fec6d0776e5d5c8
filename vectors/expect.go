package vectors

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/fpvmdiff/fpvmdiff/vm"
)

// layout is how a variant moved the threads around, so that the expectation written for the
// vector as given still applies: mirrored swaps the stacks (and traverseRight), extra ids sit
// at the bottom of each stack under the vector's threads.
type layout struct {
	mirrored              bool
	extraLeft, extraRight []uint64
	// operands: the instruction's operands were drawn anew inside their classes; the
	// vector's expectation no longer applies, only whether the step fails.
	operands bool
}

// expected applies the vector's expectation to a copy of the (possibly randomized) pre-state.
// It returns nil for an exception.
func expected(c *Case, pre *vm.State, lay layout) (*vm.State, error) {
	e := &c.V.Expect
	if e.Exception {
		return nil, nil
	}
	s := copyState(pre)
	byID := map[uint64]*vm.Thread{}
	for _, t := range append(append([]*vm.Thread{}, s.LeftThreadStack...), s.RightThreadStack...) {
		byID[t.ThreadID] = t
	}
	active := s.ActiveThread()
	// Implicit bookkeeping of one ordinary step (docs/spec.md §4 "One step: the scheduler"
	// items 3 and 7, §5.1 "Decoding and common rules").
	if !pre.Exited && active != nil {
		s.Step++
		s.StepsSinceLastContextSwitch++
		active.PC, active.NextPC = active.NextPC, active.NextPC+4
	}
	setIfGiven(&s.Step, e.Step)
	setIfGiven(&s.StepsSinceLastContextSwitch, e.StepsSinceLastContextSwitch)
	setIfGiven(&s.Heap, e.Heap)
	setIfGiven(&s.PreimageOffset, e.PreimageOffset)
	setIfGiven(&s.LLAddress, e.LLAddress)
	setIfGiven(&s.LLOwnerThread, e.LLOwnerThread)
	setIfGiven(&s.NextThreadID, e.NextThreadID)
	if e.LLReservationStatus != nil {
		s.LLReservationStatus = uint8(*e.LLReservationStatus)
	}
	if e.ExitCode != nil {
		s.ExitCode = uint8(*e.ExitCode)
	}
	if e.Exited != nil {
		s.Exited = *e.Exited
	}
	if e.TraverseRight != nil {
		s.TraverseRight = *e.TraverseRight != lay.mirrored
	}
	if e.PreimageKey != "" {
		keys, _, err := preimageKeys(c.V.Pre.Preimages)
		if err != nil {
			return nil, err
		}
		if s.PreimageKey, err = resolveKey(e.PreimageKey, keys); err != nil {
			return nil, fieldErr("expect.preimageKey", err)
		}
	}
	if e.Thread != nil {
		if active == nil {
			return nil, fieldErr("expect.thread", fmt.Errorf("the pre-state has no active thread"))
		}
		if e.Thread.From != nil {
			return nil, fieldErr("expect.thread.from", fmt.Errorf(`"from" is only for new threads in expect.threads`))
		}
		if err := applyThread("expect.thread", active, e.Thread); err != nil {
			return nil, err
		}
	}
	ids := make([]string, 0, len(e.Threads))
	for id := range e.Threads {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, idS := range ids {
		field := "expect.threads." + idS
		id, err := parseUint64(idS)
		if err != nil {
			return nil, fieldErr(field, err)
		}
		ch := e.Threads[idS]
		t, ok := byID[id]
		if ch.From != nil {
			if ok {
				return nil, fieldErr(field+".from", fmt.Errorf("thread %d already exists; from is for new threads", id))
			}
			src := findThread(pre, uint64(*ch.From))
			if src == nil {
				return nil, fieldErr(field+".from", fmt.Errorf("no thread %d in the pre-state", uint64(*ch.From)))
			}
			cp := *src
			cp.ThreadID = id
			t = &cp
			byID[id] = t
		} else if !ok {
			return nil, fieldErr(field, fmt.Errorf(`no thread %d in the pre-state (a new thread needs "from")`, id))
		}
		if err := applyThread(field, t, ch); err != nil {
			return nil, err
		}
	}
	stack := func(field string, ids *[]Hex64, extra []uint64, def []*vm.Thread) ([]*vm.Thread, error) {
		if ids == nil {
			return def, nil
		}
		var out []*vm.Thread
		for _, id := range extra {
			out = append(out, byID[id])
		}
		for i, id := range *ids {
			t, ok := byID[uint64(id)]
			if !ok {
				return nil, fieldErr(fmt.Sprintf("%s[%d]", field, i), fmt.Errorf("no thread %d in the pre-state or expect.threads", uint64(id)))
			}
			out = append(out, t)
		}
		return out, nil
	}
	left, right := e.Left, e.Right
	extraL, extraR := lay.extraLeft, lay.extraRight
	if lay.mirrored {
		left, right = right, left
	}
	var err error
	defLeft, defRight := s.LeftThreadStack, s.RightThreadStack
	if s.LeftThreadStack, err = stack("expect.left", left, extraL, defLeft); err != nil {
		return nil, err
	}
	if s.RightThreadStack, err = stack("expect.right", right, extraR, defRight); err != nil {
		return nil, err
	}
	for a, val := range e.Memory {
		addr, err := parseAddr(a)
		if err != nil {
			return nil, fieldErr("expect.memory", err)
		}
		s.Memory.SetWord(addr, uint64(val))
	}
	return s, nil
}

func findThread(s *vm.State, id uint64) *vm.Thread {
	for _, t := range append(append([]*vm.Thread{}, s.LeftThreadStack...), s.RightThreadStack...) {
		if t.ThreadID == id {
			return t
		}
	}
	return nil
}

func applyThread(field string, t *vm.Thread, ch *ThreadChange) error {
	setIfGiven(&t.PC, ch.PC)
	setIfGiven(&t.NextPC, ch.NextPC)
	setIfGiven(&t.HI, ch.HI)
	setIfGiven(&t.LO, ch.LO)
	if ch.Exited != nil {
		t.Exited = *ch.Exited
	}
	if ch.ExitCode != nil {
		if *ch.ExitCode > 255 {
			return fieldErr(field+".exitCode", fmt.Errorf("%d does not fit a byte", uint64(*ch.ExitCode)))
		}
		t.ExitCode = uint8(*ch.ExitCode)
	}
	for name, val := range ch.Regs {
		r, err := parseReg(name)
		if err != nil {
			return fieldErr(field+".regs", err)
		}
		t.Registers[r] = uint64(val)
	}
	return nil
}

// regName renders a register for diffs.
func regName(r int) string { return "r" + strconv.Itoa(r) + " ($" + regNames[r] + ")" }

// setIfGiven overwrites *dst with *p when the vector lists the field.
func setIfGiven(dst *uint64, p *Hex64) {
	if p != nil {
		*dst = uint64(*p)
	}
}
