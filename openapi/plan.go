package openapi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/report"
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
	out := &checks.OpenAPI{NoRateLimit: noRateLimit(d)}
	for _, op := range ops {
		out.Operations = append(out.Operations, documentedOperation(op))
	}
	methodsOf := map[string][]string{}
	for _, op := range d.Operations {
		if w := wirePath(op.Path); !contains(methodsOf[w], op.Method) {
			methodsOf[w] = append(methodsOf[w], op.Method)
		}
	}
	pathDone := map[string]bool{}
	main := mainScheme(d)
	any405 := false
	for _, op := range d.Operations {
		if _, ok := op.Responses["405"]; ok {
			any405 = true
		}
	}
	for _, op := range ops {
		probes := operationProbes(op, d, main)
		if w := wirePath(op.Path); !pathDone[w] && w == op.Path {
			pathDone[w] = true
			probes = append(probes, methodProbe(op, methodsOf[w], any405))
		}
		if len(probes) == 0 {
			probes = append(probes, checks.Probe{Operation: op.Name(), Name: op.Name(), Suite: report.SuiteOpenAPI, Check: report.OpenAPIStatus,
				Skip: "no stateless probe applies (not secured, no body, no parameter); its responses are checked when the profile's probes reach it"})
		}
		out.Probes = append(out.Probes, probes...)
	}
	return out, nil
}

// noRateLimit says why the burst has no evidence to run on: no operation
// of the document documents 429.
func noRateLimit(d *Document) string {
	for _, op := range d.Operations {
		if _, ok := op.Responses["429"]; ok {
			return ""
		}
	}
	return "no operation of " + d.File + " documents 429: no evidence of a rate limit to reach"
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
		dr := checks.DocumentedResponse{ContentType: r.ContentType}
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
	out.Implied = implied(op)
	return out
}

// implied: the statuses a security requirement, a path parameter or
// invalid input imply where the operation lists none for them (no 400,
// 422, 4XX or default).
func implied(op *Operation) map[int]string {
	out := map[int]string{}
	if len(op.Security) > 0 {
		out[401] = "the operation's security requirement (RFC 9110 §15.5.2)"
		out[403] = "the operation's security requirement (RFC 9110 §15.5.4)"
	}
	if op.Templated() {
		out[404] = "a path parameter naming nothing (RFC 9110 §15.5.5): errprobe makes its ids up"
	}
	invalidDocumented := false
	for _, k := range []string{"400", "422", "4XX", "default"} {
		if _, ok := op.Responses[k]; ok {
			invalidDocumented = true
		}
	}
	if !invalidDocumented && (op.Body != nil || len(op.Params) > 0) {
		out[400] = "invalid input to an operation that lists no status for it (RFC 9110 §15.5.1)"
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

func operationProbes(op *Operation, d *Document, main string) []checks.Probe {
	if wirePath(op.Path) != op.Path {
		return []checks.Probe{{Operation: op.Name(), Name: op.Name(), Suite: report.SuiteOpenAPI, Check: report.OpenAPISecurity,
			Skip: "the path's #fragment only tells this operation apart in the document: on the wire it is " +
				op.Method + " " + wirePath(op.Path) + ", probed as that operation"}}
	}
	r, skip := validRequest(op)
	if skip != "" {
		p := checks.Probe{Operation: op.Name(), Name: op.Name() + " valid request", Suite: report.SuiteOpenAPI, Check: report.OpenAPISecurity, Skip: skip}
		return []checks.Probe{p}
	}
	unkeyed := r.probeRequest()
	base := unkeyed
	pl, placed := placementOf(op, d, main)
	if placed {
		base = pl.place(unkeyed, "{{key:valid}}")
	}
	out := securityProbes(op, d, unkeyed, pl, placed)
	if op.Method == "GET" && documentsSuccess(op) {
		out = append(out, successProbe(op, base))
	}
	if op.Body != nil && op.Body.JSON() {
		out = append(out, malformedProbes(op, base)...)
	}
	if op.Templated() {
		out = append(out, idProbes(op, base)...)
	}
	return append(out, negativeProbes(r, func(rq checks.ProbeRequest) checks.ProbeRequest {
		if placed {
			return pl.place(rq, "{{key:valid}}")
		}
		return rq
	})...)
}

// successProbe sends a GET operation's valid request: a 2xx it documents
// (any 2xx where it lists only 2XX or default), its documented 400/422, or
// 404 on a templated path (documented or not: the id is made up). Only GET: errprobe sends
// nothing it could not take back.
func successProbe(op *Operation, base checks.ProbeRequest) checks.Probe {
	var sts []int
	for k := range op.Responses {
		if st, err := strconv.Atoi(k); err == nil && st/100 == 2 {
			sts = append(sts, st)
		}
	}
	sort.Ints(sts)
	if len(sts) == 0 {
		base.Expect = checks.ProbeExpect{Success: true}
	} else {
		// A documented refusal is the document's answer too: the made-up id
		// may name nothing (404), and the server may require what the
		// document leaves optional (400/422) — openapi.status still judges
		// it; what this probe catches is a success the document does not list.
		sts = append(sts, documentedStatuses(op, 400, 404, 422)...)
		if op.Templated() && !containsInt(sts, 404) {
			sts = append(sts, 404) // the made-up id names nothing: RFC 9110 §15.5.5, documented or not
		}
		base.Expect = checks.ProbeExpect{Rule: statusRule(sts)}
	}
	return probeOf(op, "valid request", report.OpenAPISuccess, base)
}

// documentsSuccess: a 2xx, 2XX or default is documented.
func documentsSuccess(op *Operation) bool {
	for k := range op.Responses {
		if strings.HasPrefix(k, "2") || k == "default" {
			return true
		}
	}
	return false
}

// wirePath is a path template without the #fragment some documents use
// to tell apart operations that share a path.
func wirePath(t string) string {
	t, _, _ = strings.Cut(t, "#")
	return t
}

// clientErrors is what a request the operation should refuse as invalid
// gets: the documented 400/422 (with 404 on a templated path, where the id
// may be looked up first), else any 4xx.
func clientErrors(op *Operation, extra ...int) checks.ProbeExpect {
	sts := documentedStatuses(op, append([]int{400, 422}, extra...)...)
	if len(documentedStatuses(op, 400, 422)) == 0 {
		return checks.ProbeExpect{ClientError: true}
	}
	if op.Templated() && !containsInt(sts, 404) && len(documentedStatuses(op, 404)) > 0 {
		sts = append(sts, 404)
	}
	return checks.ProbeExpect{Rule: statusRule(sts)}
}

// malformedProbes: truncated JSON and valid JSON sent as text/plain, with
// the valid key and everything else valid.
func malformedProbes(op *Operation, base checks.ProbeRequest) []checks.Probe {
	truncated := `{"errprobe":`
	t := base
	t.Body, t.ContentType, t.Expect = &truncated, op.Body.ContentType, clientErrors(op)
	c := base
	if c.Body == nil {
		body := "{}"
		c.Body = &body
	}
	c.ContentType = "text/plain"
	c.Expect = clientErrors(op, 415)
	if c.Expect.Rule != nil && len(documentedStatuses(op, 415)) == 0 {
		c.Expect = checks.ProbeExpect{ClientError: true}
	}
	ctp := probeOf(op, "content-type", report.MalformedContentType, c)
	for _, ct := range op.Body.ContentTypes {
		if mt, _, _ := strings.Cut(strings.ToLower(ct), ";"); strings.TrimSpace(mt) == "text/plain" {
			ctp.Skip = "the document gives the body text/plain too: a body sent as text/plain is one the operation takes"
		}
	}
	return []checks.Probe{probeOf(op, "truncated-json", report.MalformedTruncated, t), ctp}
}

// lastPathParam is the parameter of the path's last template.
func lastPathParam(op *Operation, params []Param) Param {
	all := pathParam.FindAllStringSubmatch(op.Path, -1)
	name := all[len(all)-1][1]
	for _, p := range params {
		if p.Name == name {
			return p
		}
	}
	return params[len(params)-1]
}

// idProbes: a well-formed id that names nothing (the documented 404; not
// probed where the operation documents none) and a malformed one (the documented 400/404/422, else a
// 4xx), in the path's last parameter; everything else valid.
func idProbes(op *Operation, base checks.ProbeRequest) []checks.Probe {
	params := op.PathParams()
	unknownRq, malformedRq := base, base
	unknownRq.Expect = checks.ProbeExpect{Rule: statusRule([]int{404})}
	if sts := documentedStatuses(op, 400, 404, 422); len(sts) > 0 {
		malformedRq.Expect = checks.ProbeExpect{Rule: statusRule(sts)}
	} else {
		malformedRq.Expect = checks.ProbeExpect{ClientError: true}
	}
	skipBoth := ""
	if len(params) == 0 || len(params) != len(pathParam.FindAllString(op.Path, -1)) {
		skipBoth = "the path's parameters are not all documented"
	}
	var unknownSkip, malformedSkip string
	query := queryOf(base.Path)
	if skipBoth == "" {
		// The last parameter names the resource; the others keep their
		// well-formed values.
		last := lastPathParam(op, params)
		sch := MergeAllOf(orEmpty(last.Schema))
		if id, ok := wellFormedID(sch); ok {
			unknownRq.Path = concretePathWith(op, last.Name, id) + query
		} else {
			unknownSkip = "the path parameter " + last.Name + " states no pattern or type to build a well-formed unknown id from"
		}
		if v, _, ok := breaking(sch, "not-an-id!"); ok && fmt.Sprint(v) != "" {
			malformedRq.Path = concretePathWith(op, last.Name, fmt.Sprint(v)) + query
		} else {
			malformedSkip = "the path parameter " + last.Name + " states no pattern, type or enum to break"
		}
	}
	unknown := probeOf(op, "unknown-id", report.ResourcesUnknownID, unknownRq)
	if len(documentedStatuses(op, 404)) == 0 {
		unknownSkip = cmpOr(unknownSkip, op.Name()+" documents no 404: what an id naming nothing gets is not in the document")
	}
	malformed := probeOf(op, "malformed-id", report.ResourcesMalformedID, malformedRq)
	unknown.Skip, malformed.Skip = cmpOr(skipBoth, unknownSkip), cmpOr(skipBoth, malformedSkip)
	return []checks.Probe{unknown, malformed}
}

func queryOf(path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return path[i:]
	}
	return ""
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
	if t := TypeOf(sch); t == "integer" || t == "number" {
		return "999999999", true
	}
	if sch["format"] == "uuid" {
		return formatSamples["uuid"], true
	}
	return "", false
}

// concretePath fills the path parameters: with id when given, else with a
// value built from each parameter's schema (for probes the id does not
// matter to: credentials, methods). A parameter may be part of a segment
// ("/{Sid}.json").
func concretePath(op *Operation, id string) string {
	return fillPath(op, func(name string) string {
		if id != "" {
			return id
		}
		return paramID(op, name)
	})
}

// paramID is a well-formed value of the path parameter name, else a
// placeholder.
func paramID(op *Operation, name string) string {
	for _, p := range op.PathParams() {
		if p.Name == name {
			sch := MergeAllOf(orEmpty(p.Schema))
			if w, ok := wellFormedID(sch); ok {
				return w
			}
			if f, _ := sch["format"].(string); formatSamples[f] != "" {
				return formatSamples[f]
			}
		}
	}
	return "errprobe-id"
}

var pathParam = regexp.MustCompile(`\{([^{}/]+)\}`)

func fillPath(op *Operation, value func(name string) string) string {
	return pathParam.ReplaceAllStringFunc(op.Path, func(m string) string { return value(m[1 : len(m)-1]) })
}

// methodProbe sends PATCH (else PUT) where the path documents neither:
// 405 (RFC 9110 §15.5.6); the Allow it must carry is judged on every 405
// (openapi.allow).
func methodProbe(op *Operation, documented []string, documents405 bool) checks.Probe {
	method := ""
	for _, m := range []string{"PATCH", "PUT"} {
		if !contains(documented, m) {
			method = m
			break
		}
	}
	c, _ := report.Lookup(report.OpenAPIMethod)
	pr := checks.Probe{Operation: op.Name(), Name: op.Path + " undocumented " + method, Suite: c.Suite, Check: report.OpenAPIMethod,
		Requests: []checks.ProbeRequest{{Method: method, Path: concretePath(op, ""), Key: "valid",
			Expect: checks.ProbeExpect{Rule: statusRule([]int{405})}}}}
	if !documents405 {
		pr.Guess = "405 for a method the document does not give the path (RFC 9110 §15.5.6), but no operation of the document lists 405"
	}
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
