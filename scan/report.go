package scan

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Print writes the human-readable report: findings first (they decide the exit code), then
// what the allowlists accepted, the syscall sites the scan could not check, and the
// implemented syscalls the program uses.
func (r *Result) Print(w io.Writer) {
	fmt.Fprintf(w, "fpvmdiff scan: %s\n", r.File)
	kind := "not a Go binary"
	if r.GoBinary {
		kind = "Go binary"
	}
	fmt.Fprintf(w, "  %d instructions decoded; %s\n", r.Instructions, kind)
	if r.GoDebug != "" {
		fmt.Fprintf(w, "  link-time GODEBUG default: %s\n", r.GoDebug)
	}
	if len(r.Allowlists) > 0 {
		fmt.Fprintf(w, "  allowlists: %s\n", strings.Join(r.Allowlists, "; "))
	}

	fmt.Fprintf(w, "\nfindings: %d\n", len(r.Findings))
	if len(r.Findings) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  KIND\tSYMBOL\tFINDING\tCOUNT\tFIRST AT\tNOTE")
		for _, f := range r.Findings {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%s\n", f.Kind, symbolName(f.Symbol), f.label(), f.Count, f.Addrs[0], f.Note)
		}
		tw.Flush()
	}

	if len(r.Allowed) > 0 {
		fmt.Fprintf(w, "\naccepted by an allowlist: %d\n", len(r.Allowed))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  SYMBOL\tFINDING\tCOUNT\tENTRY\tREASON")
		for _, f := range r.Allowed {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\n", symbolName(f.Symbol), f.label(), f.Count, f.Allowed, f.Reason)
		}
		tw.Flush()
	}

	if len(r.Unresolved) > 0 {
		fmt.Fprintf(w, "\nsyscall sites with a non-constant number (not checked): %d\n", len(r.Unresolved))
		for _, s := range r.Unresolved {
			fmt.Fprintf(w, "  %s at %s: %s\n", symbolName(s.Symbol), s.Addr, s.Why)
		}
	}
	if len(r.UnusedAllow) > 0 {
		fmt.Fprintf(w, "\nallowlist entries that matched nothing: %d\n", len(r.UnusedAllow))
		for _, u := range r.UnusedAllow {
			fmt.Fprintf(w, "  %s\n", u)
		}
	}
	if len(r.Syscalls) > 0 {
		var names []string
		for _, s := range r.Syscalls {
			names = append(names, fmt.Sprintf("%s(%d)", s.Name, s.Number))
		}
		fmt.Fprintf(w, "\nimplemented syscalls used: %s\n", strings.Join(names, " "))
	}

	if r.Clean() {
		fmt.Fprintln(w, "\nclean: no unsupported instruction or syscall outside the allowlists")
	} else {
		fmt.Fprintf(w, "\nNOT CLEAN: %d finding(s) the VM would fail on or execute differently from MIPS64\n", len(r.Findings))
	}
}

// label is the finding with the wrapper its syscall number goes through.
func (f Finding) label() string {
	if f.Via != "" {
		return f.Display + " via " + f.Via
	}
	return f.Display
}

func symbolName(s string) string {
	if s == "" {
		return "(no symbol)"
	}
	return s
}
