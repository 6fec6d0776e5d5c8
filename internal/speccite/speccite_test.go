package speccite

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// sections reads docs/spec.md: number → title, from the headings ("### 5.2 Primary opcodes"),
// the edge-case items ("**12.14 Alignment.**") and the rows of §13's table ("| 13.6 | REALTIME
// clock |"). Every section must also have its anchor, <a id="s5.2">.
func sections(t *testing.T, doc string) map[string]string {
	t.Helper()
	out := map[string]string{}
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^#{2,3} (\d+(?:\.\d+)?) (.+)$`),
		regexp.MustCompile(`\*\*(\d+\.\d+) ([^*]+?)\.\*\*`),
		regexp.MustCompile(`(?m)^\| (\d+\.\d+) \| ([^|]+?) \|`),
	}
	for _, re := range patterns {
		for _, m := range re.FindAllStringSubmatch(doc, -1) {
			if prev, dup := out[m[1]]; dup && prev != m[2] {
				t.Errorf("docs/spec.md: section %s is titled both %q and %q", m[1], prev, m[2])
			}
			out[m[1]] = m[2]
		}
	}
	for n := range out {
		if !strings.Contains(doc, `<a id="s`+n+`"></a>`) {
			t.Errorf("docs/spec.md: section %s has no anchor s%s", n, n)
		}
	}
	return out
}

// repoRoot is the directory holding go.mod, above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// retired is the name of the reference notes docs/spec.md replaced, spelled so that this
// file does not match itself.
var retired = "MTCANNON" + "-FACTS"

var (
	// A comment line break, so that a title wrapped over two comment lines still matches.
	lineBreak = regexp.MustCompile(`\n[ \t]*(?:///?|#)?[ \t]*`)
	// Any section number: "§5.2", also inside "§5.7/§12.14" rule prefixes.
	sectionRe = regexp.MustCompile(`§(\d+(?:\.\d+)?)`)
	// A titled citation: §5.2 "Primary opcodes".
	titledRe = regexp.MustCompile(`§(\d+(?:\.\d+)?) "([^"]+)"`)
)

// cited are the files that may cite docs/spec.md: sources, docs, vectors.
func cited(path string) bool {
	switch filepath.Ext(path) {
	case ".go", ".md", ".sol", ".json", ".txt", ".mk", ".toml":
		return true
	}
	return filepath.Base(path) == "Makefile"
}

// skipDir leaves out what is not ours or not source: dependencies, build output, compiled
// artifacts (they embed the Solidity sources, which are checked directly).
func skipDir(name string) bool {
	switch name {
	case ".git", "node_modules", "artifacts", "out", "cache", "bin", ".tmp", "lib":
		return true
	}
	return false
}

func TestCitationsNameExistingSections(t *testing.T) {
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "docs", "spec.md"))
	if err != nil {
		t.Fatalf("read docs/spec.md: %v", err)
	}
	secs := sections(t, string(raw))
	if len(secs) < 60 {
		t.Fatalf("docs/spec.md: only %d sections found; the heading formats changed?", len(secs))
	}
	files, citations := 0, 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !cited(path) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		text := lineBreak.ReplaceAllString(string(b), " ")
		if strings.Contains(text, retired) {
			t.Errorf("%s cites %s, which is not part of the repository: cite docs/spec.md", rel, retired)
		}
		if !strings.Contains(text, "§") {
			return nil
		}
		files++
		for _, m := range sectionRe.FindAllStringSubmatch(text, -1) {
			citations++
			if _, ok := secs[m[1]]; !ok {
				t.Errorf("%s cites §%s, which docs/spec.md does not have", rel, m[1])
			}
		}
		for _, m := range titledRe.FindAllStringSubmatch(text, -1) {
			if want, ok := secs[m[1]]; ok && want != m[2] {
				t.Errorf("%s cites §%s %q, but docs/spec.md titles it %q", rel, m[1], m[2], want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 || citations < 300 {
		t.Errorf("only %d files with %d citations found: the walk is missing the repository", files, citations)
	}
	t.Logf("%d files, %d section citations checked against %d sections", files, citations, len(secs))
}

// TestSectionNumbersAreDense guards the numbering itself: every sub-section's parent exists
// and sub-sections count up from 1 without gaps, so a citation never has to skip a hole.
func TestSectionNumbersAreDense(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "spec.md"))
	if err != nil {
		t.Fatal(err)
	}
	secs := sections(t, string(raw))
	children := map[string][]int{}
	for n := range secs {
		major, minor, ok := strings.Cut(n, ".")
		if !ok {
			continue
		}
		if _, ok := secs[major]; !ok {
			t.Errorf("docs/spec.md: §%s has no parent §%s", n, major)
		}
		var k int
		for _, c := range minor {
			k = k*10 + int(c-'0')
		}
		children[major] = append(children[major], k)
	}
	for major, ks := range children {
		sort.Ints(ks)
		for i, k := range ks {
			if k != i+1 {
				t.Errorf("docs/spec.md: sub-sections of §%s are %v, want 1..%d", major, ks, len(ks))
				break
			}
		}
	}
}
