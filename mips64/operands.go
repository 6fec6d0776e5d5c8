package mips64

import (
	"fmt"
	"strconv"
	"strings"
)

// The operand syntax of each form, shared by Disassemble (show) and Assemble (parse), so
// that one is the inverse of the other by construction.

// operand is one operand slot of a form.
type operand uint8

const (
	opRD     operand = iota // register in rd
	opRS                    // register in rs
	opRT                    // register in rt
	opSA                    // shift amount, decimal
	opSImm                  // signed immediate, decimal
	opUImm                  // zero-extended immediate, hex
	opMem                   // offset(base): signed immediate and rs
	opBranch                // absolute branch target, pc-relative in imm
	opJump                  // absolute jump target in the delay slot's 256 MiB region
)

var operandNames = [...]string{opRD: "rd", opRS: "rs", opRT: "rt", opSA: "sa", opSImm: "imm", opUImm: "imm", opMem: "offset(base)", opBranch: "target", opJump: "target"}

// formOperands lists each form's operands in the order they are written.
var formOperands = map[form][]operand{
	formNone:   nil,
	formRdRsRt: {opRD, opRS, opRT},
	formRdRtSa: {opRD, opRT, opSA},
	formRdRtRs: {opRD, opRT, opRS},
	formRsRt:   {opRS, opRT},
	formRs:     {opRS},
	formRd:     {opRD},
	formRdRs:   {opRD, opRS},
	formClz:    {opRD, opRS},
	formRtRsI:  {opRT, opRS, opSImm},
	formRtRsU:  {opRT, opRS, opUImm},
	formRtU:    {opRT, opUImm},
	formMem:    {opRT, opMem},
	formBr2:    {opRS, opRT, opBranch},
	formBr1:    {opRS, opBranch},
	formJump:   {opJump},
}

// show writes operand o of word w fetched at pc.
func (o operand) show(w uint32, pc uint64) string {
	switch o {
	case opRD:
		return RegName(int(RD(w)))
	case opRS:
		return RegName(int(RS(w)))
	case opRT:
		return RegName(int(RT(w)))
	case opSA:
		return strconv.Itoa(int(SA(w)))
	case opSImm:
		return strconv.FormatInt(SImm(w), 10)
	case opUImm:
		return fmt.Sprintf("0x%x", Imm(w))
	case opMem:
		return fmt.Sprintf("%d(%s)", SImm(w), RegName(int(RS(w))))
	case opBranch:
		return fmt.Sprintf("0x%x", BranchTarget(w, pc))
	}
	return fmt.Sprintf("0x%x", JumpTarget(w, pc))
}

// parse reads operand o from s into f, for an instruction at pc.
func (o operand) parse(s string, pc uint64, f *Fields) error {
	var err error
	switch o {
	case opRD:
		f.RD, err = parseReg(s)
	case opRS:
		f.RS, err = parseReg(s)
	case opRT:
		f.RT, err = parseReg(s)
	case opSA:
		var v int64
		v, err = parseInt(s, 0, 31)
		f.SA = uint32(v)
	case opSImm:
		var v int64
		v, err = parseInt(s, -0x8000, 0x7FFF)
		f.Imm = uint16(v)
	case opUImm:
		var v int64
		v, err = parseInt(s, 0, 0xFFFF)
		f.Imm = uint16(v)
	case opMem:
		open := strings.IndexByte(s, '(')
		if open < 0 || !strings.HasSuffix(s, ")") {
			return fmt.Errorf("%q is not offset(base)", s)
		}
		if f.RS, err = parseReg(strings.TrimSpace(s[open+1 : len(s)-1])); err != nil {
			return err
		}
		off := strings.TrimSpace(s[:open])
		if off == "" {
			off = "0"
		}
		var v int64
		v, err = parseInt(off, -0x8000, 0x7FFF)
		f.Imm = uint16(v)
	case opBranch:
		f.Imm, err = branchOffset(s, pc)
	case opJump:
		f.Target, err = jumpField(s, pc)
	}
	return err
}

// parseReg reads an n64 register name, with or without $, or $N.
func parseReg(s string) (uint32, error) {
	name := strings.TrimPrefix(s, "$")
	for i, n := range regNames {
		if name == n {
			return uint32(i), nil
		}
	}
	if name != s { // $N
		if n, err := strconv.ParseUint(name, 10, 8); err == nil && n < 32 {
			return uint32(n), nil
		}
	}
	return 0, fmt.Errorf("%q is not a register (n64 name such as a0, or $0..$31)", s)
}

// parseInt reads a decimal or 0x number, optionally negative, within [lo, hi].
func parseInt(s string, lo, hi int64) (int64, error) {
	v, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number (decimal or 0x hex)", s)
	}
	if v < lo || v > hi {
		return 0, fmt.Errorf("%s out of range %d..%d", s, lo, hi)
	}
	return v, nil
}

func parseAddr(s string) (uint64, error) {
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an address (decimal or 0x hex)", s)
	}
	if v%4 != 0 {
		return 0, fmt.Errorf("target %s is not word-aligned", s)
	}
	return v, nil
}

// branchOffset is the imm field that makes a branch at pc go to the absolute target s.
func branchOffset(s string, pc uint64) (uint16, error) {
	target, err := parseAddr(s)
	if err != nil {
		return 0, err
	}
	words := int64(target-(pc+4)) / 4
	if words < -0x8000 || words > 0x7FFF {
		return 0, fmt.Errorf("target %s is out of branch range of pc 0x%x (±128 KiB from pc+4)", s, pc)
	}
	return uint16(words), nil
}

// jumpField is the 26-bit target field of J/JAL at pc going to the absolute target s.
func jumpField(s string, pc uint64) (uint32, error) {
	target, err := parseAddr(s)
	if err != nil {
		return 0, err
	}
	if target&^0x0FFF_FFFF != (pc+4)&^0x0FFF_FFFF {
		return 0, fmt.Errorf("target %s is outside the 256 MiB region of the delay slot 0x%x", s, pc+4)
	}
	return uint32(target>>2) & 0x03FF_FFFF, nil
}
