package mips64

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Assemble encodes one instruction written as Disassemble writes it, fetched at pc (which
// branch and jump targets are relative to): Assemble(Disassemble(w, pc), pc) == w for every
// word with operand syntax whose reserved fields are zero. It accepts n64 register names
// with or without $ and $0..$31, decimal and 0x immediates (a leading - for negative ones),
// offset(base) memory operands, absolute branch and jump targets, "nop", ".word N" (the
// disassembly of words without operand syntax), and "jalr rs" for "jalr ra, rs". A
// trailing "# comment" is ignored. Errors name the instruction and what is wrong.
func Assemble(text string, pc uint64) (uint32, error) {
	w, err := assemble(text, pc)
	if err != nil {
		return 0, fmt.Errorf("mips64: assemble %q: %w", strings.TrimSpace(text), err)
	}
	return w, nil
}

func assemble(text string, pc uint64) (uint32, error) {
	if pc%4 != 0 {
		return 0, fmt.Errorf("pc 0x%x is not word-aligned", pc)
	}
	if i := strings.IndexByte(text, '#'); i >= 0 {
		text = text[:i]
	}
	text = strings.TrimSpace(text)
	name, rest := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		name, rest = text[:i], strings.TrimSpace(text[i:])
	}
	name = strings.ToLower(name)
	var args []string
	if rest != "" {
		args = strings.Split(rest, ",")
		for i := range args {
			args[i] = strings.TrimSpace(args[i])
		}
	}
	switch name {
	case "":
		return 0, fmt.Errorf("no instruction")
	case "nop":
		if len(args) != 0 {
			return 0, fmt.Errorf("nop takes no operands, got %d", len(args))
		}
		return 0, nil
	case ".word":
		if len(args) != 1 {
			return 0, fmt.Errorf(".word takes one number, got %d operands", len(args))
		}
		v, err := strconv.ParseUint(args[0], 0, 32)
		if err != nil {
			return 0, fmt.Errorf(".word: %q is not a 32-bit number", args[0])
		}
		return uint32(v), nil
	case "jalr":
		if len(args) == 1 { // GNU shorthand: the link goes to ra
			args = append([]string{"ra"}, args...)
		}
	}
	enc, found := Lookup(name)
	if !found {
		if rowNames[name] {
			return 0, fmt.Errorf("%s %w: write the word as .word 0x…", name, errNoSyntax)
		}
		return 0, fmt.Errorf("unknown mnemonic %q", name)
	}
	ops := formOperands[enc.form]
	if len(args) != len(ops) {
		return 0, fmt.Errorf("%s takes %d operands (%s), got %d", name, len(ops), syntaxOf(ops), len(args))
	}
	var f Fields
	for i, o := range ops {
		if err := o.parse(args[i], pc, &f); err != nil {
			return 0, fmt.Errorf("operand %d (%s): %w", i+1, operandNames[o], err)
		}
	}
	if enc.form == formClz { // MIPS64: the rt field of CLZ/CLO/DCLZ/DCLO repeats rd
		f.RT = f.RD
	}
	return enc.Encode(f), nil
}

func syntaxOf(ops []operand) string {
	if len(ops) == 0 {
		return "none"
	}
	names := make([]string, len(ops))
	for i, o := range ops {
		names[i] = operandNames[o]
	}
	return strings.Join(names, ", ")
}

var errNoSyntax = errors.New("has no operand syntax here")

// rowNames are the names of every table row, with operand syntax or not.
var rowNames = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range []*table{primary, special, special2, regimm} {
		for _, e := range t.rows {
			if e.name != "" {
				m[e.name] = true
			}
		}
	}
	return m
}()
