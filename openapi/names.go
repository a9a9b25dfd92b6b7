package openapi

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// componentKinds are the components members whose names OpenAPI limits to
// letters, digits, ".", "-" and "_".
var componentKinds = []string{"schemas", "responses", "parameters", "examples", "requestBodies",
	"headers", "securitySchemes", "links", "callbacks", "pathItems"}

// renameComponents gives each component whose name OpenAPI does not allow
// ("key scheme", with a space) a name it does ("key_scheme"), and rewrites
// the local $refs, discriminator mappings and security requirements that
// name it, so such a document loads (the library refuses the name). It
// runs on the bundle, whose $refs are all local.
func renameComponents(tree map[string]any) {
	comps, _ := tree["components"].(map[string]any)
	renamed := map[string]string{} // "kind/old" → new
	for _, kind := range componentKinds {
		of, _ := comps[kind].(map[string]any)
		names := make([]string, 0, len(of))
		for n := range of {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if validName(n) {
				continue
			}
			fixed := fixName(n)
			for i := 2; of[fixed] != nil; i++ {
				fixed = fmt.Sprintf("%s_%d", fixName(n), i)
			}
			of[fixed] = of[n]
			delete(of, n)
			renamed[kind+"/"+n] = fixed
		}
	}
	if len(renamed) == 0 {
		return
	}
	renameRefs(tree, "", renamed)
}

func validName(n string) bool { return n != "" && fixName(n) == n }

func fixName(n string) string {
	b := []byte(n)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}

// renameRefs rewrites, in place, what names a renamed component.
func renameRefs(v any, parent string, renamed map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && (k == "$ref" || parent == "mapping") {
				x[k] = renamedRef(s, renamed)
				continue
			}
			if parent == "security[]" {
				if fixed, ok := renamed["securitySchemes/"+k]; ok {
					x[fixed] = e
					delete(x, k)
				}
				continue
			}
			if !isData(parent, k) {
				renameRefs(e, k, renamed)
			}
		}
	case []any:
		for _, e := range x {
			renameRefs(e, parent+"[]", renamed)
		}
	}
}

// renamedRef is ref with a renamed component's new name.
func renamedRef(ref string, renamed map[string]string) string {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return ref
	}
	kind, tail, _ := strings.Cut(rest, "/")
	name, more, hasMore := strings.Cut(tail, "/")
	decoded := name
	if u, err := url.PathUnescape(name); err == nil {
		decoded = u
	}
	decoded = strings.ReplaceAll(strings.ReplaceAll(decoded, "~1", "/"), "~0", "~")
	fixed, ok := renamed[kind+"/"+decoded]
	if !ok {
		return ref
	}
	if hasMore {
		return "#/components/" + kind + "/" + fixed + "/" + more
	}
	return "#/components/" + kind + "/" + fixed
}
