package qemuoracle

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Print writes the report: per-class counts, what each deviation did and why, and every
// kept mismatch.
func (r *Report) Print(w io.Writer) {
	n := r.Compared()
	rate := 0.0
	if s := r.Elapsed.Seconds(); s > 0 {
		rate = float64(n) / s
	}
	fmt.Fprintf(w, "qemu oracle: %d cases compared, seed %d, %.1fs (%.0f cases/s)\n\n", n, r.Seed, r.Elapsed.Seconds(), rate)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\tcompared\tskipped\tmismatches\t")
	var tot ClassStats
	for _, c := range r.Classes {
		s := r.Stats[c]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", c, s.Compared, s.Skipped, s.Mismatches)
		tot.Compared += s.Compared
		tot.Skipped += s.Skipped
		tot.Mismatches += s.Mismatches
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t\n", tot.Compared, tot.Skipped, tot.Mismatches)
	tw.Flush()

	fmt.Fprintln(w, "\ndeviations (docs/qemu-deviations.md):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, d := range Deviations {
		count := "-"
		if d.Action != Exclude {
			count = fmt.Sprint(r.Applied[d.ID])
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", d.ID, d.Action, count, d.Reason())
	}
	tw.Flush()

	if r.Mismatched > 0 {
		fmt.Fprintf(w, "\n%d mismatch(es)", r.Mismatched)
		if r.Mismatched > len(r.Mismatches) {
			fmt.Fprintf(w, ", the first %d shown", len(r.Mismatches))
		}
		fmt.Fprintln(w, ":")
		for _, m := range r.Mismatches {
			fmt.Fprint(w, m.String())
		}
	}
}
