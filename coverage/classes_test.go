package coverage

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/coverage/classes"
	"github.com/fpvmdiff/fpvmdiff/vectors"
)

// Every row the class table names is a spec row of Rows(), so no class hides under a
// misspelt row that the matrix would never list.
func TestClassRowsAreSpecRows(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rows() {
		ids[r.ID] = true
	}
	for _, r := range classes.Rows() {
		require.True(t, ids[r], "class row %s is not a spec row", r)
		require.NotEmpty(t, classes.ForRow(r).Classes(), r)
	}
}

func pre(insn uint32, pc, next uint64, regs map[int]uint64, mem map[uint64]uint64) *classes.Pre {
	p := &classes.Pre{Insn: insn, PC: pc, NextPC: next, Word: func(a uint64) uint64 { return mem[a] }}
	for r, v := range regs {
		p.Regs[r] = v
	}
	return p
}

// The classifier decides classes from the pre-state alone, by the table's definitions.
func TestClassifyExamples(t *testing.T) {
	const rs, rt = 8, 9
	srav := uint32(rs<<21 | rt<<16 | 10<<11 | 0x07)
	lb := uint32(0x20<<26 | rs<<21 | rt<<16 | 0x000D) // lb $9, 13($8)
	for _, tc := range []struct {
		name string
		p    *classes.Pre
		row  string
		want []string
	}{
		{"srav by 40, negative, dirty", pre(srav, 0x4000, 0x4004, map[int]uint64{rs: 40, rt: 0xDEAD_BEEF_8765_4321}, nil),
			"insn/srav", []string{"amt=32-62,sign=neg,upper=dirty"}},
		{"srav by 63+64, positive, clean", pre(srav, 0x4000, 0x4004, map[int]uint64{rs: 127, rt: 5}, nil),
			"insn/srav", []string{"amt=63,sign=pos,upper=clean"}},
		{"lb offset 5 leaf 1, negative byte", pre(lb, 0x4000, 0x4004, map[int]uint64{rs: 0x10000}, map[uint64]uint64{0x10008: 0x0000_0000_0080_0000}),
			"insn/lb", []string{"off=5", "leaf=1", "field=neg"}},
		{"beq taken, in a delay slot, equal in the low word only", pre(0x04<<26|rs<<21|rt<<16|0x10, 0x4000, 0x5000, map[int]uint64{rs: 1 << 32, rt: 0}, nil),
			"insn/beq", []string{"taken=no,slot=in", "lo32=equal-only"}},
		{"syscall in a delay slot", pre(0x0C, 0x4000, 0x9000, nil, nil), "syscall", []string{"slot=in"}},
		{"div min by -1", pre(rs<<21|rt<<16|0x1A, 0x4000, 0x4004, map[int]uint64{rs: 0xFFFF_FFFF_8000_0000, rt: ^uint64(0)}, nil),
			"insn/div", []string{"div=min-by-neg1,upper=clean"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, got := classes.Classify(tc.p)
			require.NotNil(t, spec)
			require.Equal(t, tc.row, spec.Row)
			require.Equal(t, tc.want, got)
			for _, c := range got {
				require.Contains(t, spec.Classes(), c, "a class Of returns is one the report lists")
			}
		})
	}
}

// The gate: the corpus exercises every class; take away the one vector that exercises a
// class and the class is reported uncovered.
func TestGateFailsWithoutTheOnlyVectorOfAClass(t *testing.T) {
	vs, err := vectors.Load("../testdata/vectors")
	require.NoError(t, err)
	r := &vectors.Runner{} // the Go side suffices for what coverage counts here
	var results []*vectors.Result
	for _, v := range vs {
		res, err := r.Run(v)
		require.NoError(t, err)
		results = append(results, res[0])
	}
	m := Build(Rows(), []Source{FromVectors(results)})
	require.Empty(t, m.Uncovered)
	require.Equal(t, m.Classes, m.ClassesCovered)
	require.Greater(t, m.Classes, 800)

	// A class cell exercised by exactly one vector.
	var cell Cell
	for _, c := range m.Rows {
		if c.Class != "" && c.Total == 1 {
			cell = c
			break
		}
	}
	require.NotEmpty(t, cell.Class, "no class rests on a single vector")
	var rest []*vectors.Result
	removed := ""
	for _, res := range results {
		one := Build(Rows(), []Source{FromVectors([]*vectors.Result{res})})
		hits := false
		for _, c := range one.Rows {
			hits = hits || c.Row == cell.Row && c.Total > 0
		}
		if hits {
			removed = res.Name
			continue
		}
		rest = append(rest, res)
	}
	require.NotEmpty(t, removed)
	m = Build(Rows(), []Source{FromVectors(rest)})
	require.Contains(t, m.Uncovered, cell.Row, "without %s", removed)
}
