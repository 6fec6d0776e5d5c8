package vectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LoadError is a malformed vector file; it names the file and what is wrong.
type LoadError struct {
	File string
	Msg  string
}

func (e *LoadError) Error() string { return e.File + ": " + e.Msg }

// Load reads every vector of the given files and directories (directories: every *.json
// in them, recursively, in name order). A file holds one vector object, an array of
// vectors, or an object {"vectors": [...]}. Every vector is resolved once, so a malformed
// one is reported here rather than while running.
func Load(paths ...string) ([]*Vector, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, &LoadError{File: p, Msg: err.Error()}
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".json") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, &LoadError{File: p, Msg: err.Error()}
		}
	}
	sort.Strings(files)
	var all []*Vector
	names := map[string]string{}
	for _, f := range files {
		vs, err := LoadFile(f)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if prev, dup := names[v.Name]; dup {
				return nil, &LoadError{File: f, Msg: fmt.Sprintf("vector %q: name already used in %s", v.Name, prev)}
			}
			names[v.Name] = f
		}
		all = append(all, vs...)
	}
	return all, nil
}

// LoadFile reads and validates the vectors of one file.
func LoadFile(path string) ([]*Vector, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &LoadError{File: path, Msg: err.Error()}
	}
	raws, err := splitVectors(data)
	if err != nil {
		return nil, &LoadError{File: path, Msg: err.Error()}
	}
	var out []*Vector
	for i, raw := range raws {
		v, err := decodeVector(raw)
		if err != nil {
			return nil, &LoadError{File: path, Msg: fmt.Sprintf("vector #%d%s: %v", i, nameHint(raw), err)}
		}
		v.File = path
		if err := v.Validate(); err != nil {
			return nil, &LoadError{File: path, Msg: fmt.Sprintf("vector #%d %q: %v", i, v.Name, err)}
		}
		out = append(out, v)
	}
	return out, nil
}

func splitVectors(data []byte) ([]json.RawMessage, error) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 {
		return nil, errors.New("empty file")
	}
	if t[0] == '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(t, &raws); err != nil {
			return nil, fmt.Errorf("not a JSON array of vectors: %w", err)
		}
		return raws, nil
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(t, &probe); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if vs, ok := probe["vectors"]; ok {
		var raws []json.RawMessage
		if err := json.Unmarshal(vs, &raws); err != nil {
			return nil, fmt.Errorf(`field "vectors": want an array of vectors: %w`, err)
		}
		return raws, nil
	}
	return []json.RawMessage{t}, nil
}

func nameHint(raw json.RawMessage) string {
	var n struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(raw, &n) == nil && n.Name != "" {
		return fmt.Sprintf(" %q", n.Name)
	}
	return ""
}

func decodeVector(raw json.RawMessage) (*Vector, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var v Vector
	if err := dec.Decode(&v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fmt.Errorf("field %s: want %s, got JSON %s", te.Field, te.Type, te.Value)
		}
		var ve *valueError
		if errors.As(err, &ve) {
			var tree any
			if json.Unmarshal(raw, &tree) == nil {
				if path := locate(tree, ve.value, ""); path != "" {
					return nil, fmt.Errorf("field %s: %w", path, err)
				}
			}
		}
		return nil, err
	}
	return &v, nil
}

// Validate checks what the JSON decoder cannot: required fields, known randomization kinds,
// and that the pre-state and expectation resolve.
func (v *Vector) Validate() error {
	if strings.TrimSpace(v.Name) == "" {
		return errors.New(`field "name" is missing`)
	}
	if strings.TrimSpace(v.Rule) == "" {
		return errors.New(`field "rule" is missing (cite the docs/spec.md section the vector checks)`)
	}
	if v.Randomize != nil {
		for i, k := range *v.Randomize {
			if !randKinds[k] {
				return fmt.Errorf("randomize[%d]: unknown kind %q (registers, hilo, reservation, direction, threads, operands)", i, k)
			}
		}
	}
	if v.Expect.Fault != "" && !v.Expect.Exception {
		return errors.New(`expect.fault: give "exception": true with it`)
	}
	c, err := Resolve(v)
	if err != nil {
		return err
	}
	if _, err := expected(c, c.State, layout{}); err != nil {
		return err
	}
	return nil
}

// valueError is a bad value inside a field; the loader finds the field by the value, since
// encoding/json does not say which field a custom decoder failed in.
type valueError struct {
	value string
	msg   string
}

func (e *valueError) Error() string { return e.msg }

// locate returns the path of the first leaf of tree whose text is value.
func locate(tree any, value, path string) string {
	switch t := tree.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if k == value {
				return p + " (key)"
			}
			if r := locate(t[k], value, p); r != "" {
				return r
			}
		}
	case []any:
		for i, x := range t {
			if r := locate(x, value, fmt.Sprintf("%s[%d]", path, i)); r != "" {
				return r
			}
		}
	case string:
		if t == value {
			return path
		}
	case float64:
		if fmt.Sprint(t) == value {
			return path
		}
	}
	return ""
}
