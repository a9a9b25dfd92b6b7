package openapi

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// Plan is what `run --openapi` adds to a run: every selected operation
// (each response of the run is checked against its documented responses)
// and its stateless probes: missing and garbage credentials on secured
// operations, malformed JSON and a wrong Content-Type on operations with a
// JSON body, a well-formed unknown id and a malformed id on templated
// paths, and per path a method it does not document (405 and Allow).
// filter keeps operations by path, "METHOD /path", tag or path prefix
// ("/v1/contacts*"); a filter value that matches nothing is an error.
func Plan(d *Document, filter []string) (*checks.OpenAPI, error) {
	ops, err := d.selected(filter)
	if err != nil {
		return nil, err
	}
	out := &checks.OpenAPI{}
	for _, op := range ops {
		out.Operations = append(out.Operations, documentedOperation(op))
	}
	methodsOf := map[string][]string{}
	for _, op := range d.Operations {
		methodsOf[op.Path] = append(methodsOf[op.Path], op.Method)
	}
	pathDone := map[string]bool{}
	for _, op := range ops {
		probes := operationProbes(op)
		if !pathDone[op.Path] {
			pathDone[op.Path] = true
			probes = append(probes, methodProbe(op, methodsOf[op.Path]))
		}
		if len(probes) == 0 {
			probes = append(probes, checks.Probe{Operation: op.Name(), Name: op.Name(), Suite: report.SuiteOpenAPI, Check: report.OpenAPIStatus,
				Skip: "no stateless probe applies (not secured, no JSON body, no path parameter); its responses are checked when the profile's probes reach it"})
		}
		out.Probes = append(out.Probes, probes...)
	}
	return out, nil
}

// selected applies the --operations filter.
func (d *Document) selected(filter []string) ([]*Operation, error) {
	var values []string
	for _, f := range filter {
		for _, v := range strings.Split(f, ",") {
			if v = strings.TrimSpace(v); v != "" {
				values = append(values, v)
			}
		}
	}
	if len(values) == 0 {
		return d.Operations, nil
	}
	var out []*Operation
	hit := map[string]bool{}
	for _, op := range d.Operations {
		for _, v := range values {
			if matches(op, v) {
				hit[v] = true
				out = append(out, op)
				break
			}
		}
	}
	for _, v := range values {
		if !hit[v] {
			return nil, fmt.Errorf("--operations %s: no operation of %s has that path, tag or name", v, d.File)
		}
	}
	return out, nil
}

func matches(op *Operation, v string) bool {
	if v == op.Path || strings.EqualFold(v, op.Name()) || contains(op.Tags, v) {
		return true
	}
	prefix, ok := strings.CutSuffix(v, "*")
	return ok && strings.HasPrefix(op.Path, prefix)
}

func documentedOperation(op *Operation) checks.Operation {
	out := checks.Operation{Name: op.Name(), Method: op.Method, Path: op.Path, Responses: map[string]checks.DocumentedResponse{}}
	for key, r := range op.Responses {
		dr := checks.DocumentedResponse{}
		if r.Schema != nil && isJSON(r.ContentType) {
			dr.Schema = r.Schema
		}
		for _, h := range r.Headers {
			if h.Required {
				dr.Headers = append(dr.Headers, h.Name)
			}
		}
		if key != "default" {
			key = strings.ToUpper(key)
		}
		out.Responses[key] = dr
	}
	return out
}

// probeOf is a one-request data probe of op recording check.
func probeOf(op *Operation, suffix, check string, rq checks.ProbeRequest) checks.Probe {
	c, _ := report.Lookup(check)
	return checks.Probe{Operation: op.Name(), Name: op.Name() + " " + suffix, Suite: c.Suite, Check: check,
		Requests: []checks.ProbeRequest{rq}}
}

func expectSit(situations ...string) checks.ProbeExpect {
	return checks.ProbeExpect{Situations: situations}
}

func operationProbes(op *Operation) []checks.Probe {
	var out []checks.Probe
	path := concretePath(op, "")
	if len(op.Security) > 0 {
		garbage := "errprobe_garbage_0000000000000000"
		out = append(out,
			probeOf(op, "missing-key", report.AuthMissingKey, checks.ProbeRequest{Method: op.Method, Path: path, Key: "none",
				Expect: expectSit(schemas.ExpectMissingKey)}),
			probeOf(op, "garbage-key", report.AuthGarbageKey, checks.ProbeRequest{Method: op.Method, Path: path, KeyValue: &garbage,
				Expect: expectSit(schemas.ExpectInvalidKey)}))
	}
	if op.Body != nil && op.Body.JSON() {
		truncated, sample := `{"errprobe":`, sampleBody(op.Body)
		for _, b := range []struct {
			suffix, check string
			body          *string
			ctype, sit    string
		}{{"truncated-json", report.MalformedTruncated, &truncated, op.Body.ContentType, schemas.ExpectMalformedJSON},
			{"content-type", report.MalformedContentType, &sample, "text/plain", schemas.ExpectWrongContentType}} {
			pr := probeOf(op, b.suffix, b.check, checks.ProbeRequest{Method: op.Method, Path: path, Key: "valid",
				Body: b.body, ContentType: b.ctype, Expect: expectSit(b.sit)})
			if op.Templated() {
				pr.Skip = "needs the id of an existing resource (stateful): not probed per operation"
			}
			out = append(out, pr)
		}
	}
	if op.Templated() {
		out = append(out, idProbes(op)...)
	}
	return out
}

// idProbes: a well-formed id that names nothing and a malformed one, in
// the path's one parameter.
func idProbes(op *Operation) []checks.Probe {
	params := op.PathParams()
	rq := checks.ProbeRequest{Method: op.Method, Key: "valid"}
	if op.Body != nil && op.Body.JSON() {
		body := sampleBody(op.Body)
		rq.Body, rq.ContentType = &body, op.Body.ContentType
	}
	unknownRq, malformedRq := rq, rq
	unknownRq.Expect, malformedRq.Expect = expectSit(schemas.ExpectNotFound), expectSit(schemas.ExpectInvalidID)
	skipBoth := ""
	switch {
	case len(params) == 0:
		skipBoth = "the path's parameter is not documented"
	case strings.Count(op.Path, "{") != 1 || len(params) != 1:
		skipBoth = "the path has more than one parameter: the other ids must name existing resources (stateful)"
	}
	var unknownSkip, malformedSkip string
	if skipBoth == "" {
		sch := mergeAllOf(orEmpty(params[0].Schema))
		if id, ok := wellFormedID(sch); ok {
			unknownRq.Path = concretePath(op, id)
		} else {
			unknownSkip = "the path parameter " + params[0].Name + " states no pattern or type to build a well-formed unknown id from"
		}
		if v, _, ok := breaking(sch, "not-an-id!"); ok && fmt.Sprint(v) != "" {
			malformedRq.Path = concretePath(op, fmt.Sprint(v))
		} else {
			malformedSkip = "the path parameter " + params[0].Name + " states no pattern, type or enum to break"
		}
	}
	unknown := probeOf(op, "unknown-id", report.ResourcesUnknownID, unknownRq)
	malformed := probeOf(op, "malformed-id", report.ResourcesMalformedID, malformedRq)
	unknown.Skip, malformed.Skip = cmpOr(skipBoth, unknownSkip), cmpOr(skipBoth, malformedSkip)
	return []checks.Probe{unknown, malformed}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func wellFormedID(sch map[string]any) (string, bool) {
	if pat, _ := sch["pattern"].(string); pat != "" {
		return fromPattern(pat)
	}
	if t := typeOf(sch); t == "integer" || t == "number" {
		return "999999999", true
	}
	if sch["format"] == "uuid" {
		return "00000000-0000-4000-8000-000000000000", true
	}
	return "", false
}

// concretePath fills the path parameters: with id when given, else with a
// value built from each parameter's schema (for probes the id does not
// matter to: credentials, methods).
func concretePath(op *Operation, id string) string {
	segs := strings.Split(op.Path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		if id != "" {
			segs[i] = id
			continue
		}
		v := "errprobe-id"
		for _, p := range op.PathParams() {
			if "{"+p.Name+"}" == s {
				if w, ok := wellFormedID(mergeAllOf(orEmpty(p.Schema))); ok {
					v = w
				}
			}
		}
		segs[i] = v
	}
	return strings.Join(segs, "/")
}

// methodProbe sends PATCH (else PUT) where the path documents neither:
// 405 with the method-not-allowed code and Allow listing exactly the
// documented methods.
func methodProbe(op *Operation, documented []string) checks.Probe {
	method := ""
	for _, m := range []string{"PATCH", "PUT"} {
		if !contains(documented, m) {
			method = m
			break
		}
	}
	c, _ := report.Lookup(report.MalformedMethod)
	pr := checks.Probe{Operation: op.Name(), Name: op.Path + " undocumented " + method, Suite: c.Suite, Check: report.MalformedMethod,
		Requests: []checks.ProbeRequest{{Method: method, Path: concretePath(op, ""), Key: "valid",
			Expect: checks.ProbeExpect{Situations: []string{schemas.ExpectMethodNotAllowed}, Allow: documented}}}}
	if method == "" {
		pr.Name, pr.Requests = op.Path+" undocumented method", nil
		pr.Skip = "the path documents both PATCH and PUT; errprobe sends no other method it could not take back"
	}
	return pr
}

// sampleBody is the body's example or a value built from its schema.
func sampleBody(b *Body) string {
	v := b.Example
	if v == nil {
		var ok bool
		if v, ok = sampleValue(b.Schema, 0); !ok {
			return "{}"
		}
	}
	out, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(out)
}
