package check

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func shardResult(start, end uint64, classes map[string]*ClassStats, gas GasHistogram) *RunResult {
	var checked uint64
	for _, b := range gas {
		checked += b.Count
	}
	return &RunResult{SchemaVersion: SummarySchemaVersion, Identity: testIdentity, Program: "dir/hello.elf", Mode: "all",
		FirstStep: start, LastStep: end,
		Range: &RangeJSON{Start: start, End: end}, StepsFastForwarded: start, StepsRun: end,
		StepsChecked: checked, Classes: classes, PreimageReads: map[string]uint64{}, GasHistogram: gas, Workers: 2}
}

var testIdentity = Identity{ToolVersion: "v1.0.0", StateVersion: 8, ELFSHA256: "0xe1f",
	StepCodeHash: "0x5e9", OracleCodeHash: "0x0c1"}

// Shards whose identities differ answer different questions: merging them is an error that
// names the field; a summary from before schema versions is refused as such.
func TestMerge_IdentityErrors(t *testing.T) {
	gas := GasHistogram{{1, 1}}
	cases := []struct {
		field string
		edit  func(*Identity)
	}{
		{"tool_version", func(id *Identity) { id.ToolVersion = "v1.0.1" }},
		{"state_version", func(id *Identity) { id.StateVersion = 7 }},
		{"elf_sha256", func(id *Identity) { id.ELFSHA256 = "0xe2f" }},
		{"step_contract_code_hash", func(id *Identity) { id.StepCodeHash = "" }},
		{"oracle_code_hash", func(id *Identity) { id.OracleCodeHash = "0x0c2" }},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			b := shardResult(10, 20, nil, gas)
			c.edit(&b.Identity)
			_, err := Merge([]Shard{{"a.json", shardResult(0, 10, nil, gas)}, {"b.json", b}})
			require.ErrorContains(t, err, "a.json and b.json differ in "+c.field)
		})
	}
	old := shardResult(10, 20, nil, gas)
	old.SchemaVersion = 0
	_, err := Merge([]Shard{{"a.json", shardResult(0, 10, nil, gas)}, {"old.json", old}})
	require.ErrorContains(t, err, "old.json has schema_version 0")

	m, err := Merge([]Shard{{"a.json", shardResult(0, 10, nil, gas)}, {"b.json", shardResult(10, 20, nil, gas)}})
	require.NoError(t, err)
	require.Equal(t, testIdentity, m.Identity, "the merged summary keeps the shards' identity")
	require.Equal(t, SummarySchemaVersion, m.SchemaVersion)
}

func TestMerge_SumsCountsAndRecomputesGasExactly(t *testing.T) {
	// Shard a: 3 steps of gas 10, 20, 30; shard b: 2 steps of 40, 40. Merged multiset
	// {10,20,30,40,40}: median (rank 2) 30, p99 (rank int(0.99*4)=3) 40.
	a := shardResult(0, 3, map[string]*ClassStats{"sll": {Run: 2, Checked: 2}, "beq/taken": {Run: 1, Checked: 1}},
		GasHistogram{{10, 1}, {20, 1}, {30, 1}})
	b := shardResult(3, 5, map[string]*ClassStats{"sll": {Run: 2, Checked: 2}}, GasHistogram{{40, 2}})
	b.Exited, b.ExitCode = true, 7
	b.Program = "/other/path/hello.elf"
	m, err := Merge([]Shard{{"b.json", b}, {"a.json", a}}) // order of arguments does not matter
	require.NoError(t, err)
	require.Equal(t, uint64(5), m.StepsRun)
	require.Equal(t, uint64(5), m.StepsChecked)
	require.Equal(t, uint64(0), m.FirstStep)
	require.Equal(t, uint64(5), m.LastStep)
	require.Equal(t, &RangeJSON{Start: 0, End: 5}, m.Range)
	require.Equal(t, map[string]*ClassStats{"sll": {Run: 4, Checked: 4}, "beq/taken": {Run: 1, Checked: 1}}, m.Classes)
	require.Equal(t, GasStats{Count: 5, Min: 10, Median: 30, P99: 40, Max: 40}, m.Gas)
	require.True(t, m.Exited)
	require.Equal(t, uint8(7), m.ExitCode)
	require.Equal(t, 2, m.Shards)
	require.Equal(t, 4, m.Workers)
	require.False(t, m.Diverged())
}

func TestMerge_FirstDivergenceIsTheLowestStep(t *testing.T) {
	a := shardResult(0, 10, nil, GasHistogram{{1, 10}})
	b := shardResult(10, 20, nil, GasHistogram{{1, 4}})
	b.Divergence, b.LastStep, b.BundlePath = &Bundle{Step: 13}, 14, "b/divergence-step-13.json"
	c := shardResult(20, 30, nil, GasHistogram{{1, 2}})
	c.Divergence, c.LastStep = &Bundle{Step: 21}, 22
	d := shardResult(30, 40, nil, GasHistogram{{1, 10}})
	m, err := Merge([]Shard{{"d", d}, {"c", c}, {"b", b}, {"a", a}})
	require.NoError(t, err)
	require.True(t, m.Diverged())
	require.Equal(t, uint64(13), m.Divergence.Step)
	require.Equal(t, "b/divergence-step-13.json", m.BundlePath)
	// A single run would have stopped after step 13: shards c and d are not counted.
	require.Equal(t, uint64(14), m.StepsChecked)
	require.Equal(t, uint64(14), m.LastStep)
}

func TestMerge_CoverageErrors(t *testing.T) {
	gas := GasHistogram{{1, 1}}
	stopped := shardResult(10, 20, nil, gas)
	stopped.LastStep = 15
	cases := []struct {
		name   string
		shards []Shard
		want   string
	}{
		{"none", nil, "no summaries"},
		{"gap", []Shard{{"a", shardResult(0, 10, nil, gas)}, {"c", shardResult(20, 30, nil, gas)}}, "no shard covers steps 10:20 (between a and c)"},
		{"overlap", []Shard{{"a", shardResult(0, 10, nil, gas)}, {"b", shardResult(5, 30, nil, gas)}}, "a and b overlap: both cover steps 5:10"},
		{"duplicate", []Shard{{"a", shardResult(0, 10, nil, gas)}, {"a2", shardResult(0, 10, nil, gas)}}, "overlap"},
		{"stopped early", []Shard{{"a", shardResult(0, 10, nil, gas)}, {"b", stopped}}, "b stopped at step 15, before the end of its range 10:20"},
		{"other program", []Shard{{"a", shardResult(0, 10, nil, gas)}, {"b", func() *RunResult {
			r := shardResult(10, 20, nil, gas)
			r.Program = "mt.elf"
			return r
		}()}}, "b is a run of mt.elf"},
		{"no histogram", []Shard{{"old", func() *RunResult {
			r := shardResult(0, 10, nil, nil)
			r.Gas = GasStats{Count: 3}
			return r
		}()}}, "old has gas percentiles but no gas_histogram"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Merge(c.shards)
			require.ErrorContains(t, err, c.want)
		})
	}
}

func TestGasHistogram_JSONRoundTrip(t *testing.T) {
	h := GasHistogram{{4271, 3}, {13329, 10}}
	data, err := json.Marshal(h)
	require.NoError(t, err)
	require.JSONEq(t, `[[4271,3],[13329,10]]`, string(data))
	var back GasHistogram
	require.NoError(t, json.Unmarshal(data, &back))
	require.Equal(t, h, back)
	require.Error(t, json.Unmarshal([]byte(`[["x",1]]`), &back))
}

// Three shards of a range, merged, say what one run over the whole range says.
func TestMerge_ShardsOfARealRunEqualOneRun(t *testing.T) {
	elf := guestELF(t, "hello")
	whole, err := Run(RunConfig{ELF: elf, Program: "hello", Range: StepRange{Start: 500, End: 2000, Set: true}, Workers: 2})
	require.NoError(t, err)
	var shards []Shard
	for _, r := range [][2]uint64{{1200, 2000}, {500, 900}, {900, 1200}} {
		res, err := Run(RunConfig{ELF: elf, Program: "hello", Range: StepRange{Start: r[0], End: r[1], Set: true}, Workers: 1})
		require.NoError(t, err)
		// Through JSON, as the CLI does.
		data, err := json.Marshal(res)
		require.NoError(t, err)
		var back RunResult
		require.NoError(t, json.Unmarshal(data, &back))
		shards = append(shards, Shard{Name: "shard", Result: &back})
	}
	m, err := Merge(shards)
	require.NoError(t, err)
	require.Equal(t, whole.StepsRun, m.StepsRun)
	require.Equal(t, whole.StepsFastForwarded, m.StepsFastForwarded)
	require.Equal(t, whole.StepsChecked, m.StepsChecked)
	require.Equal(t, whole.Classes, m.Classes)
	require.Equal(t, whole.Gas, m.Gas)
	require.Equal(t, whole.GasHistogram, m.GasHistogram)
	require.Equal(t, whole.LastStep, m.LastStep)
	require.Equal(t, whole.Range, m.Range)
}
