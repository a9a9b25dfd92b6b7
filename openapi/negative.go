package openapi

import (
	"sort"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/report"
)

// maxNegative caps the negative-data probes of one operation.
const maxNegative = 10

// negKinds are the constraint kinds negative data breaks, in order.
var negKinds = []string{"required", "type", "pattern", "format", "enum", "range", "length", "additional"}

// broken is one invalid variant of a valid request: what it breaks.
type broken struct {
	kind, field, why string
	// where: "body", "query" or "path"; value is the invalid value (nil:
	// the member is left out).
	where string
	value any
	omit  bool
	// guess, when set, is what the probe's expectation rests on beyond
	// the document (see formatBreak).
	guess string
}

// negativeProbes builds, for one operation, one request per constraint
// kind its schemas state (body members, then query, path and header
// parameters), each valid except for that one member, plus one breaking
// two members; each expects the documented 400/422 (else a 4xx) and,
// where the error schema has a field member, the field named.
func negativeProbes(r request, keyed func(checks.ProbeRequest) checks.ProbeRequest) []checks.Probe {
	var cands []broken
	if r.hasBody {
		cands = append(cands, bodyBreaks(r)...)
	}
	cands = append(cands, paramBreaks(r.op, "query")...)
	cands = append(cands, paramBreaks(r.op, "path")...)
	cands = append(cands, headerBreaks(r.op, keyed)...)
	var out []checks.Probe
	done := map[string]bool{}
	var firstTwo []broken
	for _, kind := range negKinds {
		for _, b := range cands {
			if b.kind != kind || done[kind] {
				continue
			}
			done[kind] = true
			out = append(out, negativeProbe(r, keyed, b))
			if b.where == "body" && b.guess == "" && len(firstTwo) < 2 && (len(firstTwo) == 0 || firstTwo[0].field != b.field) {
				firstTwo = append(firstTwo, b)
			}
		}
	}
	if len(firstTwo) == 2 {
		out = append(out, negativeProbe(r, keyed, firstTwo...))
	}
	if len(out) > maxNegative {
		out = out[:maxNegative]
	}
	return out
}

// bodyBreaks lists the ways to break the body's top-level members.
func bodyBreaks(r request) []broken {
	obj, ok := r.body.(map[string]any)
	if !ok {
		return nil
	}
	sch := MergeAllOf(orEmpty(r.op.Body.Schema))
	props, _ := sch["properties"].(map[string]any)
	form := isForm(r.ctype)
	var out []broken
	for _, name := range requiredOf(sch) {
		if len(obj) == 1 && form && !r.op.Body.Required {
			break // an empty optional form is no body: nothing left out
		}
		if _, ok := obj[name]; ok {
			out = append(out, broken{kind: "required", field: name, where: "body", omit: true, why: "the required member " + name + " is left out"})
			break
		}
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ps, _ := props[n].(map[string]any)
		for _, b := range valueBreaks(MergeAllOf(orEmpty(ps)), form) {
			b.field, b.where = n, "body"
			out = append(out, b)
		}
	}
	if ap, ok := sch["additionalProperties"].(bool); ok && !ap {
		out = append(out, broken{kind: "additional", field: "errprobe_unknown", where: "body", value: "errprobe",
			why: "a member the schema does not allow (additionalProperties: false)"})
	}
	return out
}

// paramBreaks lists the ways to break the parameters found in where.
func paramBreaks(op *Operation, where string) []broken {
	var out []broken
	for _, p := range op.Params {
		if p.In != where {
			continue
		}
		if where != "path" && p.Required {
			out = append(out, broken{kind: "required", field: p.Name, where: where, omit: true, why: "the required " + where + " parameter " + p.Name + " is left out"})
		}
		for _, b := range valueBreaks(MergeAllOf(orEmpty(p.Schema)), true) {
			b.field, b.where = p.Name, where
			out = append(out, b)
		}
	}
	return out
}

// transportHeaders are header parameters the client's transport owns: a
// probe never breaks them.
var transportHeaders = map[string]bool{"authorization": true, "content-type": true, "accept": true, "content-length": true,
	"user-agent": true, "host": true}

// headerBreaks lists the ways to break the header parameters, but those
// the transport owns and the one the credential travels in.
func headerBreaks(op *Operation, keyed func(checks.ProbeRequest) checks.ProbeRequest) []broken {
	skip := map[string]bool{}
	for h := range keyed(checks.ProbeRequest{}).Headers {
		skip[strings.ToLower(h)] = true
	}
	var out []broken
	for _, b := range paramBreaks(op, "header") {
		if !skip[strings.ToLower(b.field)] && !transportHeaders[strings.ToLower(b.field)] {
			out = append(out, b)
		}
	}
	return out
}

// valueBreaks lists invalid values for one schema, one per kind; text is
// set where every value travels as text (form, query, path), so a number
// cannot break a string's type.
func valueBreaks(sch map[string]any, text bool) []broken {
	var out []broken
	add := func(kind string, v any, why string) { out = append(out, broken{kind: kind, value: v, why: why}) }
	t := TypeOf(sch)
	switch t {
	case "integer", "number":
		add("type", "not-a-number", "is not a "+t)
	case "boolean":
		add("type", "not-a-boolean", "is not a boolean")
	case "string":
		if !text {
			add("type", 12345, "is a number, not a string")
		}
	case "array":
		if !text {
			add("type", "not-an-array", "is not an array")
		}
	case "object":
		if !text {
			add("type", "not-an-object", "is not an object")
		}
	}
	if p, _ := sch["pattern"].(string); p != "" && t == "string" {
		if v, why, ok := breaking(map[string]any{"pattern": p}, "!errprobe!"); ok {
			add("pattern", v, why)
		}
	}
	if b, ok := formatBreak(sch); ok {
		out = append(out, b)
	}
	if enum, _ := sch["enum"].([]any); len(enum) > 0 && (t == "string" || t == "") {
		add("enum", "errprobe-not-in-enum", "is not one of the enum's values")
	}
	if t == "integer" || t == "number" {
		if m, ok := num(sch["minimum"]); ok {
			add("range", m-1, "is below the minimum "+fmtNum(m))
		} else if m, ok := num(sch["exclusiveMinimum"]); ok {
			add("range", m, "is not above the exclusive minimum "+fmtNum(m))
		} else if m, ok := num(sch["maximum"]); ok {
			add("range", m+1, "is above the maximum "+fmtNum(m))
		} else if m, ok := num(sch["exclusiveMaximum"]); ok {
			add("range", m, "is not below the exclusive maximum "+fmtNum(m))
		}
	}
	if t == "string" && sch["pattern"] == nil && sch["enum"] == nil && sch["format"] == nil {
		if m, ok := num(sch["minLength"]); ok && m > 0 {
			add("length", strings.Repeat("a", int(m)-1), "is shorter than minLength "+fmtNum(m))
		} else if m, ok := num(sch["maxLength"]); ok && m < 4096 {
			add("length", strings.Repeat("a", int(m)+1), "is longer than maxLength "+fmtNum(m))
		}
	}
	return out
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// negativeProbe is the valid request with bs applied.
func negativeProbe(r request, keyed func(checks.ProbeRequest) checks.ProbeRequest, bs ...broken) checks.Probe {
	rq := r.probeRequest()
	query := map[string]string{}
	for k, v := range r.query {
		query[k] = v
	}
	var body map[string]any
	if obj, ok := r.body.(map[string]any); ok {
		body = map[string]any{}
		for k, v := range obj {
			body[k] = v
		}
	}
	path := r.path
	var names, fields []string
	for _, b := range bs {
		names = append(names, b.kind+" "+b.field)
		if b.where != "path" {
			fields = append(fields, b.field)
		}
		switch b.where {
		case "body":
			if b.omit {
				delete(body, b.field)
			} else {
				body[b.field] = b.value
			}
		case "query":
			if b.omit {
				delete(query, b.field)
			} else {
				query[b.field] = plainValue(b.value)
			}
		case "path":
			path = concretePathWith(r.op, b.field, plainValue(b.value))
		case "header":
			hs := map[string]string{}
			for k, v := range rq.Headers {
				hs[k] = v
			}
			if b.omit {
				delete(hs, b.field)
			} else {
				hs[b.field] = plainValue(b.value)
			}
			rq.Headers = hs
		}
	}
	if body != nil {
		raw := encodeBody(body, r.ctype)
		rq.Body = &raw
	}
	rq.Path = request{op: r.op, path: path}.fullPath(query)
	rq = keyed(rq)
	rq.Expect = clientErrors(r.op)
	if len(fields) > 0 {
		rq.Expect.Fields, rq.Expect.FieldAt = fields, fieldPointers(r.op, rq.Expect)
	}
	name := "negative " + strings.Join(names, ", ")
	check := report.NegativeRejected
	if len(bs) == 1 && bs[0].kind == "format" {
		check = report.NegativeFormat
	}
	p := probeOf(r.op, name, check, rq)
	p.Also = []string{report.NegativeField}
	if len(bs) == 1 {
		p.Description = bs[0].where + " " + bs[0].field + " " + bs[0].why
		p.Guess = bs[0].guess
	}
	return p
}

// concretePathWith fills the path, param with value.
func concretePathWith(op *Operation, param, value string) string {
	return fillPath(op, func(name string) string {
		if name == param {
			return value
		}
		return paramID(op, name)
	})
}

// fieldNames are the member names that hold the field an error is about.
var fieldMembers = map[string]bool{"field": true, "fields": true, "pointer": true, "loc": true, "param": true, "parameter": true,
	"property": true, "attribute": true, "invalid_field": true, "invalidField": true, "field_name": true, "fieldName": true,
	"invalid_fields": true, "invalidFields": true, "invalid_params": true, "invalidParams": true}

// fieldPointers finds, in the error schemas of the statuses a rejection
// may have, the members naming the field: "/errors/*/field",
// "/detail/*/loc", "/errors/*/source/pointer".
func fieldPointers(op *Operation, e checks.ProbeExpect) []string {
	var keys []string
	if e.Rule != nil {
		for _, st := range e.Rule.Status {
			keys = append(keys, strconv.Itoa(st))
		}
	} else {
		for k := range op.Responses {
			if strings.HasPrefix(k, "4") {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
	}
	keys = append(keys, "4XX", "default")
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		resp := op.Responses[k]
		if resp == nil || resp.Schema == nil {
			continue
		}
		for _, p := range findFieldMembers(resp.Schema, "", false, 0) {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// detailArrays are the array members whose items describe invalid fields.
var detailArrays = map[string]bool{"errors": true, "details": true, "detail": true, "invalid_params": true, "invalidParams": true,
	"issues": true, "violations": true, "fields": true, "invalid-params": true, "validation_errors": true}

func lastSegment(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

func findFieldMembers(sch map[string]any, prefix string, inArray bool, depth int) []string {
	if depth > 5 || sch == nil {
		return nil
	}
	sch = MergeAllOf(sch)
	var out []string
	for _, alt := range []string{"oneOf", "anyOf"} {
		if list, _ := sch[alt].([]any); len(list) > 0 {
			for _, m := range list {
				ms, _ := m.(map[string]any)
				out = append(out, findFieldMembers(ms, prefix, inArray, depth+1)...)
			}
		}
	}
	if items, _ := sch["items"].(map[string]any); items != nil {
		// "name" and "path" name a field only in an array of details.
		out = append(out, findFieldMembers(items, prefix+"/*", detailArrays[lastSegment(prefix)], depth+1)...)
	}
	props, _ := sch["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ps, _ := props[n].(map[string]any)
		p := prefix + "/" + escapePointer(n)
		if fieldMembers[n] || inArray && (n == "path" || n == "name") {
			out = append(out, p)
			continue
		}
		out = append(out, findFieldMembers(ps, p, inArray, depth+1)...)
	}
	return out
}
