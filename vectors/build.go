package vectors

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/crypto/sha3"

	"github.com/fpvmdiff/fpvmdiff/mips64"
	"github.com/fpvmdiff/fpvmdiff/vm"
	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Defaults of a pre-state (README.md "Defaults").
const (
	DefaultPC   = 0x4000
	DefaultHeap = 0x0000_1000_0000_0000 // HEAP_START, docs/spec.md §9.1 "Constants"
)

// Case is a vector resolved into a VM pre-state, before any randomization.
type Case struct {
	V      *Vector
	State  *vm.State
	Oracle *vm.PreimageMap
	// Store is what the EVM side needs to load parts: every pre-image, plus for a precompile
	// key its type-2 companion holding address ‖ requiredGas ‖ input.
	Store    map[[32]byte][]byte
	ActiveID uint64
	// listed[tid] holds the registers the vector gives for that thread; hiLoListed likewise.
	listed     map[uint64]map[int]bool
	hiLoListed map[uint64]bool
	insnAddrs  []uint64
	// insns are the instruction words of pre.insn or pre.asm, as placed at pc, pc+4, …
	insns []uint32
}

// fieldErr names the field of a vector that is wrong.
func fieldErr(field string, err error) error { return fmt.Errorf("%s: %w", field, err) }

func u64(p *Hex64, def uint64) uint64 {
	if p == nil {
		return def
	}
	return uint64(*p)
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

func parseHexBytes(s string) ([]byte, error) {
	t := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	b, err := hex.DecodeString(strings.ReplaceAll(t, "_", ""))
	if err != nil {
		return nil, fmt.Errorf("%q is not a hex byte string", s)
	}
	return b, nil
}

// resolveKey reads a 32-byte key: a hex string of at most 32 bytes (left-padded), or "@N",
// the key of pre.preimages[N].
func resolveKey(s string, keys [][32]byte) ([32]byte, error) {
	var k [32]byte
	if strings.HasPrefix(s, "@") {
		n, err := strconv.Atoi(s[1:])
		if err != nil || n < 0 || n >= len(keys) {
			return k, fmt.Errorf("%q does not name one of the %d pre-images", s, len(keys))
		}
		return keys[n], nil
	}
	b, err := parseHexBytes(s)
	if err != nil {
		return k, err
	}
	if len(b) > 32 {
		return k, fmt.Errorf("key %q is longer than 32 bytes", s)
	}
	copy(k[32-len(b):], b)
	return k, nil
}

func preimageKeys(ps []Preimage) ([][32]byte, [][]byte, error) {
	keys := make([][32]byte, len(ps))
	datas := make([][]byte, len(ps))
	for i, p := range ps {
		field := fmt.Sprintf("pre.preimages[%d]", i)
		data, err := parseHexBytes(p.Data)
		if err != nil {
			return nil, nil, fieldErr(field+".data", err)
		}
		datas[i] = data
		switch p.Type {
		case "":
			if p.Key == "" {
				return nil, nil, fieldErr(field, fmt.Errorf(`give "key" or "type" (keccak256, sha256)`))
			}
			k, err := resolveKey(p.Key, nil)
			if err != nil {
				return nil, nil, fieldErr(field+".key", err)
			}
			keys[i] = k
		case "keccak256":
			h := sha3.NewLegacyKeccak256()
			h.Write(data)
			copy(keys[i][:], h.Sum(nil))
			keys[i][0] = 2
		case "sha256":
			keys[i] = sha256.Sum256(data)
			keys[i][0] = 4
		case "precompile":
			in, err := parseHexBytes(p.Input)
			if err != nil || len(in) < 28 {
				return nil, nil, fieldErr(field+".input", fmt.Errorf("want address(20) ‖ requiredGas(8) ‖ input as hex, got %q", p.Input))
			}
			h := sha3.NewLegacyKeccak256()
			h.Write(in)
			copy(keys[i][:], h.Sum(nil))
			keys[i][0] = 6
		default:
			return nil, nil, fieldErr(field+".type", fmt.Errorf("unknown key type %q (keccak256, sha256, precompile, or give key)", p.Type))
		}
	}
	return keys, datas, nil
}

// Resolve builds the pre-state of v.
func Resolve(v *Vector) (*Case, error) {
	p := &v.Pre
	c := &Case{V: v, Oracle: vm.NewPreimageMap(), listed: map[uint64]map[int]bool{}, hiLoListed: map[uint64]bool{}}
	keys, datas, err := preimageKeys(p.Preimages)
	if err != nil {
		return nil, err
	}
	c.Store = map[[32]byte][]byte{}
	for i := range keys {
		c.Oracle.Add(keys[i], datas[i])
		c.Store[keys[i]] = datas[i]
		if p.Preimages[i].Type == "precompile" {
			in, _ := parseHexBytes(p.Preimages[i].Input)
			k2 := keys[i]
			k2[0] = 2
			c.Store[k2] = in
		}
	}
	s := &vm.State{
		Memory:                      memory.New(),
		Heap:                        u64(p.Heap, DefaultHeap),
		PreimageOffset:              u64(p.PreimageOffset, 0),
		LLAddress:                   u64(p.LLAddress, 0),
		LLOwnerThread:               u64(p.LLOwnerThread, 0),
		Exited:                      boolOr(p.Exited, false),
		Step:                        u64(p.Step, 0),
		StepsSinceLastContextSwitch: u64(p.StepsSinceLastContextSwitch, 0),
		TraverseRight:               boolOr(p.TraverseRight, false),
	}
	if st := u64(p.LLReservationStatus, 0); st > 255 {
		return nil, fieldErr("pre.llReservationStatus", fmt.Errorf("%d does not fit a byte", st))
	} else {
		s.LLReservationStatus = uint8(st)
	}
	if ec := u64(p.ExitCode, 0); ec > 255 {
		return nil, fieldErr("pre.exitCode", fmt.Errorf("%d does not fit a byte", ec))
	} else {
		s.ExitCode = uint8(ec)
	}
	if p.PreimageKey != "" {
		if s.PreimageKey, err = resolveKey(p.PreimageKey, keys); err != nil {
			return nil, fieldErr("pre.preimageKey", err)
		}
	}
	if p.Thread != nil && (p.Left != nil || p.Right != nil) {
		return nil, fieldErr("pre.thread", fmt.Errorf(`give either "thread" or "left"/"right", not both`))
	}
	left := p.Left
	if p.Thread != nil {
		left = []*Thread{p.Thread}
	}
	if left == nil && p.Right == nil {
		left = []*Thread{{}}
	}
	seen := map[uint64]bool{}
	maxID := uint64(0)
	build := func(side string, ts []*Thread) ([]*vm.Thread, error) {
		var out []*vm.Thread
		for i, t := range ts {
			field := fmt.Sprintf("pre.%s[%d]", side, i)
			if side == "thread" {
				field = "pre.thread"
			}
			if t == nil {
				return nil, fieldErr(field, fmt.Errorf("null thread"))
			}
			th, err := c.buildThread(field, t)
			if err != nil {
				return nil, err
			}
			if seen[th.ThreadID] {
				return nil, fieldErr(field+".id", fmt.Errorf("thread id %d appears twice", th.ThreadID))
			}
			seen[th.ThreadID] = true
			maxID = max(maxID, th.ThreadID)
			out = append(out, th)
		}
		return out, nil
	}
	leftName := "left"
	if p.Thread != nil {
		leftName = "thread"
	}
	if s.LeftThreadStack, err = build(leftName, left); err != nil {
		return nil, err
	}
	if s.RightThreadStack, err = build("right", p.Right); err != nil {
		return nil, err
	}
	s.NextThreadID = u64(p.NextThreadID, maxID+1)
	c.State = s
	active := s.ActiveThread()
	insnField := "pre.insn"
	if len(p.Asm) > 0 {
		insnField = "pre.asm"
		if len(p.Insn) > 0 {
			return nil, fieldErr("pre.asm", fmt.Errorf("give the instructions either as words (pre.insn) or as text (pre.asm), not both"))
		}
	}
	if active == nil && (len(p.Insn) > 0 || len(p.Asm) > 0) {
		return nil, fieldErr(insnField, fmt.Errorf("there is no active thread to place instructions at"))
	}
	if active != nil {
		c.ActiveID = active.ThreadID
	}
	// Memory words first, then the instructions over their halves.
	addrs := make([]string, 0, len(p.Memory))
	for a := range p.Memory {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		addr, err := parseAddr(a)
		if err != nil {
			return nil, fieldErr("pre.memory", err)
		}
		s.Memory.SetWord(addr, uint64(p.Memory[a]))
	}
	n := max(len(p.Insn), len(p.Asm))
	if n > 0 && active.PC&3 != 0 {
		return nil, fieldErr(insnField, fmt.Errorf("pc 0x%x is not 4-aligned, so no instruction can be placed there (give the word in pre.memory)", active.PC))
	}
	for i := range n {
		pc := active.PC + 4*uint64(i)
		var w uint32
		if len(p.Asm) > 0 {
			var err error
			if w, err = mips64.Assemble(p.Asm[i], pc); err != nil {
				return nil, fieldErr(fmt.Sprintf("pre.asm[%d]", i), err)
			}
		} else {
			if uint64(p.Insn[i]) > 0xFFFF_FFFF {
				return nil, fieldErr(fmt.Sprintf("pre.insn[%d]", i), fmt.Errorf("0x%x is wider than 32 bits", uint64(p.Insn[i])))
			}
			w = uint32(p.Insn[i])
		}
		c.insns = append(c.insns, w)
		word := s.Memory.GetWord(pc &^ 7)
		if pc&4 == 0 {
			word = word&0xFFFF_FFFF | uint64(w)<<32
		} else {
			word = word&^0xFFFF_FFFF | uint64(w)
		}
		s.Memory.SetWord(pc&^7, word)
		c.insnAddrs = append(c.insnAddrs, pc&^7)
	}
	return c, nil
}

func (c *Case) buildThread(field string, t *Thread) (*vm.Thread, error) {
	th := &vm.Thread{
		ThreadID: u64(t.ID, 0),
		PC:       u64(t.PC, DefaultPC),
		HI:       u64(t.HI, 0),
		LO:       u64(t.LO, 0),
		Exited:   boolOr(t.Exited, false),
	}
	th.NextPC = u64(t.NextPC, th.PC+4)
	if ec := u64(t.ExitCode, 0); ec > 255 {
		return nil, fieldErr(field+".exitCode", fmt.Errorf("%d does not fit a byte", ec))
	} else {
		th.ExitCode = uint8(ec)
	}
	listed := map[int]bool{}
	for name, val := range t.Regs {
		r, err := parseReg(name)
		if err != nil {
			return nil, fieldErr(field+".regs", err)
		}
		if listed[r] {
			return nil, fieldErr(field+".regs", fmt.Errorf("register %d given twice", r))
		}
		listed[r] = true
		th.Registers[r] = uint64(val)
	}
	c.listed[th.ThreadID] = listed
	c.hiLoListed[th.ThreadID] = t.HI != nil || t.LO != nil
	return th, nil
}

// copyState deep-copies a state: memory and every thread.
func copyState(s *vm.State) *vm.State {
	n := &vm.State{
		Memory: s.Memory.Copy(), PreimageKey: s.PreimageKey, PreimageOffset: s.PreimageOffset,
		Heap: s.Heap, LLReservationStatus: s.LLReservationStatus, LLAddress: s.LLAddress,
		LLOwnerThread: s.LLOwnerThread, ExitCode: s.ExitCode, Exited: s.Exited, Step: s.Step,
		StepsSinceLastContextSwitch: s.StepsSinceLastContextSwitch, TraverseRight: s.TraverseRight,
		NextThreadID: s.NextThreadID, LastHint: append([]byte(nil), s.LastHint...),
	}
	cp := func(st []*vm.Thread) []*vm.Thread {
		var out []*vm.Thread
		for _, t := range st {
			c := *t
			out = append(out, &c)
		}
		return out
	}
	n.LeftThreadStack, n.RightThreadStack = cp(s.LeftThreadStack), cp(s.RightThreadStack)
	return n
}

// candidateAddrs are the memory words a step may touch: those the vector lists, and those
// the active instruction addresses (its EA, the syscall buffers), for decoding memory diffs.
func (c *Case) candidateAddrs(pre *vm.State) []uint64 {
	var out []uint64
	for a := range c.V.Pre.Memory {
		if v, err := parseAddr(a); err == nil {
			out = append(out, v)
		}
	}
	for a := range c.V.Expect.Memory {
		if v, err := parseAddr(a); err == nil {
			out = append(out, v)
		}
	}
	out = append(out, c.insnAddrs...)
	if t := pre.ActiveThread(); t != nil {
		insn := uint32(pre.Memory.GetWord(t.PC&^7) >> 32)
		if t.PC&4 != 0 {
			insn = uint32(pre.Memory.GetWord(t.PC &^ 7))
		}
		out = append(out, t.PC, t.Registers[mips64.RS(insn)]+uint64(mips64.SImm(insn)))
		a0, a1 := t.Registers[4], t.Registers[5]
		out = append(out, a0, a1, a1&^7+8)
	}
	return out
}
