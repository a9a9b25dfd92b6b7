package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/errprobe/errprobe/schemas"
)

// Error is a bad document: one line naming the file and, where known, the
// JSON Pointer of the offending member.
type Error struct {
	File    string
	Pointer string
	Msg     string
}

func (e *Error) Error() string {
	if e.Pointer != "" {
		return fmt.Sprintf("%s: %s: %s", e.File, e.Pointer, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// readTree reads a YAML or JSON file into a generic tree, through the
// input guards every errprobe input passes (size, nesting depth, aliases,
// byte-order mark).
func readTree(file string) (any, error) {
	b, err := schemas.ReadInput(file, "the document")
	if err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	var tree any
	if b, err = schemas.CheckInput(b); err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	if json.Valid(b) { // JSON has no aliases, and encoding/json is fast
		if err := json.Unmarshal(b, &tree); err != nil {
			return nil, &Error{File: file, Msg: "not JSON: " + err.Error()}
		}
		return tree, nil
	}
	if b, err = schemas.GuardYAML(b); err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	if err := yaml.Unmarshal(b, &tree); err != nil {
		return nil, &Error{File: file, Msg: "not YAML or JSON: " + firstLine(err.Error())}
	}
	return tree, nil
}

// checkVersion refuses what is not an OpenAPI 3 document.
func checkVersion(file string, tree any) (string, error) {
	m, ok := tree.(map[string]any)
	if !ok {
		return "", &Error{File: file, Pointer: "/", Msg: "not an OpenAPI document (want a mapping with an openapi member)"}
	}
	if v, ok := m["swagger"]; ok {
		return "", &Error{File: file, Pointer: "/swagger", Msg: fmt.Sprintf("Swagger %v documents are not supported; convert it to OpenAPI 3 first", v)}
	}
	v, ok := m["openapi"]
	if !ok {
		return "", &Error{File: file, Pointer: "/", Msg: "not an OpenAPI document (no openapi member)"}
	}
	s := fmt.Sprint(v)
	if !strings.HasPrefix(s, "3.0") && !strings.HasPrefix(s, "3.1") {
		return "", &Error{File: file, Pointer: "/openapi", Msg: fmt.Sprintf("OpenAPI %s is not supported (3.0 and 3.1 are)", s)}
	}
	if _, ok := m["paths"].(map[string]any); !ok {
		return "", &Error{File: file, Pointer: "/paths", Msg: "the document has no paths"}
	}
	return s, nil
}

// checkRefs walks every $ref of file and of the local files it refers to:
// a $ref to a URL or to a file that does not exist is an error naming the
// $ref's JSON Pointer. It never touches the network.
func checkRefs(file string, tree any, seen map[string]bool) error {
	abs, _ := filepath.Abs(file)
	if seen[abs] {
		return nil
	}
	seen[abs] = true
	var refs []refAt
	collectRefs(tree, "", &refs)
	for _, r := range refs {
		target, _, _ := strings.Cut(r.ref, "#")
		if target == "" {
			continue
		}
		if strings.Contains(target, "://") || strings.HasPrefix(target, "//") {
			return &Error{File: file, Pointer: r.ptr, Msg: fmt.Sprintf("$ref %q is a URL: errprobe reads local files only, never the network", r.ref)}
		}
		path := target
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(file), filepath.FromSlash(target))
		}
		if _, err := os.Stat(path); err != nil {
			return &Error{File: file, Pointer: r.ptr, Msg: fmt.Sprintf("$ref %q: file %s not found", r.ref, path)}
		}
		sub, err := readTree(path)
		if err != nil {
			return err
		}
		if err := checkRefs(path, sub, seen); err != nil {
			return err
		}
	}
	return nil
}

type refAt struct{ ptr, ref string }

// collectRefs lists every $ref string with its pointer, in key order.
func collectRefs(v any, ptr string, out *[]refAt) {
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["$ref"].(string); ok {
			*out = append(*out, refAt{ptr + "/$ref", s})
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			collectRefs(x[k], ptr+"/"+escapePointer(k), out)
		}
	case []any:
		for i, e := range x {
			collectRefs(e, fmt.Sprintf("%s/%d", ptr, i), out)
		}
	}
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
