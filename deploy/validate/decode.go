package validate

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// Object is one decoded manifest document: exactly one of the typed fields is set.
type Object struct {
	Source string // file and document number, for messages
	Kind   string
	Job    *batchv1.Job
	PVC    *corev1.PersistentVolumeClaim
}

// DecodeFile decodes every document of a YAML manifest file strictly.
func DecodeFile(path string) ([]Object, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	var objs []Object
	for i, doc := range splitDocuments(data) {
		src := fmt.Sprintf("%s (document %d)", path, i+1)
		obj, err := Decode(src, doc)
		if err != nil {
			return nil, err
		}
		objs = append(objs, obj)
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("%s: no manifest documents", path)
	}
	return objs, nil
}

// splitDocuments cuts a YAML stream at its "---" lines (which may carry a comment) and
// drops documents that hold only comments and blank lines.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	var cur []byte
	content := false
	flush := func() {
		if content {
			docs = append(docs, cur)
		}
		cur, content = nil, false
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if bytes.HasPrefix(line, []byte("---")) && (len(t) == 3 || t[3] == ' ' || t[3] == '#') {
			flush()
			continue
		}
		if len(t) > 0 && t[0] != '#' {
			content = true
		}
		cur = append(append(cur, line...), '\n')
	}
	flush()
	return docs
}

// Decode decodes one YAML document into the k8s.io/api type its apiVersion and kind name.
// The decoding is the API server's strict mode: field names match case-sensitively, and an
// unknown field, a duplicate key or a value of the wrong type is an error.
func Decode(src string, doc []byte) (Object, error) {
	js, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return Object{}, fmt.Errorf("%s: %w", src, err)
	}
	var tm metav1.TypeMeta
	if err := kjson.UnmarshalCaseSensitivePreserveInts(js, &tm); err != nil {
		return Object{}, fmt.Errorf("%s: %w", src, err)
	}
	obj := Object{Source: src, Kind: tm.Kind}
	var target any
	switch gvk := tm.APIVersion + " " + tm.Kind; gvk {
	case "batch/v1 Job":
		obj.Job = &batchv1.Job{}
		target = obj.Job
	case "v1 PersistentVolumeClaim":
		obj.PVC = &corev1.PersistentVolumeClaim{}
		target = obj.PVC
	default:
		return Object{}, fmt.Errorf("%s: apiVersion %q kind %q: not a kind deploy/k8s uses (batch/v1 Job, v1 PersistentVolumeClaim)", src, tm.APIVersion, tm.Kind)
	}
	strict, err := kjson.UnmarshalStrict(js, target, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil {
		return Object{}, fmt.Errorf("%s: %w", src, err)
	}
	if len(strict) > 0 {
		return Object{}, fmt.Errorf("%s: %w", src, errors.Join(strict...))
	}
	return obj, nil
}
