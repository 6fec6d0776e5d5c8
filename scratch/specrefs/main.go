// Command specrefs rewrites citations of the retired reference notes ("MTCANNON-FACTS §N",
// "facts §N", vector rule prefixes "6.2/10.17 …") into citations of docs/spec.md, whose
// sections are numbered differently. Scratch tool for one migration: run it from the
// repository root after merging, review `git diff`, then delete scratch/.
//
//	go run ./scratch/specrefs            rewrite every tracked text file in place
//	go run ./scratch/specrefs -n         print what would change, write nothing
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// newSection maps an old section number to its docs/spec.md number. Sub-sections of the
// instruction set (1.x), syscalls (6.x), pre-image oracle (7.x), loader (9.x) and edge cases
// (10.x) keep their minor number under the new major one.
func newSection(old string) (string, error) {
	major, minor, hasMinor := strings.Cut(old, ".")
	if m, k, ok := strings.Cut(old, "#"); ok { // "11#6": row 6 of the old disagreement table
		if m != "11" {
			return "", fmt.Errorf("row reference %q outside section 11", old)
		}
		return "13." + k, nil
	}
	majors := map[string]string{"0": "1", "1": "5", "2": "2", "3": "3", "4": "10", "5": "4",
		"6": "7", "7": "8", "8": "6", "9": "9", "10": "12", "11": "13", "12": "11"}
	nm, ok := majors[major]
	if !ok {
		return "", fmt.Errorf("unknown section %q", old)
	}
	if !hasMinor {
		return nm, nil
	}
	switch major {
	case "0", "1", "2", "4", "6", "7", "9", "10": // "4.N" only from the overrides below (4 had no sub-sections)
		return nm + "." + minor, nil
	}
	return "", fmt.Errorf("section %q has no sub-sections to map", old)
}

// titles are the docs/spec.md section titles, checked against the file at start.
var titles = map[string]string{
	"1": "Sources and state version", "1.1": "Upstream documents", "1.2": "State version 8", "1.3": "Citing this file",
	"2": "State", "2.1": "State witness and state hash", "2.2": "Thread record", "2.3": "Thread stacks",
	"2.4": "Production's binary state file",
	"3":   "Memory", "4": "One step: the scheduler",
	"5": "Instructions", "5.1": "Decoding and common rules", "5.2": "Primary opcodes", "5.3": "SPECIAL",
	"5.4": "SPECIAL2", "5.5": "REGIMM", "5.6": "Branches, jumps and delay slots", "5.7": "Loads and stores",
	"5.8": "Exceptions",
	"6":   "LL/SC reservation",
	"7":   "Syscalls", "7.1": "Calling convention and errors", "7.2": "Supported syscalls", "7.3": "No-op syscalls",
	"7.4": "File descriptors, read and write", "7.5": "Open points in the syscall text",
	"8": "Pre-image oracle", "8.1": "Key types and localization", "8.2": "Reading a part",
	"8.3": "Loading a part before a step", "8.4": "Hints",
	"9": "Loading a program", "9.1": "Constants", "9.2": "ELF loading", "9.3": "Initial stack",
	"10": "The step() call", "10.1": "Selectors and calldata", "10.2": "Proof slots", "10.3": "Output",
	"10.4": "Reverts",
	"11":   "How the differential check compares",
	"12":   "Edge cases", "12.1": "Error registers", "12.2": "Clock", "12.3": "Proof roots", "12.4": "Scheduler",
	"12.5": "Exits", "12.6": "Crafted states", "12.7": "Delay slots", "12.8": "Non-canonical encodings",
	"12.9": "Invalid opcodes", "12.10": "Shifts", "12.11": "32-bit operations on dirty inputs",
	"12.12": "Division and multiplication", "12.13": "Bit counting", "12.14": "Alignment", "12.15": "LL/SC",
	"12.16": "Pre-image", "12.17": "getrandom", "12.18": "mmap", "12.19": "futex", "12.20": "fcntl and streams",
	"12.21": "ABI robustness",
	"13":    "Where production differs from the spec text", "13.1": "Syscall error registers",
	"13.2": "eventfd2 and fd 100", "13.3": "getrandom", "13.4": "mprotect", "13.5": "DCLZ and DCLO",
	"13.6": "REALTIME clock", "13.7": "Futex wait with a different value", "13.8": "Pre-image read at the end",
	"13.9": "I/O size limit", "13.10": "Type-6 key", "13.11": "Encodings the spec does not mention",
	"13.12": "State version",
}

// cite renders one new section with its title.
func cite(n string) string { return fmt.Sprintf("§%s %q", n, titles[n]) }

const num = `\d+(?:\.\d+)?`

var (
	// "MTCANNON-FACTS 1.2-1.4, 1.8 and 10.9", "MTCANNON-FACTS section 5", a list after "facts §".
	factsRe = regexp.MustCompile(`MTCANNON-FACTS(?: sections?)? (` + num + `(?:(?:\s*,\s*|\s+and\s+|\s*[–-]\s*)` + num + `)*)`)
	soliRe  = regexp.MustCompile(`facts (§` + num + `(?:(?:, | and |\s*[–-]\s*)§` + num + `)*)`)
	itemRe  = regexp.MustCompile(num + `|[–-]|,| and `)
	// Vector rule prefixes: a string literal or JSON "rule" value starting "1.7/10.14 " or "6.5/11#6 ".
	ruleRe = regexp.MustCompile(`"((?:` + num + `|11#\d+)(?:/(?:` + num + `|11#\d+))*)([ :])`)
)

// legacyRe finds a citation of the old notes ("artifacts" must not count).
var legacyRe = regexp.MustCompile(`(?i)\bfacts\b|MTCANNON-FACTS`)

// overrides are phrasings the generic patterns would read wrongly, replaced first.
var overrides = []struct{ old, new string }{
	{"MTCANNON-FACTS 5 steps 3 and 7, 1.1", `docs/spec.md §4 "One step: the scheduler" items 3 and 7, §5.1 "Decoding and common rules"`},
	{"MTCANNON-FACTS 5 steps 3, 7, 8", `docs/spec.md §4 "One step: the scheduler" items 3, 7, 8`},
	{"MTCANNON-FACTS 10, item 11", `docs/spec.md §12.11 "32-bit operations on dirty inputs"`},
	{"MTCANNON-FACTS 4, revert table", `docs/spec.md §10.4 "Reverts"`},
	{"MTCANNON-FACTS 1.8 and the revert table of section 4", `docs/spec.md §5.8 "Exceptions" and §10.4 "Reverts"`},
	{"MTCANNON-FACTS 2.3 (and 3 for the empty memory root)", `docs/spec.md §2.3 "Thread stacks" (and §3 "Memory" for the empty memory root)`},
	{"MTCANNON-FACTS 1.2, 1.7, 8 (clearing) and 10.14", `docs/spec.md §5.2 "Primary opcodes", §5.7 "Loads and stores", §6 "LL/SC reservation" (clearing) and §12.14 "Alignment"`},
	{"MTCANNON-FACTS 4): thread 298", `docs/spec.md §10.1 "Selectors and calldata"): thread 298`},
	{"its own syscall table (MTCANNON-FACTS 6)", "its own syscall table (docs/spec.md §7)"},
	{"MTCANNON-FACTS 4, 7.3", `docs/spec.md §10.4 "Reverts", §8.3 "Loading a part before a step"`},
	{`"MTCANNON-FACTS <section>: <the rule this vector checks>"`, `"§<docs/spec.md section>: <the rule this vector checks>"`},
	{"instruction tables of MTCANNON-FACTS section\n// 1 (state version 8", "instruction tables of docs/spec.md §5\n// \"Instructions\" (state version 8"},
	{"every syscall number of MTCANNON-FACTS 6 (and raw numbers) with random\n//     arguments and memory.",
		"every syscall number of docs/spec.md §7 \"Syscalls\" (and raw\n//     numbers) with random arguments and memory."},
	{"/work/shared/reference/MTCANNON-FACTS.md", "docs/spec.md"},
	{"MTCANNON-FACTS.md", "docs/spec.md"},
	{"or the no-op list of 6.3)", "or the no-op list of §7.3)"},
	{"(facts example)", "(spec example)"},
	{"(facts test vector)", "(spec example)"},
	{"facts 1.7 vector", "spec §5.7 example"},
	{"cite the facts section the vector checks", "cite the docs/spec.md section the vector checks"},
	{`citing the facts section ("6.2 mmap: …")`, `citing docs/spec.md sections ("§7.2 mmap: …")`},
	{"the rule checked, citing the facts section", "the rule checked, led by the docs/spec.md sections it follows (`§7.2/§12.18 mmap …`)"},
	{"every syscall number of the facts tables", "every syscall number of the docs/spec.md tables"},
	{"Selector lists copied from the facts tables", "Selector lists copied from the tables of docs/spec.md"},
	{"disagrees with the facts file", "disagrees with docs/spec.md"},
	{"the on-chain verification loop of the facts file", "the on-chain verification loop of docs/spec.md §3"},
	{"The vectors of MTCANNON-FACTS 1.7:", "The worked stores of MTCANNON-FACTS 1.7:"},
	{"MTCANNON-FACTS 6.4 examples.", "MTCANNON-FACTS 6.4 worked reads."},
	{"at every a (1.7,\n// 10.14).", "at every a (§5.7,\n// §12.14)."},
}

// rewriteList turns an old list ("1.2-1.4, 1.8 and 10.9") into titled new citations.
func rewriteList(list string, withTitles bool) (string, error) {
	var b strings.Builder
	for _, tok := range itemRe.FindAllString(strings.ReplaceAll(list, "§", ""), -1) {
		switch tok {
		case "-", "–":
			b.WriteString(" to ")
		case ",":
			b.WriteString(", ")
		case " and ":
			b.WriteString(" and ")
		default:
			n, err := newSection(tok)
			if err != nil {
				return "", err
			}
			if _, ok := titles[n]; !ok {
				return "", fmt.Errorf("no title for new section %s (old %s)", n, tok)
			}
			if withTitles {
				b.WriteString(cite(n))
			} else {
				b.WriteString("§" + n)
			}
		}
	}
	return b.String(), nil
}

func rewrite(path string, src []byte) ([]byte, error) {
	// Only files that still cite the old notes are touched (vector rule files always are:
	// their rewrites only match old-style numbers), so a second run changes nothing.
	if !legacyRe.Match(src) && !isRuleFile(path) {
		return src, nil
	}
	if strings.HasPrefix(path, "contracts/") {
		return rewriteContracts(path, src)
	}
	s := string(src)
	for _, o := range overrides {
		s = strings.ReplaceAll(s, o.old, o.new)
	}
	var firstErr error
	repl := func(re *regexp.Regexp, prefix string) {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			list := re.FindStringSubmatch(m)[1]
			out, err := rewriteList(list, true)
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("%s: %q: %w", path, m, err)
			}
			return prefix + out
		})
	}
	repl(factsRe, "docs/spec.md ")
	repl(soliRe, "docs/spec.md ")
	s = strings.ReplaceAll(s, "MTCANNON-FACTS", "docs/spec.md")
	if isRuleFile(path) {
		s = ruleRe.ReplaceAllStringFunc(s, func(m string) string {
			sub := ruleRe.FindStringSubmatch(m)
			var parts []string
			for _, p := range strings.Split(sub[1], "/") {
				n, err := newSection(p)
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s: rule %q: %w", path, m, err)
				}
				parts = append(parts, "§"+n)
			}
			return `"` + strings.Join(parts, "/") + sub[2]
		})
	}
	if bareRefFiles[path] || isRuleFile(path) {
		s = rewriteBareRefs(path, s, &firstErr)
	}
	if path == "coverage/rows.go" {
		s = coverageRe.ReplaceAllStringFunc(s, func(m string) string {
			sub := coverageRe.FindStringSubmatch(m)
			var parts []string
			for _, p := range strings.Split(sub[1], " / ") {
				n, err := newSection(p)
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s: %q: %w", path, m, err)
				}
				parts = append(parts, n)
			}
			return `, "` + strings.Join(parts, " / ") + `"`
		})
	}
	if strings.HasSuffix(path, ".go") {
		s = reflowChanged(string(src), s)
	}
	return []byte(s), firstErr
}

// contractOverrides are the Solidity-side phrasings that shorthand several sections.
var contractOverrides = []struct{ old, new string }{
	{`/work/shared/reference/MTCANNON-FACTS.md ("facts §N" below)`, `docs/spec.md (cited as "spec §N" below)`},
	{"`/work/shared/reference/MTCANNON-FACTS.md` (cited below as \"facts §N\")", "`docs/spec.md` (cited below as \"spec §N\")"},
	{"`/work/shared/reference/MTCANNON-FACTS.md` (\"facts §N\")", "`docs/spec.md` (\"spec §N\")"},
	{"MTCANNON-FACTS.md", "docs/spec.md"},
	{"facts §6.1–6.3, 6.5", "facts §6.1–6.3, §6.5"},
	{"are the offsets of the facts' tables", "are the offsets of the spec's tables"},
	{"from the facts text", "from the spec text"},
	{"the facts text.", "the spec text."},
	{"from the facts table", "from the spec's table"},
	{"facts tables", "spec tables"},
	{`(state version 8 = the facts' "Recommended" column)`, "(state version 8, docs/spec.md §0.2)"},
	{"matchFacts", "matchSpec"}, {"MatchesFacts", "MatchesSpec"}, {"WithFactsOffsets", "WithSpecOffsets"},
	{`facts §4 "failed SC/SCD: none"`, `facts §4.2: a failed SC/SCD needs none`},
	{"facts §4's table and §1.8", "facts §4.4's table and §1.8"},
	{"every revert of facts §4/§1.8", "every revert of facts §4.4/§1.8"},
	{"(§4 layout table)", "(§4.1 layout table)"},
	{"facts §4: exactly one", "facts §4.3: exactly one"},
	{"facts §4: ABI offset checks", "facts §4.1: ABI offset checks"},
	{"facts §4 (encoded as Solidity's", "facts §4.4 (encoded as Solidity's"},
	{"facts §3 \"Verification\" describes", "facts §3 (\"Proofs\") describes"},
}

// contractRe is one § citation in contracts/: "§1.2", "§1.2–1.4", "§10.1/2/17" (a bare
// continuation number without a dot keeps the major number before it).
var contractRe = regexp.MustCompile(`§(` + num + `)((?:[–/]` + num + `)*)`)

// rewriteContracts maps every § citation in contracts/ (all of them cite the old notes) to
// the compact form "spec §N", as the Solidity sources' headers explain.
func rewriteContracts(path string, src []byte) ([]byte, error) {
	s := string(src)
	for _, o := range contractOverrides {
		s = strings.ReplaceAll(s, o.old, o.new)
	}
	var firstErr error
	s = contractRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := contractRe.FindStringSubmatch(m)
		first := sub[1]
		major, _, _ := strings.Cut(first, ".")
		n, err := newSection(first)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s: %q: %w", path, m, err)
		}
		out := "§" + n
		for _, part := range regexp.MustCompile(`[–/]`+num).FindAllString(sub[2], -1) {
			sep, v := part[:len(part)-len(strings.TrimLeft(part, "–/"))], strings.TrimLeft(part, "–/")
			if !strings.Contains(v, ".") && strings.Contains(first, ".") {
				v = major + "." + v
			}
			n, err := newSection(v)
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("%s: %q: %w", path, m, err)
			}
			out += sep + "§" + n
		}
		return out
	})
	s = strings.ReplaceAll(s, "facts §", "spec §")
	s = strings.ReplaceAll(s, "Facts §", "Spec §")
	return []byte(s), firstErr
}

// reflowChanged re-wraps the // comment paragraphs of a Go file that the rewrite made longer
// than 100 columns (tabs counted as 4), at 95 columns. Paragraphs holding lists or indented
// text, and comments after code, are left alone.
func reflowChanged(before, after string) string {
	old := strings.Split(before, "\n")
	lines := strings.Split(after, "\n")
	if len(old) != len(lines) {
		return after
	}
	width := func(l string) int { return len([]rune(strings.ReplaceAll(l, "\t", "    "))) }
	prefixOf := func(l string) (string, bool) {
		t := strings.TrimLeft(l, "\t")
		indent := l[:len(l)-len(t)]
		if !strings.HasPrefix(t, "// ") {
			return "", false
		}
		body := t[3:]
		if body == "" || strings.HasPrefix(body, " ") || strings.HasPrefix(body, "\t") || strings.HasPrefix(body, "- ") {
			return "", false
		}
		return indent + "// ", true
	}
	var out []string
	for i := 0; i < len(lines); {
		p, ok := prefixOf(lines[i])
		if !ok {
			out = append(out, lines[i])
			i++
			continue
		}
		j := i
		changed, long := false, false
		for j < len(lines) {
			q, ok := prefixOf(lines[j])
			if !ok || q != p {
				break
			}
			changed = changed || lines[j] != old[j]
			long = long || width(lines[j]) > 100
			j++
		}
		if !changed || !long {
			out = append(out, lines[i:j]...)
			i = j
			continue
		}
		var words []string
		for _, l := range lines[i:j] {
			words = append(words, strings.Fields(strings.TrimPrefix(l, p))...)
		}
		cur := p
		for _, w := range words {
			if cur != p && width(cur+" "+w) > 95 {
				out = append(out, cur)
				cur = p
			}
			if cur == p {
				cur += w
			} else {
				cur += " " + w
			}
		}
		out = append(out, cur)
		i = j
	}
	return strings.Join(out, "\n")
}

// bareRefFiles cite old sections by bare number in comments, "(6.2, 10.19)", after a full
// citation elsewhere in the file (the corpus generator's files are included by directory).
var bareRefFiles = map[string]bool{"coverage/rows.go": true, "qemuoracle/ops.go": true}

var (
	// "(6.2, 10.19)", "(section 8, 10.15)", "(1.3)" inside a // comment.
	bareRe = regexp.MustCompile(`\((?:section )?(` + num + `(?:, ` + num + `)*)([),])`)
	// The section column of coverage rows: `, "1.2")`, `, "5 / 10.4")`.
	coverageRe = regexp.MustCompile(`, "(` + num + `(?: / ` + num + `)?)"`)
)

// rewriteBareRefs maps bare section lists in the comment part of each line.
func rewriteBareRefs(path, s string, firstErr *error) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		k := strings.Index(l, "//")
		if strings.Contains(l, `"§`) || strings.Contains(l, `"rule": "`) {
			k = 0 // a vector rule string: its parenthesized references are old sections too
		}
		if k < 0 {
			continue
		}
		lines[i] = l[:k] + bareRe.ReplaceAllStringFunc(l[k:], func(m string) string {
			sub := bareRe.FindStringSubmatch(m)
			if !strings.Contains(sub[1], ".") && !strings.HasPrefix(m, "(section") {
				return m // "(3)" and the like: not a section list
			}
			var parts []string
			for _, p := range strings.Split(sub[1], ", ") {
				n, err := newSection(p)
				if err != nil && *firstErr == nil {
					*firstErr = fmt.Errorf("%s: %q: %w", path, m, err)
				}
				parts = append(parts, "§"+n)
			}
			return "(" + strings.Join(parts, ", ") + sub[2]
		})
	}
	return strings.Join(lines, "\n")
}

// isRuleFile says whether vector rule prefixes may occur in path: the corpus generator's Go
// sources and the hand-written vector files (the generated ones are regenerated instead).
func isRuleFile(path string) bool {
	if strings.HasPrefix(path, "vectors/internal/corpus/") && strings.HasSuffix(path, ".go") {
		return true
	}
	return strings.HasPrefix(path, "testdata/vectors/hand-") && strings.HasSuffix(path, ".json")
}

func checkTitles() error {
	doc, err := os.ReadFile("docs/spec.md")
	if err != nil {
		return err
	}
	for n, t := range titles {
		heads := []string{"## " + n + " " + t + "\n", "### " + n + " " + t + "\n", "**" + n + " " + t + ".**",
			"| " + n + " | " + t + " |"}
		found := false
		for _, h := range heads {
			found = found || bytes.Contains(doc, []byte(h))
		}
		if !found {
			return fmt.Errorf("docs/spec.md has no section %s %q", n, t)
		}
	}
	return nil
}

func main() {
	dry := flag.Bool("n", false, "print the files that would change, write nothing")
	flag.Parse()
	if err := checkTitles(); err != nil {
		fmt.Fprintln(os.Stderr, "specrefs:", err)
		os.Exit(1)
	}
	out, err := exec.Command("git", "ls-files").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "specrefs: git ls-files:", err)
		os.Exit(1)
	}
	failed := false
	for _, path := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if skip(path) {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			continue // deleted in the work tree
		}
		dst, err := rewrite(path, src)
		if err != nil {
			fmt.Fprintln(os.Stderr, "specrefs:", err)
			failed = true
			continue
		}
		if bytes.Equal(src, dst) {
			continue
		}
		fmt.Println(path)
		if !*dry {
			if err := os.WriteFile(path, dst, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "specrefs:", err)
				failed = true
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}

// skip leaves out this tool, the new document itself, compiled artifacts (regenerated by
// `make contracts`) and generated vector files (regenerated from the corpus).
func skip(path string) bool {
	switch {
	case strings.HasPrefix(path, "scratch/"), path == "docs/spec.md",
		strings.Contains(path, "/artifacts/"), strings.HasPrefix(path, "node_modules/"):
		return true
	case strings.HasPrefix(path, "testdata/vectors/gen-"):
		return true
	}
	ext := filepath.Ext(path)
	return ext != ".go" && ext != ".md" && ext != ".sol" && ext != ".json" && ext != ".txt" && ext != "" && ext != ".mk"
}
