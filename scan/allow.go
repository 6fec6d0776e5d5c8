package scan

import (
	_ "embed"
	"fmt"
	"os"
	"strings"
)

// An allowlist accepts findings a person has audited: code that is in the binary but does
// not run under Cannon. One entry per line:
//
//	<symbol> <finding> [if=godebug:<key>=<value>] <reason, required>
//
// symbol and finding may use '*' for any run of characters. A finding is a mnemonic
// ("teq", "rdhwr", "msa") or "syscall:<number>". The optional condition makes the entry
// apply only when the binary's link-time GODEBUG default (runtime.godebugDefault) sets
// key=value: some runtime paths are switched off that way, and are live otherwise. '#'
// starts a comment line.

// AllowEntry is one audited (symbol, finding) pair.
type AllowEntry struct {
	Symbol  string
	Finding string
	Cond    string // "godebug:key=value", or ""
	Reason  string
	Source  string // "file:line"
	used    bool
}

// Allowlist is one parsed allowlist file.
type Allowlist struct {
	Name    string
	Entries []*AllowEntry
}

//go:embed goruntime.allow
var goRuntimeAllow []byte

// GoRuntimeAllowName names the built-in allowlist in reports.
const GoRuntimeAllowName = "go-runtime (built in, scan/goruntime.allow)"

// GoRuntimeAllowlist is the audited allowlist for the Go runtime that ships with fpvmdiff
// (docs/scan.md explains each entry).
func GoRuntimeAllowlist() *Allowlist {
	a, err := ParseAllowlist("scan/goruntime.allow", goRuntimeAllow)
	if err != nil {
		panic(fmt.Sprintf("built-in allowlist: %v", err)) // a test parses it
	}
	a.Name = GoRuntimeAllowName
	return a
}

// LoadAllowlist reads and parses an allowlist file.
func LoadAllowlist(path string) (*Allowlist, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("allowlist: %w", err)
	}
	return ParseAllowlist(path, data)
}

// ParseAllowlist parses allowlist text; name is used in error messages and sources.
func ParseAllowlist(name string, data []byte) (*Allowlist, error) {
	a := &Allowlist{Name: name}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		src := fmt.Sprintf("%s:%d", name, i+1)
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s: want '<symbol> <finding> <reason>', got %q (every entry needs a reason)", src, line)
		}
		finding := fields[1]
		if strings.HasPrefix(finding, "syscall:") && !validSyscallPattern(strings.TrimPrefix(finding, "syscall:")) {
			return nil, fmt.Errorf("%s: finding %q: want syscall:<number>", src, finding)
		}
		rest := strings.TrimSpace(line[len(fields[0]):])
		rest = strings.TrimSpace(rest[len(finding):])
		e := &AllowEntry{Symbol: fields[0], Finding: finding, Source: src}
		if c, found := strings.CutPrefix(fields[2], "if="); found {
			key, val, isKV := strings.Cut(strings.TrimPrefix(c, "godebug:"), "=")
			if !strings.HasPrefix(c, "godebug:") || !isKV || key == "" || val == "" {
				return nil, fmt.Errorf("%s: condition %q: want if=godebug:<key>=<value>", src, fields[2])
			}
			e.Cond = c
			rest = strings.TrimSpace(rest[len(fields[2]):])
		}
		if rest == "" {
			return nil, fmt.Errorf("%s: entry %s %s has no reason (every entry needs one)", src, e.Symbol, e.Finding)
		}
		e.Reason = rest
		a.Entries = append(a.Entries, e)
	}
	return a, nil
}

func validSyscallPattern(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && c != '*' {
			return false
		}
	}
	return true
}

// match returns the first entry accepting finding key in symbol, given the binary's
// GODEBUG defaults; blocked is the first entry that matched but whose condition failed.
func (a *Allowlist) match(symbol, key string, godebug map[string]string) (hit, blocked *AllowEntry) {
	for _, e := range a.Entries {
		if !glob(e.Symbol, symbol) || !glob(e.Finding, key) {
			continue
		}
		if !e.condHolds(godebug) {
			if blocked == nil {
				blocked = e
			}
			continue
		}
		e.used = true
		return e, nil
	}
	return nil, blocked
}

func (e *AllowEntry) condHolds(godebug map[string]string) bool {
	if e.Cond == "" {
		return true
	}
	key, val, _ := strings.Cut(strings.TrimPrefix(e.Cond, "godebug:"), "=")
	got, set := godebug[key]
	return set && got == val
}

// parseGodebug turns "a=1,b=2" into a map; later settings of a key win, as in the runtime.
func parseGodebug(s string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if k, v, found := strings.Cut(strings.TrimSpace(kv), "="); found && k != "" {
			m[k] = v
		}
	}
	return m
}

// Unused lists the entries that matched nothing, as "source: symbol finding".
func (a *Allowlist) Unused() []string {
	var out []string
	for _, e := range a.Entries {
		if !e.used {
			out = append(out, fmt.Sprintf("%s: %s %s", e.Source, e.Symbol, e.Finding))
		}
	}
	return out
}

// glob matches s against pattern, where '*' stands for any run of characters (also '/'
// and '.', which Go symbol names are full of).
func glob(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}
