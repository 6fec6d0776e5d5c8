package check

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Markdown is a run's (or a merge's) summary as GitHub-flavoured Markdown, for a CI job's
// step summary ($GITHUB_STEP_SUMMARY): the verdict first, then the counts, the divergence
// when there is one, the behaviour classes and the identity. Paths are made portable.
func Markdown(r *RunResult) []byte {
	r = r.Portable()
	var b strings.Builder
	verdict := "no divergence"
	if d := r.Divergence; d != nil {
		verdict = fmt.Sprintf("**DIVERGENCE at step %d**", d.Step)
	}
	fmt.Fprintf(&b, "### fpvmdiff run `%s`: %s\n\n", mdCode(r.Program), verdict)

	end := "stopped"
	switch {
	case r.Exited:
		end = fmt.Sprintf("exited with code %d", r.ExitCode)
	case r.GoFault != "":
		end = "Go fault (EVM agreed): " + r.GoFault
	}
	rows := [][2]string{
		{"steps run", fmt.Sprintf("%d (from step %d), %s", r.StepsRun, r.FirstStep, end)},
		{"steps checked", fmt.Sprintf("%d (mode %s, %d worker(s))", r.StepsChecked, r.Mode, r.Workers)},
		{"gas per step", fmt.Sprintf("min %d, median %d, p99 %d, max %d", r.Gas.Min, r.Gas.Median, r.Gas.P99, r.Gas.Max)},
		{"time", r.Duration.Round(1e6).String()},
	}
	if r.Range != nil {
		rows = append(rows, [2]string{"range", fmt.Sprintf("%d:%d", r.Range.Start, r.Range.End)})
	}
	if r.Shards > 0 {
		rows = append(rows, [2]string{"shards merged", fmt.Sprint(r.Shards)})
	}
	if r.BundlePath != "" {
		rows = append(rows, [2]string{"bundle", "`" + mdCode(r.BundlePath) + "` (replay: `fpvmdiff repro " + mdCode(r.BundlePath) + "`)"})
	}
	b.WriteString("| | |\n|---|---|\n")
	for _, row := range rows {
		fmt.Fprintf(&b, "| %s | %s |\n", row[0], mdCell(row[1]))
	}

	if d := r.Divergence; d != nil {
		var text strings.Builder
		FormatBundle(&text, d)
		b.WriteString("\n<details open><summary>Divergence</summary>\n\n```text\n")
		b.WriteString(strings.ReplaceAll(text.String(), "```", "'''"))
		b.WriteString("```\n\n</details>\n")
	}

	type class struct {
		name string
		c    *ClassStats
	}
	classes := make([]class, 0, len(r.Classes))
	for n, c := range r.Classes {
		classes = append(classes, class{n, c})
	}
	slices.SortFunc(classes, func(a, b class) int {
		return cmp.Or(cmp.Compare(b.c.Run, a.c.Run), strings.Compare(a.name, b.name))
	})
	fmt.Fprintf(&b, "\n<details><summary>%d behaviour classes (run / checked)</summary>\n\n", len(classes))
	b.WriteString("| class | run | checked |\n|---|---:|---:|\n")
	for _, c := range classes {
		fmt.Fprintf(&b, "| `%s` | %d | %d |\n", mdCode(c.name), c.c.Run, c.c.Checked)
	}
	b.WriteString("\n</details>\n")
	writeIdentityMD(&b, r.SchemaVersion, r.Identity)
	return []byte(b.String())
}

// writeIdentityMD appends the identity block every Markdown summary ends with.
func writeIdentityMD(b *strings.Builder, schema int, id Identity) {
	b.WriteString("\n<details><summary>Identity</summary>\n\n| | |\n|---|---|\n")
	fmt.Fprintf(b, "| schema_version | %d |\n", schema)
	for _, f := range id.Fields() {
		if f[1] != "" {
			fmt.Fprintf(b, "| %s | `%s` |\n", f[0], mdCode(f[1]))
		}
	}
	b.WriteString("\n</details>\n\n")
}

// IdentityMarkdown is the identity block of a Markdown summary, for other reports (vectors).
func IdentityMarkdown(schema int, id Identity) string {
	var b strings.Builder
	writeIdentityMD(&b, schema, id)
	return b.String()
}

// mdCell makes text safe inside a table cell: no line breaks, no column separators.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// mdCode makes text safe inside a `code span` in a table cell.
func mdCode(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(mdCell(s), "`", "'"), `\|`, "¦")
}
