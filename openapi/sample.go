package openapi

import (
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// fromPattern builds the shortest string a simple regular expression
// matches, choosing '0' (else 'a', else the class's first character) for
// character classes. ok is false for what it cannot build from (and the
// result is checked against the pattern before it is used).
func fromPattern(pattern string) (string, bool) {
	patternMu.Lock()
	defer patternMu.Unlock()
	if r, ok := patternCache[pattern]; ok {
		return r.s, r.ok
	}
	s, ok := buildFromPattern(pattern)
	if len(patternCache) < 10000 {
		patternCache[pattern] = patternResult{s, ok}
	}
	return s, ok
}

type patternResult struct {
	s  string
	ok bool
}

// patternCache: documents repeat their id patterns on every operation.
var (
	patternMu    sync.Mutex
	patternCache = map[string]patternResult{}
)

func buildFromPattern(pattern string) (string, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if !build(re, &b, 0) {
		return "", false
	}
	out := b.String()
	if m, err := regexp.MatchString(pattern, out); err != nil || !m {
		return "", false
	}
	return out, true
}

func build(re *syntax.Regexp, b *strings.Builder, depth int) bool {
	if depth > 50 || b.Len() > 256 {
		return false
	}
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
		return true
	case syntax.OpCharClass:
		b.WriteRune(pickRune(re.Rune))
		return len(re.Rune) > 0
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('0')
		return true
	case syntax.OpCapture:
		return build(re.Sub[0], b, depth+1)
	case syntax.OpStar, syntax.OpQuest:
		return true
	case syntax.OpPlus:
		return build(re.Sub[0], b, depth+1)
	case syntax.OpRepeat:
		for i := 0; i < re.Min; i++ {
			if !build(re.Sub[0], b, depth+1) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !build(s, b, depth+1) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		return build(re.Sub[0], b, depth+1)
	}
	return false
}

// pickRune prefers '0', then 'a', then the first rune of the class.
func pickRune(ranges []rune) rune {
	for _, want := range []rune{'0', 'a', 'A'} {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= want && want <= ranges[i+1] {
				return want
			}
		}
	}
	if len(ranges) == 0 {
		return '0'
	}
	return ranges[0]
}

// breaking returns a value of the schema's type that breaks its pattern,
// and what it breaks; ok is false when the schema states nothing to break.
func breaking(schema map[string]any, candidates ...string) (value any, why string, ok bool) {
	if p, _ := schema["pattern"].(string); p != "" {
		for _, v := range append(candidates, "12345", "not-an-id!", "x", "") {
			if m, err := regexp.MatchString(p, v); err == nil && !m {
				return v, "does not match the pattern " + p, true
			}
		}
	}
	switch TypeOf(schema) {
	case "integer", "number":
		return "not-a-number", "is not a " + TypeOf(schema), true
	}
	if enum, _ := schema["enum"].([]any); len(enum) > 0 {
		return "not-in-the-enum!", "is not one of the enum's values", true
	}
	return nil, "", false
}

// TypeOf is a schema's type, the first non-null one of a list ("object"
// where it has properties and no type).
func TypeOf(schema map[string]any) string {
	switch t := schema["type"].(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if s, _ := x.(string); s != "" && s != "null" {
				return s
			}
		}
	}
	if _, ok := schema["properties"]; ok {
		return "object"
	}
	return ""
}

// formatSamples are, per string format, a value valid for it (see
// formatBreaks for the invalid ones).
var formatSamples = map[string]string{
	"email":     "errprobe@example.com",
	"uri":       "https://example.com/errprobe",
	"url":       "https://example.com/errprobe",
	"iri":       "https://example.com/errprobe",
	"byte":      "ZXJycHJvYmU=",
	"date-time": "2026-01-01T00:00:00Z",
	"date":      "2026-01-01",
	"time":      "00:00:00Z",
	"uuid":      "00000000-0000-4000-8000-000000000000",
	"ipv4":      "192.0.2.1",
	"ipv6":      "2001:db8::1",
	"hostname":  "errprobe.example.com",
}

// stringSample is a string valid for the schema's pattern and format: the
// format's sample where it matches the pattern too, else one built from
// the pattern (ok false when it cannot be), else the format's sample, else
// "errprobe". Lengths are the caller's.
func stringSample(schema map[string]any) (string, bool) {
	f, _ := schema["format"].(string)
	fs := formatSamples[f]
	if p, _ := schema["pattern"].(string); p != "" {
		if m, err := regexp.MatchString(p, fs); err == nil && m && fs != "" {
			return fs, true
		}
		return fromPattern(p)
	}
	if fs != "" {
		return fs, true
	}
	return "errprobe", true
}

// sampleValue builds a value valid against schema from its example, enum,
// const or constraints; allOf members are merged. ok is false when it
// cannot be sure.
func sampleValue(schema map[string]any, depth int) (any, bool) {
	if schema == nil || depth > 8 {
		return nil, false
	}
	schema = MergeAllOf(schema)
	if v, ok := schema["example"]; ok {
		return v, true
	}
	if vs, _ := schema["examples"].([]any); len(vs) > 0 {
		return vs[0], true
	}
	if v, ok := schema["const"]; ok {
		return v, true
	}
	if enum, _ := schema["enum"].([]any); len(enum) > 0 {
		return enum[0], true
	}
	switch TypeOf(schema) {
	case "string":
		return stringSample(schema)
	case "integer", "number":
		if m, ok := schema["minimum"].(float64); ok {
			return m, true
		}
		return 1, true
	case "boolean":
		return true, true
	case "array":
		items, _ := schema["items"].(map[string]any)
		min, _ := schema["minItems"].(float64)
		if min == 0 {
			return []any{}, true
		}
		v, ok := sampleValue(items, depth+1)
		return []any{v}, ok
	case "object":
		props, _ := schema["properties"].(map[string]any)
		out := map[string]any{}
		for _, name := range requiredOf(schema) {
			ps, _ := props[name].(map[string]any)
			v, ok := sampleValue(ps, depth+1)
			if !ok {
				return nil, false
			}
			out[name] = v
		}
		return out, true
	}
	return nil, false
}

// MergeAllOf folds allOf members' properties and required lists in.
func MergeAllOf(schema map[string]any) map[string]any {
	all, _ := schema["allOf"].([]any)
	if len(all) == 0 {
		return schema
	}
	out := map[string]any{}
	props := map[string]any{}
	var req []any
	for i, part := range append([]any{schema}, all...) {
		m, _ := part.(map[string]any)
		if i > 0 {
			m = MergeAllOf(m)
		}
		for k, v := range m {
			switch k {
			case "allOf":
			case "properties":
				for pk, pv := range v.(map[string]any) {
					props[pk] = pv
				}
			case "required":
				r, _ := v.([]any)
				req = append(req, r...)
			default:
				out[k] = v
			}
		}
	}
	if len(props) > 0 {
		out["properties"] = props
		if _, ok := out["type"]; !ok {
			out["type"] = "object"
		}
	}
	if len(req) > 0 {
		out["required"] = req
	}
	return out
}

func requiredOf(schema map[string]any) []string {
	r, _ := schema["required"].([]any)
	var out []string
	for _, x := range r {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// uniqueBody makes string members of a sample body unique per run with
// errprobe's {{n}}, in nested objects too: trailing runs of 7 digits are
// replaced, free-text members without a pattern, format, enum or length
// cap get " {{n}}" appended. It returns the JSON and the members changed.
func uniqueBody(body map[string]any, schema map[string]any) (map[string]any, []string) {
	var changed []string
	out := uniqueObject(body, schema, &changed, 0)
	sort.Strings(changed)
	return out, changed
}

func uniqueObject(body, schema map[string]any, changed *[]string, depth int) map[string]any {
	props, _ := MergeAllOf(orEmpty(schema))["properties"].(map[string]any)
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
		ps, _ := props[k].(map[string]any)
		switch x := v.(type) {
		case map[string]any:
			if depth < 4 {
				out[k] = uniqueObject(x, ps, changed, depth+1)
			}
		case string:
			switch {
			case trailingDigits(x) >= 7:
				out[k] = x[:len(x)-7] + "{{n}}"
				*changed = append(*changed, k)
			case ps != nil && ps["pattern"] == nil && ps["format"] == nil && ps["enum"] == nil && ps["maxLength"] == nil &&
				ps["const"] == nil && k != "type":
				out[k] = x + " {{n}}"
				*changed = append(*changed, k)
			}
		}
	}
	return out
}

func trailingDigits(s string) int {
	n := 0
	for i := len(s) - 1; i >= 0 && unicode.IsDigit(rune(s[i])); i-- {
		n++
	}
	return n
}
