package mips64

// The named rows of the decode table as encodings, for assemblers and generators.

// encodings is every row with operand syntax, in table order, each rotate after its shift.
var encodings = func() []Encoding {
	var out []Encoding
	add := func(e entry, base uint32, layout Layout) {
		if e.name == "" || e.form == formWord || e.form == formGroup {
			return
		}
		out = append(out, Encoding{Name: e.name, Base: base, Layout: layout, Status: e.status, form: e.form})
		if e.rotate != "" {
			out = append(out, Encoding{Name: e.rotate, Base: base | e.rotBit, Layout: layout, Status: Deviating, form: e.form})
		}
	}
	for op, e := range primary.rows {
		layout := LayoutI
		if e.form == formJump {
			layout = LayoutJ
		}
		if op != OpSpecial && op != OpRegimm && op != OpSpecial2 {
			add(e, uint32(op)<<26, layout)
		}
	}
	for f, e := range special.rows {
		add(e, uint32(f), LayoutR)
	}
	for f, e := range special2.rows {
		add(e, OpSpecial2<<26|uint32(f), LayoutR)
	}
	for rt, e := range regimm.rows {
		add(e, OpRegimm<<26|uint32(rt)<<16, LayoutRegimm)
	}
	return out
}()

var encodingByName = func() map[string]Encoding {
	m := make(map[string]Encoding, len(encodings))
	for _, e := range encodings {
		m[e.Name] = e
	}
	return m
}()

// Lookup finds the encoding of a mnemonic the disassembler writes with operands (or none,
// as syscall); rejected groups and .word-only rows have none.
func Lookup(name string) (Encoding, bool) {
	e, found := encodingByName[name]
	return e, found
}

// Encodings lists every encoding Lookup knows, in decode-table order.
func Encodings() []Encoding { return append([]Encoding(nil), encodings...) }
