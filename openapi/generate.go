package openapi

import (
	"math"
	"strings"
)

// Generate builds a value valid against schema with every member it
// documents, not only the required ones (the body a server answers with,
// where sampleValue builds the smallest request): the schema's example,
// const or first enum value where it has one, else a value built from its
// type and constraints; allOf members are merged, oneOf and anyOf take
// their first alternative. ok is false when it cannot build one (the caller
// validates what it got and falls back).
func Generate(schema map[string]any) (any, bool) {
	return generate(schema, 0)
}

// maxGenerateDepth bounds the members of members a generated body has.
const maxGenerateDepth = 6

func generate(schema map[string]any, depth int) (any, bool) {
	if schema == nil {
		return nil, false
	}
	schema = MergeAllOf(schema)
	if v, ok := pickStated(schema); ok && fitsType(v, schema, 0) {
		return v, true
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if alts, _ := schema[k].([]any); len(alts) > 0 {
			first, _ := alts[0].(map[string]any)
			return generate(mergeInto(schema, first, k), depth)
		}
	}
	switch TypeOf(schema) {
	case "string":
		return generateString(schema), true
	case "integer", "number":
		return generateNumber(schema), true
	case "boolean":
		return true, true
	case "null":
		return nil, true
	case "array":
		return generateArray(schema, depth)
	case "object":
		return generateObject(schema, depth)
	}
	return "errprobe", true // a schema that states no type accepts any value
}

// pickStated is the value the schema states: example, examples, const, enum.
func pickStated(schema map[string]any) (any, bool) {
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
	return nil, false
}

// fitsType: v is of the schema's type, and so are an array's items and an
// object's documented members (documents' examples do not always match
// their schemas).
func fitsType(v any, schema map[string]any, depth int) bool {
	t := TypeOf(schema)
	switch x := v.(type) {
	case nil:
		return t == "" || t == "null" || schema["nullable"] == true || typeList(schema, "null")
	case string:
		return t == "" || t == "string"
	case bool:
		return t == "" || t == "boolean"
	case float64:
		return t == "" || t == "number" || t == "integer" && x == math.Trunc(x)
	case int, int64, uint64:
		return t == "" || t == "number" || t == "integer"
	case []any:
		if t != "" && t != "array" {
			return false
		}
		items, _ := schema["items"].(map[string]any)
		for _, e := range x {
			if items != nil && depth < 6 && !fitsType(e, MergeAllOf(items), depth+1) {
				return false
			}
		}
		return true
	case map[string]any:
		if t != "" && t != "object" {
			return false
		}
		props, _ := schema["properties"].(map[string]any)
		for k, e := range x {
			ps, _ := props[k].(map[string]any)
			if ps != nil && depth < 6 && !fitsType(e, MergeAllOf(ps), depth+1) {
				return false
			}
		}
		return true
	}
	return true
}

func typeList(schema map[string]any, want string) bool {
	list, _ := schema["type"].([]any)
	for _, x := range list {
		if x == want {
			return true
		}
	}
	return false
}

// mergeInto is schema without key, with alt's members laid over it.
func mergeInto(schema, alt map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range schema {
		if k != key {
			out[k] = v
		}
	}
	alt = MergeAllOf(orEmpty(alt))
	for k, v := range alt {
		if k == "properties" {
			props := map[string]any{}
			if base, ok := out["properties"].(map[string]any); ok {
				for pk, pv := range base {
					props[pk] = pv
				}
			}
			for pk, pv := range v.(map[string]any) {
				props[pk] = pv
			}
			out[k] = props
			continue
		}
		out[k] = v
	}
	return out
}

func generateString(schema map[string]any) string {
	s, ok := stringSample(schema)
	if !ok {
		s = "errprobe"
	}
	if min, ok := schema["minLength"].(float64); ok && len(s) < int(min) {
		s += strings.Repeat("x", int(min)-len(s))
	}
	if max, ok := schema["maxLength"].(float64); ok && len(s) > int(max) {
		s = s[:int(max)]
	}
	return s
}

func generateNumber(schema map[string]any) any {
	v := 1.0
	if m, ok := schema["minimum"].(float64); ok {
		v = m
	}
	if m, ok := schema["exclusiveMinimum"].(float64); ok {
		v = math.Floor(m) + 1
	}
	if m, ok := schema["maximum"].(float64); ok && v > m {
		v = m
	}
	if m, ok := schema["exclusiveMaximum"].(float64); ok && v >= m {
		v = math.Ceil(m) - 1
	}
	if mo, ok := schema["multipleOf"].(float64); ok && mo > 0 {
		v = math.Ceil(v/mo) * mo
	}
	if TypeOf(schema) == "integer" {
		return int64(v)
	}
	return v
}

func generateArray(schema map[string]any, depth int) (any, bool) {
	items, _ := schema["items"].(map[string]any)
	n := 1
	if min, ok := schema["minItems"].(float64); ok && int(min) > n {
		n = min2(int(min), 16)
	}
	if max, ok := schema["maxItems"].(float64); ok && int(max) < n {
		n = int(max)
	}
	if items == nil || depth >= maxGenerateDepth {
		if n == 0 || items == nil {
			return []any{}, true
		}
	}
	out := make([]any, 0, n)
	for i := 0; i < n; i++ {
		v, ok := generate(items, depth+1)
		if !ok {
			return []any{}, schema["minItems"] == nil
		}
		out = append(out, v)
	}
	return out, true
}

func generateObject(schema map[string]any, depth int) (any, bool) {
	props, _ := schema["properties"].(map[string]any)
	required := map[string]bool{}
	for _, r := range requiredOf(schema) {
		required[r] = true
	}
	out := map[string]any{}
	for name, p := range props {
		ps, _ := p.(map[string]any)
		if depth >= maxGenerateDepth && !required[name] {
			continue
		}
		if ps != nil && (ps["readOnly"] == true || ps["writeOnly"] == true) && !required[name] {
			continue
		}
		v, ok := generate(ps, depth+1)
		if !ok {
			if required[name] {
				return nil, false
			}
			continue
		}
		out[name] = v
	}
	for name := range required {
		if _, ok := out[name]; !ok {
			out[name] = "errprobe"
		}
	}
	return out, true
}

func min2(a, b int) int {
	if a < b {
		return a
	}
	return b
}
