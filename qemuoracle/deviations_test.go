package qemuoracle

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/mips64"
	"github.com/stretchr/testify/require"
)

// Each deviation that QEMU can show is shown: a hand-made case that breaks the row's
// constraint must make the comparison fail. This keeps the table honest (a row that hides
// nothing would be a hole in the oracle) and proves Compare can fail.
func TestDeviationsShowWithoutTheirConstraint(t *testing.T) {
	q := startQemu(t)
	l := q.Layout
	win := l.Window
	tests := []struct {
		deviation string
		op        string
		f         mips64.Fields
		regs      map[uint32]uint64
		want      string // in the mismatch report
	}{
		{"rotate-as-shift", "srl", mips64.Fields{RS: 1, RT: 4, RD: 3, SA: 8}, // rotr $3, $4, 8
			map[uint32]uint64{4: 0x1234_5678}, "r3: go 0x0000000000123456 qemu 0x0000000078123456"},
		{"rotate-as-shift", "dsrlv", mips64.Fields{RS: 5, RT: 4, RD: 3, SA: 1}, // drotrv $3, $4, $5
			map[uint32]uint64{4: 1, 5: 1}, "r3: go 0x0000000000000000 qemu 0x8000000000000000"},
		{"hilo-rd", "mult", mips64.Fields{RS: 4, RT: 5, RD: 3},
			map[uint32]uint64{3: 7, 4: 2, 5: 3}, "signal 4 (SIGILL)"},
		{"sync-rd", "sync", mips64.Fields{RS: 4, RD: 3},
			map[uint32]uint64{3: 7, 4: 9}, "r3: go 0x0000000000000009 qemu 0x0000000000000007"},
		{"lwr-upper-word", "lwr", mips64.Fields{RS: 4, RT: 3, Imm: 0},
			map[uint32]uint64{3: 0x1234_5678_0000_0000, 4: win}, "r3: go 0x12345678000000"},
		{"aligned-ea", "lw", mips64.Fields{RS: 4, RT: 3, Imm: 2},
			map[uint32]uint64{4: win}, "signal 10 (SIGBUS)"},
		{"aligned-ea", "sd", mips64.Fields{RS: 4, RT: 3, Imm: 4},
			map[uint32]uint64{4: win}, "signal 10 (SIGBUS)"},
		{"overflow-trap-32", "add", mips64.Fields{RS: 4, RT: 5, RD: 3},
			map[uint32]uint64{4: 0x7FFF_FFFF, 5: 1}, "signal 8 (SIGFPE)"},
		{"overflow-trap-64", "daddi", mips64.Fields{RS: 4, RT: 3, Imm: 1},
			map[uint32]uint64{4: 0x7FFF_FFFF_FFFF_FFFF}, "signal 8 (SIGFPE)"},
		{"div-by-zero", "div", mips64.Fields{RS: 4, RT: 5},
			map[uint32]uint64{4: 1, 5: 0x1_0000_0000}, "go vm: vm fault"},
		{"div-by-zero", "ddivu", mips64.Fields{RS: 4, RT: 5},
			map[uint32]uint64{4: 1}, "division by zero"},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.deviation+"/"+tc.op, func(t *testing.T) {
			d := deviationByID(t, tc.deviation)
			c := handCase(t, l, tc.op, tc.f, tc.regs)
			require.Contains(t, d.Ops, tc.op)
			if d.Action == Constrain {
				before := c.In
				d.constrain(c)
				require.NotEqual(t, before, c.In, "the constraint must change this case")
				c = handCase(t, l, tc.op, tc.f, tc.regs)
			} else {
				require.True(t, d.skip(c), "the skip rule must drop this case")
			}
			qr, g, goErr := runBoth(t, q, c)
			m := Compare(c, qr, g, goErr)
			require.NotNil(t, m, "%s: QEMU and the Go VM agree; the deviation does not show", c.Disasm())
			require.Contains(t, m.String(), tc.want)
			covered[tc.deviation] = true
		})
	}
	// Rows whose difference QEMU does not exhibit (it happens to pick Cannon's reading of
	// an UNPREDICTABLE case, or the row excludes the instruction altogether).
	notShown := map[string]string{
		"clz-rt-is-rd":      "QEMU ignores rt",
		"jalr-rd-is-rs":     "QEMU reads rs before linking",
		"link-rs-31":        "QEMU reads rs before linking",
		"sx32-inputs-rs-rt": "QEMU uses the low words, like Cannon",
		"sx32-inputs-rt":    "QEMU uses the low word, like Cannon",
		"sx32-inputs-rs":    "QEMU uses the low word, like Cannon",
		"reserved-fields":   "covered by rotate-as-shift, hilo-rd and sync-rd",
		"mul-hilo":          "QEMU leaves HI/LO unchanged too",
	}
	for _, d := range Deviations {
		if d.Action == Exclude || notShown[d.ID] != "" {
			continue
		}
		require.True(t, covered[d.ID], "deviation %s has no example in this test", d.ID)
	}
}

func deviationByID(t *testing.T, id string) *Deviation {
	t.Helper()
	for _, d := range Deviations {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("no deviation %q", id)
	return nil
}

// The table's rows name real instructions: compared rows only instructions the oracle
// generates, Exclude rows only instructions it does not.
func TestDeviationTableOps(t *testing.T) {
	ids := map[string]bool{}
	for _, d := range Deviations {
		require.False(t, ids[d.ID], "duplicate deviation %s", d.ID)
		ids[d.ID] = true
		require.NotEmpty(t, d.Cannon, d.ID)
		require.NotEmpty(t, d.MIPS64, d.ID)
		switch d.Action {
		case Constrain:
			require.NotNil(t, d.constrain, d.ID)
		case Skip:
			require.NotNil(t, d.skip, d.ID)
		}
		for _, name := range d.Ops {
			_, generated := opsByName[name]
			if d.Action == Exclude {
				require.False(t, generated, "%s excludes %s, which the oracle generates", d.ID, name)
			} else {
				require.True(t, generated, "%s names %s, which the oracle does not generate", d.ID, name)
			}
		}
	}
}

// docs/qemu-deviations.md mirrors the table row for row: ID, action, instructions and both
// descriptions.
func TestDeviationDocMirrorsTable(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "docs", "qemu-deviations.md"))
	require.NoError(t, err)
	var rows []string
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "| `") {
			rows = append(rows, line)
		}
	}
	require.Len(t, rows, len(Deviations), "table rows in docs/qemu-deviations.md")
	for i, d := range Deviations {
		cells := strings.Split(strings.Trim(rows[i], "| "), " | ")
		require.Len(t, cells, 5, "doc row %d: %s", i, rows[i])
		require.Equal(t, "`"+d.ID+"`", cells[0], "doc row %d", i)
		require.Equal(t, string(d.Action), cells[1], d.ID)
		require.Equal(t, docOps(d), cells[2], d.ID)
		require.Equal(t, d.Cannon, cells[3], d.ID)
		require.Equal(t, d.MIPS64, cells[4], d.ID)
	}
}

// docOps is how the doc lists a row's instructions.
func docOps(d *Deviation) string {
	if len(d.Ops) == len(Ops) {
		all := append([]string(nil), d.Ops...)
		sort.Strings(all)
		names := allOpNames()
		sort.Strings(names)
		if strings.Join(all, " ") == strings.Join(names, " ") {
			return "(all)"
		}
	}
	if len(d.Ops) == 0 {
		return "—"
	}
	return strings.Join(d.Ops, " ")
}
