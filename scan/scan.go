package scan

import (
	"fmt"
	"os"
	"sort"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// Kind classifies a finding.
type Kind string

const (
	// KindInstruction: the spec rejects the instruction; executing it fails the step.
	KindInstruction Kind = "unsupported instruction"
	// KindDeviating: the instruction executes, but not as MIPS64 defines it.
	KindDeviating Kind = "deviating instruction"
	// KindSyscall: a syscall with a constant number the VM does not implement.
	KindSyscall Kind = "unsupported syscall"
)

// maxAddrs bounds the addresses kept per finding.
const maxAddrs = 8

// Addr is a code address, written as hex in JSON and reports.
type Addr uint64

func (a Addr) String() string { return fmt.Sprintf("0x%x", uint64(a)) }

// MarshalText makes JSON carry "0x..." rather than a number JSON readers may round.
func (a Addr) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Finding is one (kind, symbol, finding) with its occurrences.
type Finding struct {
	Kind    Kind   `json:"kind"`
	Symbol  string `json:"symbol"`               // enclosing symbol, "" when none
	Finding string `json:"finding"`              // mnemonic, or "syscall:<n>"
	Display string `json:"display"`              // "madd", "syscall 5153 (prctl)"
	Via     string `json:"via,omitempty"`        // wrapper the syscall number is passed to
	Note    string `json:"note,omitempty"`       // deviating: what Cannon does instead
	Count   int    `json:"count"`                // occurrences
	Addrs   []Addr `json:"addresses"`            // the first few
	Allowed string `json:"allowed_by,omitempty"` // allowlist entry source
	Reason  string `json:"reason,omitempty"`     // allowlist reason
}

// SyscallSite is a syscall (or a call to a syscall wrapper) whose number is not a constant.
type SyscallSite struct {
	Symbol string `json:"symbol"`
	Addr   Addr   `json:"address"`
	Why    string `json:"why"`
}

// SyscallUse counts the sites of one implemented syscall number.
type SyscallUse struct {
	Number int64  `json:"number"`
	Name   string `json:"name"`
	Sites  int    `json:"sites"`
}

// Result is a scan of one ELF.
type Result struct {
	File         string        `json:"file"`
	GoBinary     bool          `json:"go_binary"`
	GoDebug      string        `json:"godebug_default,omitempty"` // runtime.godebugDefault
	Allowlists   []string      `json:"allowlists"`
	Instructions int           `json:"instructions"` // words decoded
	Findings     []Finding     `json:"findings"`     // not allowed: the scan fails
	Allowed      []Finding     `json:"allowed"`      // accepted by an allowlist
	Unresolved   []SyscallSite `json:"unresolved_syscalls"`
	Syscalls     []SyscallUse  `json:"implemented_syscalls"`
	UnusedAllow  []string      `json:"unused_allow_entries"` // from user allowlists
}

// Clean is true when nothing outside the allowlists was found.
func (r *Result) Clean() bool { return len(r.Findings) == 0 }

// Options control a scan.
type Options struct {
	// GoRuntimeAllowlist applies the built-in Go runtime allowlist when the ELF is a Go binary.
	GoRuntimeAllowlist bool
	// Allow are the user's allowlists, consulted after the built-in one.
	Allow []*Allowlist
}

// ScanFile reads and scans an ELF file.
func ScanFile(path string, opts Options) (*Result, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	res, err := Scan(raw, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	res.File = path
	return res, nil
}

// Scan scans an ELF image held in memory.
func Scan(raw []byte, opts Options) (*Result, error) {
	img, err := loadImage(raw)
	if err != nil {
		return nil, err
	}
	res := &Result{GoBinary: img.isGo, GoDebug: img.godebugDefault}
	var lists []*Allowlist
	if opts.GoRuntimeAllowlist && img.isGo {
		lists = append(lists, GoRuntimeAllowlist())
	}
	lists = append(lists, opts.Allow...)
	for _, l := range lists {
		res.Allowlists = append(res.Allowlists, l.Name)
	}

	agg := newAggregator(img)
	for _, r := range img.code {
		for i, w := range r.words {
			addr := r.addr + 4*uint64(i)
			res.Instructions++
			in := mips64.Decode(w)
			switch in.Status {
			case mips64.Unsupported:
				agg.add(KindInstruction, addr, in.Mnemonic, in.Mnemonic, "", "")
			case mips64.Deviating:
				agg.add(KindDeviating, addr, in.Mnemonic, in.Mnemonic, "", in.Note)
			}
		}
	}
	a := &analyzer{img: img}
	sites, unresolved := a.syscallSites()
	uses := map[int64]int{}
	for _, s := range sites {
		if SyscallImplemented(s.number) {
			uses[s.number]++
			continue
		}
		agg.addAt(KindSyscall, s.symbol, s.addr, fmt.Sprintf("syscall:%d", s.number), "syscall "+SyscallName(s.number), s.via, "")
	}
	res.Unresolved = unresolved
	for n, c := range uses {
		res.Syscalls = append(res.Syscalls, SyscallUse{Number: n, Name: syscallBareName(n), Sites: c})
	}
	sort.Slice(res.Syscalls, func(i, j int) bool { return res.Syscalls[i].Number < res.Syscalls[j].Number })

	godebug := parseGodebug(img.godebugDefault)
	for _, f := range agg.sorted() {
		hit, blocked := firstMatch(lists, f.Symbol, f.Finding, godebug)
		switch {
		case hit != nil:
			f.Allowed, f.Reason = hit.Source, hit.Reason
			res.Allowed = append(res.Allowed, f)
		case blocked != nil:
			f.Note = fmt.Sprintf("%s accepts it only with %s in the binary's GODEBUG default (%q)", blocked.Source, blocked.Cond, img.godebugDefault)
			res.Findings = append(res.Findings, f)
		default:
			res.Findings = append(res.Findings, f)
		}
	}
	for _, l := range opts.Allow {
		res.UnusedAllow = append(res.UnusedAllow, l.Unused()...)
	}
	return res, nil
}

func firstMatch(lists []*Allowlist, symbol, key string, godebug map[string]string) (hit, blocked *AllowEntry) {
	for _, l := range lists {
		h, b := l.match(symbol, key, godebug)
		if h != nil {
			return h, nil
		}
		if blocked == nil {
			blocked = b
		}
	}
	return nil, blocked
}

// aggregator groups occurrences by kind, symbol, finding and wrapper.
type aggregator struct {
	img *image
	m   map[string]*Finding
}

func newAggregator(img *image) *aggregator { return &aggregator{img: img, m: map[string]*Finding{}} }

func (g *aggregator) add(kind Kind, addr uint64, key, display, via, note string) {
	sym, _ := g.img.enclosing(addr)
	g.addAt(kind, sym.name, addr, key, display, via, note)
}

func (g *aggregator) addAt(kind Kind, symbol string, addr uint64, key, display, via, note string) {
	k := string(kind) + "\x00" + symbol + "\x00" + key + "\x00" + via
	f := g.m[k]
	if f == nil {
		f = &Finding{Kind: kind, Symbol: symbol, Finding: key, Display: display, Via: via, Note: note}
		g.m[k] = f
	}
	f.Count++
	if len(f.Addrs) < maxAddrs {
		f.Addrs = append(f.Addrs, Addr(addr))
	}
}

// sorted lists the findings by kind, symbol, then finding.
func (g *aggregator) sorted() []Finding {
	out := make([]Finding, 0, len(g.m))
	for _, f := range g.m {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Symbol != b.Symbol {
			return a.Symbol < b.Symbol
		}
		if a.Finding != b.Finding {
			return a.Finding < b.Finding
		}
		return a.Via < b.Via
	})
	return out
}
