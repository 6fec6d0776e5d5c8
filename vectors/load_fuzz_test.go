package vectors

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzVectorFile: any file content a developer might write gives vectors or a LoadError
// naming the file, never a panic; what loads also resolves into a pre-state or an error.
func FuzzVectorFile(f *testing.F) {
	if seeds, err := filepath.Glob("../testdata/vectors/hand-*.json"); err == nil {
		for _, p := range seeds {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"name":"x","rule":"r","pre":{"thread":{"regs":{"v0":"5313"}},"insn":["0xc"]},"expect":"exception"}`))
	f.Add([]byte(`{"name":"a","rule":"r","pre":{"thread":{"pc":"0x4004"},"asm":["beq a0, a1, 0x4018","lw t0, -4(sp)"]},"expect":"exception"}`))
	f.Add([]byte(`[{"name":"y"}]`))
	f.Add([]byte(`{"vectors":[{"name":"z","pre":{"memory":{"0x7":"0x1"}},"expect":{"regs":{"r99":"1"}}}]}`))
	f.Add([]byte(``))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "v.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		vs, err := LoadFile(path)
		if err != nil {
			if le, ok := err.(*LoadError); !ok || le.File != path {
				t.Fatalf("error %T %v does not name the file", err, err)
			}
			return
		}
		for _, v := range vs {
			_, _ = Resolve(v)
		}
	})
}
