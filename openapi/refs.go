package openapi

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
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

// checkRefs walks every $ref of file and of the local files it refers to,
// reading each file once: a $ref to a URL or to a file that does not exist
// is an error naming the $ref's JSON Pointer. It never touches the
// network. A $ref where OpenAPI allows none (a description, a summary) is
// replaced by the text it names (see tolerateRefs); values that are data
// (examples, defaults, enums, extensions) are not searched.
func checkRefs(s *sources, file string, tree any, seen map[string]bool) error {
	abs, _ := filepath.Abs(file)
	if seen[abs] {
		return nil
	}
	seen[abs] = true
	tolerateRefs(s, file, tree, "", 0)
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
		path := refPath(file, target)
		if p, _ := filepath.Abs(path); seen[p] {
			continue
		}
		if _, err := os.Stat(path); err != nil {
			return &Error{File: file, Pointer: r.ptr, Msg: fmt.Sprintf("$ref %q: file %s not found", r.ref, path)}
		}
		sub, err := s.read(path)
		if err != nil {
			return err
		}
		if err := checkRefs(s, path, sub, seen); err != nil {
			return err
		}
	}
	return nil
}

// refPath is the file a $ref's file part names, relative to the file the
// $ref is in.
func refPath(file, target string) string {
	if u, err := url.PathUnescape(target); err == nil {
		target = u
	}
	if filepath.IsAbs(target) {
		return target
	}
	return filepath.Join(filepath.Dir(file), filepath.FromSlash(target))
}

type refAt struct{ ptr, ref string }

// dataMembers hold values, not OpenAPI objects: a "$ref" inside them is
// data, never followed.
var dataMembers = map[string]bool{"example": true, "default": true, "enum": true, "const": true, "value": true}

// isData reports whether member k of a map that is the value of parent
// holds data (an example, a default, an extension) rather than OpenAPI
// objects. Under a map of names ("properties", "responses") every member
// is an object: a property called "example", the "default" response.
func isData(parent, k string) bool {
	return !namedMembers[parent] && (dataMembers[k] || strings.HasPrefix(k, "x-"))
}

// collectRefs lists every $ref string with its pointer, in key order.
func collectRefs(v any, ptr string, out *[]refAt) { collectRefsIn(v, "", ptr, out) }

func collectRefsIn(v any, parent, ptr string, out *[]refAt) {
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["$ref"].(string); ok {
			*out = append(*out, refAt{ptr + "/$ref", s})
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			if !isData(parent, k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			collectRefsIn(x[k], k, ptr+"/"+escapePointer(k), out)
		}
	case []any:
		for i, e := range x {
			collectRefsIn(e, "", fmt.Sprintf("%s/%d", ptr, i), out)
		}
	}
}

// namedMembers are maps whose keys are names the document chose (a
// property called "description" is a schema, not a description).
var namedMembers = map[string]bool{"properties": true, "patternProperties": true, "schemas": true,
	"responses": true, "parameters": true, "examples": true, "requestBodies": true, "headers": true,
	"securitySchemes": true, "links": true, "callbacks": true, "pathItems": true, "paths": true,
	"content": true, "encoding": true, "variables": true, "mapping": true, "$defs": true,
	"definitions": true, "dependentSchemas": true, "webhooks": true}

// unreferenceable members are maps OpenAPI allows no $ref for, that real
// documents still write as one (DigitalOcean: properties: {$ref: …}).
var unreferenceable = map[string]bool{"properties": true, "patternProperties": true, "responses": true,
	"content": true, "headers": true, "links": true, "callbacks": true, "encoding": true}

// maxInlines bounds how many such $refs may nest, so one naming itself
// ends.
const maxInlines = 16

// tolerateRefs mends the $refs where OpenAPI allows none: a {$ref: …} in
// place of text (a description or a summary, as DigitalOcean's document
// has them) becomes the text it names, or "" when it names no text; one in
// place of a map of properties, responses, content or headers becomes a
// copy of that map, its own $refs rebased onto file. parent is the member
// v is the value of.
func tolerateRefs(s *sources, file string, v any, parent string, inlines int) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			if isData(parent, k) {
				continue
			}
			if m, ok := sub.(map[string]any); ok && !namedMembers[parent] {
				switch {
				case k == "description" || k == "summary":
					x[k] = refText(s, file, m)
					continue
				case unreferenceable[k] && len(m) == 1 && inlines < maxInlines:
					if ref, ok := m["$ref"].(string); ok {
						sub = inlineRef(s, file, ref)
						x[k] = sub
						inlines++
					}
				}
			}
			tolerateRefs(s, file, sub, k, inlines)
		}
	case []any:
		for _, e := range x {
			tolerateRefs(s, file, e, "", inlines)
		}
	}
}

// inlineRef is a copy of what ref (in file) names, rebased onto file; an
// empty map when it names nothing readable.
func inlineRef(s *sources, file, ref string) any {
	target, ptr, _ := strings.Cut(ref, "#")
	if strings.Contains(target, "://") || strings.HasPrefix(target, "//") {
		return map[string]any{}
	}
	path := file
	if target != "" {
		path = refPath(file, target)
	}
	tree, err := s.read(path)
	if err != nil {
		return map[string]any{}
	}
	v, ok := resolvePointer(tree, ptr).(map[string]any)
	if !ok {
		return map[string]any{}
	}
	return rebase(v, "", path, file)
}

// refText is the string a {$ref: …} in place of text names, "" if none.
func refText(s *sources, file string, m map[string]any) string {
	ref, _ := m["$ref"].(string)
	target, ptr, _ := strings.Cut(ref, "#")
	if strings.Contains(target, "://") || strings.HasPrefix(target, "//") {
		return ""
	}
	path := file
	if target != "" {
		path = refPath(file, target)
	}
	tree, err := s.read(path)
	if err != nil {
		return ""
	}
	text, _ := resolvePointer(tree, ptr).(string)
	return text
}

// resolvePointer follows a JSON Pointer ("/a/b~1c") into tree; nil when
// it names nothing.
func resolvePointer(tree any, ptr string) any {
	if ptr == "" || ptr == "/" {
		return tree
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := tree.(type) {
		case map[string]any:
			tree = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			tree = x[i]
		default:
			return nil
		}
	}
	return tree
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

// inlineOperations replaces each operation of file's paths that is a
// {$ref: …} (OpenAPI allows a $ref for a path item, not an operation, but
// DigitalOcean's document refers every operation to a file of its own) by
// a copy of what it names, its own $refs rebased onto file.
func inlineOperations(s *sources, file string, tree any) error {
	paths, _ := tree.(map[string]any)["paths"].(map[string]any)
	for p, item := range paths {
		ops, ok := item.(map[string]any)
		if !ok {
			continue
		}
		for m, op := range ops {
			ref, ok := refOf(op)
			if !ok || !isMethod(m) {
				continue
			}
			target, ptr, _ := strings.Cut(ref, "#")
			path := file
			if target != "" {
				path = refPath(file, target)
			}
			ptrAt := "/paths/" + escapePointer(p) + "/" + m + "/$ref"
			if strings.Contains(target, "://") || strings.HasPrefix(target, "//") {
				return &Error{File: file, Pointer: ptrAt, Msg: fmt.Sprintf("$ref %q is a URL: errprobe reads local files only, never the network", ref)}
			}
			sub, err := s.read(path)
			if err != nil {
				return &Error{File: file, Pointer: ptrAt, Msg: fmt.Sprintf("$ref %q: %s", ref, errLine(err))}
			}
			v, ok := resolvePointer(sub, ptr).(map[string]any)
			if !ok {
				return &Error{File: file, Pointer: ptrAt, Msg: fmt.Sprintf("$ref %q names no operation", ref)}
			}
			ops[m] = rebase(v, "", path, file)
		}
	}
	return nil
}

func refOf(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	ref, ok := m["$ref"].(string)
	return ref, ok
}

func isMethod(m string) bool {
	for _, x := range methodOrder {
		if strings.EqualFold(x, m) {
			return true
		}
	}
	return false
}

// rebase copies v, read from file from, for a place in file to: each
// $ref in it is rewritten to name the same target from to's directory.
func rebase(v any, parent, from, to string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if ref, ok := e.(string); ok && (k == "$ref" || parent == "mapping" && strings.ContainsAny(ref, "#/.")) {
				out[k] = rebaseRef(ref, from, to) // a discriminator's mapping names $refs too
				continue
			}
			if isData(parent, k) {
				out[k] = e
				continue
			}
			out[k] = rebase(e, k, from, to)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = rebase(e, "", from, to)
		}
		return out
	}
	return v
}

func rebaseRef(ref, from, to string) string {
	target, ptr, hasPtr := strings.Cut(ref, "#")
	if strings.Contains(target, "://") || strings.HasPrefix(target, "//") {
		return ref
	}
	abs := from
	if target != "" {
		abs = refPath(from, target)
	}
	abs, _ = filepath.Abs(abs)
	dir, _ := filepath.Abs(filepath.Dir(to))
	rel, err := filepath.Rel(dir, abs)
	if err != nil {
		rel = abs
	}
	rel = filepath.ToSlash(rel)
	if hasPtr {
		return rel + "#" + ptr
	}
	return rel
}

func errLine(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return err.Error()
}
