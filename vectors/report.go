package vectors

import (
	"fmt"
	"io"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/check"
)

func joinLines(ls []string) string { return strings.Join(ls, "\n  ") }

// Format prints one result: a PASS line, or a FAIL line with the decoded differences and,
// when the two implementations disagree with each other, the divergence report.
func Format(w io.Writer, r *Result, verbose bool) {
	tag := r.Name
	if r.Variant > 0 {
		tag = fmt.Sprintf("%s#%d", r.Name, r.Variant)
	}
	if r.Pass() {
		if verbose {
			fmt.Fprintf(w, "PASS %s\n", tag)
		}
		return
	}
	cls := r.Class
	if len(r.OpClasses) > 0 {
		cls += " " + strings.Join(r.OpClasses, " ")
	}
	if r.Differential {
		cls += "; operands drawn anew, checked Go against EVM"
	}
	fmt.Fprintf(w, "FAIL %s (%s) [%s]\n", tag, r.File, cls)
	if r.Insn != "" {
		fmt.Fprintf(w, "  %s    inputs %s\n", r.Insn, r.Inputs)
	}
	fmt.Fprintf(w, "  %s\n", joinLines(r.Failures))
	if r.Bundle != nil {
		check.FormatBundle(w, r.Bundle)
	}
}
