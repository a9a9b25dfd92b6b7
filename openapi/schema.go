package openapi

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// maxSchemaDepth bounds the inlining of a recursive schema: deeper than
// this a schema becomes {} (anything), never an endless tree.
const maxSchemaDepth = 24

// converter inlines a document's schemas within a budget of nodes (see
// schemaBudget): a schema that refers to itself is cut where it recurs
// (it becomes {}), and $refs that branch at every level (a 6 KB document
// whose schemas each name the next one twice, 40 levels deep, is 2^40
// nodes inlined) stop the load once the budget is spent, naming where.
type converter struct {
	left   int                      // nodes still allowed
	active map[*openapi3.Schema]int // schemas being converted, for recursion
	// spent is the $ref being inlined when the budget ran out.
	spent string
	ref   string // the innermost $ref being inlined
}

func newConverter(budget int) *converter {
	return &converter{left: budget, active: map[*openapi3.Schema]int{}}
}

// jsonSchema turns a resolved OpenAPI schema into a self-contained JSON
// Schema (2020-12) with every $ref inlined; OpenAPI 3.0's nullable becomes
// a "null" type. nil in, nil out; nil too once the budget is spent.
func (c *converter) jsonSchema(ref *openapi3.SchemaRef) map[string]any {
	if ref == nil || ref.Value == nil || c.spent != "" {
		return nil
	}
	return c.convertRef(ref, 0)
}

func (c *converter) convertRef(r *openapi3.SchemaRef, depth int) map[string]any {
	if r == nil || r.Value == nil {
		return map[string]any{}
	}
	if r.Ref != "" {
		outer := c.ref
		c.ref = r.Ref
		defer func() { c.ref = outer }()
	}
	return c.convert(r.Value, depth)
}

func (c *converter) convert(s *openapi3.Schema, depth int) map[string]any {
	m := map[string]any{}
	if c.left--; c.left < 0 {
		if c.spent == "" {
			c.spent = c.ref
		}
		return m
	}
	if depth > maxSchemaDepth || c.active[s] > 0 {
		return m // recursion: the schema again, inside itself, is cut
	}
	c.active[s]++
	defer func() { c.active[s]-- }()
	if s.Always != nil && !*s.Always {
		return map[string]any{"not": map[string]any{}}
	}
	sub := func(r *openapi3.SchemaRef) map[string]any { return c.convertRef(r, depth+1) }
	list := func(rs openapi3.SchemaRefs) []any {
		out := make([]any, len(rs))
		for i, r := range rs {
			out[i] = sub(r)
		}
		return out
	}
	if s.Type != nil && len(*s.Type) > 0 {
		types := append([]string(nil), (*s.Type)...)
		if s.Nullable && !contains(types, "null") {
			types = append(types, "null")
		}
		if len(types) == 1 {
			m["type"] = types[0]
		} else {
			anyTypes := make([]any, len(types))
			for i, t := range types {
				anyTypes[i] = t
			}
			m["type"] = anyTypes
		}
	}
	if len(s.Enum) > 0 {
		enum := append([]any(nil), s.Enum...)
		if s.Nullable {
			enum = append(enum, nil)
		}
		m["enum"] = enum
	}
	if s.Const != nil {
		m["const"] = s.Const
	}
	for k, v := range map[string]openapi3.SchemaRefs{"allOf": s.AllOf, "anyOf": s.AnyOf, "oneOf": s.OneOf, "prefixItems": s.PrefixItems} {
		if len(v) > 0 {
			m[k] = list(v)
		}
	}
	for k, v := range map[string]*openapi3.SchemaRef{"not": s.Not, "items": s.Items, "contains": s.Contains,
		"propertyNames": s.PropertyNames, "if": s.If, "then": s.Then, "else": s.Else} {
		if v != nil {
			m[k] = sub(v)
		}
	}
	if len(s.Properties) > 0 {
		props := map[string]any{}
		for name, p := range s.Properties {
			props[name] = sub(p)
		}
		m["properties"] = props
	}
	if len(s.PatternProperties) > 0 {
		props := map[string]any{}
		for name, p := range s.PatternProperties {
			props[name] = sub(p)
		}
		m["patternProperties"] = props
	}
	if len(s.Required) > 0 {
		req := make([]any, len(s.Required))
		for i, r := range s.Required {
			req[i] = r
		}
		m["required"] = req
	}
	switch ap := s.AdditionalProperties; {
	case ap.Has != nil:
		m["additionalProperties"] = *ap.Has
	case ap.Schema != nil:
		m["additionalProperties"] = sub(ap.Schema)
	}
	convertBounds(s, m)
	return m
}

// convertBounds copies the string, number and array constraints.
func convertBounds(s *openapi3.Schema, m map[string]any) {
	if s.Format != "" {
		m["format"] = s.Format
	}
	if s.Description != "" {
		m["description"] = s.Description
	}
	if s.Example != nil {
		m["example"] = s.Example
	}
	if len(s.Examples) > 0 {
		m["examples"] = s.Examples
	}
	if s.Pattern != "" {
		m["pattern"] = s.Pattern
	}
	if s.MinLength > 0 {
		m["minLength"] = s.MinLength
	}
	if s.MaxLength != nil {
		m["maxLength"] = *s.MaxLength
	}
	if s.MinItems > 0 {
		m["minItems"] = s.MinItems
	}
	if s.MaxItems != nil {
		m["maxItems"] = *s.MaxItems
	}
	if s.UniqueItems {
		m["uniqueItems"] = true
	}
	if s.MultipleOf != nil {
		m["multipleOf"] = *s.MultipleOf
	}
	bound := func(v *float64, ex openapi3.ExclusiveBound, incl, excl string) {
		switch {
		case ex.Value != nil:
			m[excl] = *ex.Value
			if v != nil {
				m[incl] = *v
			}
		case v != nil && ex.Bool != nil && *ex.Bool:
			m[excl] = *v
		case v != nil:
			m[incl] = *v
		}
	}
	bound(s.Min, s.ExclusiveMin, "minimum", "exclusiveMinimum")
	bound(s.Max, s.ExclusiveMax, "maximum", "exclusiveMaximum")
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// schemaBudget is how many schema nodes a document whose files are total
// bytes together may inline to: 250,000 (about 100 MB of maps) plus one
// per byte of text. Measured with recursion cut where it recurs: museum
// 133 nodes, Petstore 208, Twilio 4,706 (1.5 MB), Box 40,753 (1.7 MB),
// DigitalOcean 64,542 (2,900 files, 9 MB) — all far below; $refs that
// branch two ways at each of 40 levels are stopped at the 250,000th.
func schemaBudget(total int64) int { return 250_000 + int(min(total, 1<<30)) }
