package check

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

// One self-contained HTML page per run, merge or replay: no script, no external resource
// (styles inline, the histogram inline SVG), so it opens anywhere, offline, and can be kept
// as a CI artifact. Sections have ids (summary, gas, classes, divergence, identity) that
// tests and links rely on.

// HTML is the page for a run or a merge.
func HTML(r *RunResult) ([]byte, error) {
	r = r.Portable()
	v := htmlView{Title: "fpvmdiff run " + r.Program, Run: r, Identity: r.Identity, Schema: r.SchemaVersion}
	v.Verdict, v.Diverged = "no divergence", r.Divergence != nil
	if r.Divergence != nil {
		v.Verdict = fmt.Sprintf("DIVERGENCE at step %d", r.Divergence.Step)
		v.Div = newDivView(r.Divergence)
	}
	v.Gas = gasSVG(r.GasHistogram)
	for name, c := range r.Classes {
		v.Classes = append(v.Classes, classRow{Name: name, Run: c.Run, Checked: c.Checked})
	}
	slices.SortFunc(v.Classes, func(a, b classRow) int {
		return cmp.Or(cmp.Compare(b.Run, a.Run), strings.Compare(a.Name, b.Name))
	})
	var maxRun uint64 = 1
	for _, c := range v.Classes {
		maxRun = max(maxRun, c.Run)
	}
	for i := range v.Classes {
		v.Classes[i].Width = 100 * float64(v.Classes[i].Run) / float64(maxRun)
		if v.Classes[i].Run > 0 {
			v.Classes[i].CheckedPct = 100 * float64(v.Classes[i].Checked) / float64(v.Classes[i].Run)
		}
	}
	return render(v)
}

// BundleHTML is the page for one divergence (repro).
func BundleHTML(b *Bundle) ([]byte, error) {
	v := htmlView{Title: fmt.Sprintf("fpvmdiff repro, step %d", b.Step), Identity: b.Identity, Schema: b.SchemaVersion}
	v.Verdict, v.Diverged = "both sides agree on replay", len(b.Mismatches) > 0
	if v.Diverged {
		v.Verdict = fmt.Sprintf("DIVERGENCE at step %d", b.Step)
	}
	v.Div = newDivView(b)
	return render(v)
}

type htmlView struct {
	Title, Verdict string
	Diverged       bool
	Run            *RunResult
	Gas            template.HTML
	Classes        []classRow
	Div            *divView
	Identity       Identity
	Schema         int
}

type classRow struct {
	Name              string
	Run, Checked      uint64
	Width, CheckedPct float64
}

type divView struct {
	B        *Bundle
	Report   string // the text report, as the terminal shows it
	State    []diffRow
	Thread   []diffRow
	Executed []lineRow
}

type diffRow struct {
	Field, Go, EVM string
	Differs        bool
}

type lineRow struct {
	Loc     string
	Matches bool // names the instruction's mnemonic
}

func newDivView(b *Bundle) *divView {
	d := &divView{B: b}
	var sb strings.Builder
	FormatBundle(&sb, b)
	d.Report = sb.String()
	for _, f := range b.StateDiff {
		d.State = append(d.State, diffRow{f.Field, f.Go, f.EVM, f.Go != f.EVM})
	}
	for _, f := range b.ThreadDiff {
		d.Thread = append(d.Thread, diffRow{f.Field, f.Go, f.EVM, f.Go != f.EVM})
	}
	if b.EVM != nil {
		var word *regexp.Regexp
		if in := b.Instruction; in != nil && in.Disasm != "" {
			word = regexp.MustCompile(`\b` + regexp.QuoteMeta(strings.ToUpper(strings.Fields(in.Disasm)[0])) + `\b`)
		}
		for _, l := range b.EVM.Executed {
			d.Executed = append(d.Executed, lineRow{Loc: l.String(), Matches: word != nil && word.MatchString(l.Text)})
		}
		if b.EVM.RevertAt != nil {
			d.Executed = append(d.Executed, lineRow{Loc: "reverted at " + b.EVM.RevertAt.String(), Matches: true})
		}
	}
	return d
}

// gasSVG draws the gas-per-step histogram: 40 equal-width bins from the least to the most
// gas any checked step used, bar heights scaled to the fullest bin.
func gasSVG(h GasHistogram) template.HTML {
	if len(h) == 0 {
		return template.HTML(`<p>No checked step used gas (nothing checked, or a divergence at the first step).</p>`)
	}
	const bins, width, height = 40, 800, 200
	lo, hi := h[0].Gas, h[len(h)-1].Gas
	span := max(hi-lo+1, bins)
	counts := make([]uint64, bins)
	var total, most uint64
	for _, b := range h {
		i := int((b.Gas - lo) * bins / span)
		counts[i] += b.Count
		total += b.Count
	}
	for _, c := range counts {
		most = max(most, c)
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg width="%d" height="%d" role="img" aria-label="gas per checked step">`, width, height+40)
	bw := float64(width) / bins
	for i, c := range counts {
		if c == 0 {
			continue
		}
		bh := float64(height) * float64(c) / float64(most)
		from := lo + uint64(i)*span/bins
		fmt.Fprintf(&s, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%d–%d gas: %d steps</title></rect>`,
			float64(i)*bw+1, float64(height)-bh, bw-2, bh, from, from+span/bins-1, c)
	}
	fmt.Fprintf(&s, `<text x="0" y="%d">%d gas</text><text x="%d" y="%d" text-anchor="end">%d gas</text>`, height+20, lo, width, height+20, hi)
	fmt.Fprintf(&s, `<text x="%d" y="%d" text-anchor="middle">%d checked steps; the fullest bin holds %d</text></svg>`, width/2, height+36, total, most)
	return template.HTML(s.String())
}

func render(v htmlView) ([]byte, error) {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("rendering the HTML report: %w", err)
	}
	return buf.Bytes(), nil
}

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"fields": func(id Identity) [][2]string { return id.Fields() },
	"lines":  func(ls []*evmharness.SourceLocation) int { return len(ls) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.verdict { font-weight: bold; padding: .3em .6em; border-radius: 4px; background: #dfd; }
.verdict.bad { background: #fdd; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; border-bottom: 1px solid #eee; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre, .mono { font-family: ui-monospace, monospace; font-size: 13px; }
tr.differs td { background: #fee; } tr.differs td.field { font-weight: bold; color: #a00; }
.bar { fill: #4a7fb5; } .meter { background: #4a7fb5; height: .8em; display: inline-block; }
li.match { background: #ffd; font-weight: bold; }
pre { background: #f6f6f6; padding: .8em; overflow-x: auto; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p id="verdict" class="verdict{{if .Diverged}} bad{{end}}">{{.Verdict}}</p>
{{with .Run}}
<section id="summary"><h2>Summary</h2>
<table>
<tr><th>program</th><td><code>{{.Program}}</code></td></tr>
<tr><th>steps run</th><td class="num">{{.StepsRun}}</td></tr>
<tr><th>steps checked</th><td class="num">{{.StepsChecked}} (mode {{.Mode}}, {{.Workers}} worker(s))</td></tr>
<tr><th>gas per step</th><td>min {{.Gas.Min}}, median {{.Gas.Median}}, p99 {{.Gas.P99}}, max {{.Gas.Max}}</td></tr>
{{if .Range}}<tr><th>range</th><td>{{.Range.Start}}:{{.Range.End}}</td></tr>{{end}}
{{if .Shards}}<tr><th>shards merged</th><td class="num">{{.Shards}}</td></tr>{{end}}
{{if .BundlePath}}<tr><th>bundle</th><td><code>{{.BundlePath}}</code></td></tr>{{end}}
</table></section>
{{end}}
{{if .Run}}
<section id="gas"><h2>Gas per checked step</h2>{{.Gas}}</section>
<section id="classes"><h2>Behaviour classes: checked / run</h2>
<table><tr><th>class</th><th>run</th><th>checked</th><th></th></tr>
{{range .Classes}}<tr><td><code>{{.Name}}</code></td><td class="num">{{.Run}}</td><td class="num">{{.Checked}}</td>
<td><span class="meter" style="width: {{printf "%.1f" .Width}}px"></span> {{printf "%.3g" .CheckedPct}}% checked</td></tr>
{{end}}</table></section>
{{end}}
{{with .Div}}
<section id="divergence"><h2>Divergence at step {{.B.Step}}</h2>
<ul>{{range .B.Mismatches}}<li>{{.}}</li>{{end}}</ul>
{{with .B.Instruction}}<p class="mono">thread {{.ThreadID}} pc {{printf "0x%x" .PC}}{{if .Symbol}} ({{.Symbol}}){{end}} {{.Word}} <b>{{.Disasm}}</b></p>
{{if .Operands}}<p>inputs: <span class="mono">{{range .Operands}}{{.}} &nbsp;{{end}}</span></p>{{end}}
{{if .Rule}}<p>rule: {{.Rule}}</p>{{end}}{{end}}
{{with .B.Opinion}}<p id="opinion">independent opinion ({{.Source}}): <b>{{.Summary}}</b></p>{{end}}
{{if .State}}<h3>Post-state, Go VM vs EVM step contract</h3>
<table id="state-diff"><tr><th>field</th><th>Go</th><th>EVM</th></tr>
{{range .State}}<tr{{if .Differs}} class="differs"{{end}}><td class="field">{{.Field}}</td><td class="mono">{{.Go}}</td><td class="mono">{{.EVM}}</td></tr>
{{end}}</table>{{end}}
{{if .Thread}}<h3>Thread, Go VM vs EVM step contract</h3>
<table id="thread-diff"><tr><th>field</th><th>Go</th><th>EVM</th></tr>
{{range .Thread}}<tr{{if .Differs}} class="differs"{{end}}><td class="field">{{.Field}}</td><td class="mono">{{.Go}}</td><td class="mono">{{.EVM}}</td></tr>
{{end}}</table>{{end}}
{{if .Executed}}<h3 id="solidity">Solidity lines the step ran ({{len .Executed}})</h3>
<ol class="mono">{{range .Executed}}<li{{if .Matches}} class="match"{{end}}>{{.Loc}}</li>{{end}}</ol>{{end}}
<h3>Report</h3><pre>{{.Report}}</pre>
</section>
{{end}}
<section id="identity"><h2>Identity</h2>
<table><tr><th>schema_version</th><td>{{.Schema}}</td></tr>
{{range fields .Identity}}{{if index . 1}}<tr><th>{{index . 0}}</th><td class="mono">{{index . 1}}</td></tr>{{end}}{{end}}
</table></section>
</body>
</html>
`))
