package schemas

import (
	"fmt"
	"strconv"
	"strings"
)

// pointer is a parsed JSON Pointer (RFC 6901).
type pointer []string

// parsePointer parses "" (the whole document) or "/a/b~1c".
func parsePointer(s string) (pointer, error) {
	if s == "" {
		return pointer{}, nil
	}
	if s[0] != '/' {
		return nil, fmt.Errorf("JSON Pointer %q must start with /", s)
	}
	parts := strings.Split(s[1:], "/")
	for i, p := range parts {
		if strings.Contains(p, "~") {
			for j := 0; j < len(p); j++ {
				if p[j] == '~' && (j+1 == len(p) || (p[j+1] != '0' && p[j+1] != '1')) {
					return nil, fmt.Errorf("JSON Pointer %q has a ~ not followed by 0 or 1", s)
				}
			}
			p = strings.ReplaceAll(p, "~1", "/")
			parts[i] = strings.ReplaceAll(p, "~0", "~")
		}
	}
	return parts, nil
}

// lookup finds the value at the pointer in a decoded JSON value.
func (p pointer) lookup(v any) (any, bool) {
	for _, tok := range p {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) || (len(tok) > 1 && tok[0] == '0') {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// lookupPointer parses s and looks it up in v.
func lookupPointer(v any, s string) (any, bool) {
	p, err := parsePointer(s)
	if err != nil {
		return nil, false
	}
	return p.lookup(v)
}

// String renders the pointer back to text.
func (p pointer) String() string {
	var b strings.Builder
	for _, tok := range p {
		b.WriteByte('/')
		tok = strings.ReplaceAll(tok, "~", "~0")
		b.WriteString(strings.ReplaceAll(tok, "/", "~1"))
	}
	return b.String()
}

// wildcard is the pointer token that addresses every element of an array.
const wildcard = "*"

// expand returns the concrete pointers a pointer with "*" tokens names in
// v: one per array element (none for an empty array or a missing one). A
// pointer without "*" is returned as it is.
func (p pointer) expand(v any) []pointer {
	for i, tok := range p {
		if tok != wildcard {
			continue
		}
		arr, ok := p[:i].lookup(v)
		xs, isArr := arr.([]any)
		if !ok || !isArr {
			if m, isMap := arr.(map[string]any); ok && isMap {
				if _, has := m[wildcard]; has { // a member literally named "*"
					continue
				}
			}
			return nil
		}
		var out []pointer
		for j := range xs {
			c := append(append(append(pointer{}, p[:i]...), strconv.Itoa(j)), p[i+1:]...)
			out = append(out, c.expand(v)...)
		}
		return out
	}
	return []pointer{p}
}

// wild reports whether the pointer has a "*" token.
func (p pointer) wild() bool {
	for _, tok := range p {
		if tok == wildcard {
			return true
		}
	}
	return false
}

// lookupAll returns every value the pointer names (each element's, for a
// pointer with "*").
func (p pointer) lookupAll(v any) []any {
	var out []any
	for _, c := range p.expand(v) {
		if x, ok := c.lookup(v); ok {
			out = append(out, x)
		}
	}
	return out
}
