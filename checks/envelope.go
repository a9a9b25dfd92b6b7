package checks

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// perProbeEnvelope are the envelope checks applied to each probe's error
// responses, in report order.
var perProbeEnvelope = []string{
	report.EnvelopeContentType, report.EnvelopeJSON, report.EnvelopeSchema, report.EnvelopeCodeKnown,
	report.EnvelopeStatusMatch, report.EnvelopeMessage, report.EnvelopeRequestID, report.EnvelopeNoLeak, report.EnvelopeHeaders,
}

// isError reports an error response with a body to judge (a HEAD
// response has none).
func isError(ex *report.Exchange) bool {
	return ex != nil && ex.Response != nil && ex.Response.Status >= 400 && ex.Request.Method != http.MethodHead
}

// runSkip says why a per-probe envelope check cannot apply to this profile
// at all; such a check is reported skipped once, for the run, not per probe.
func runSkip(p *schemas.Profile, id string) string {
	switch {
	case id == report.EnvelopeHeaders && !promisesCodeHeaders(p):
		return "no codes.X.headers in the profile (no header promises per code)"
	case id == report.EnvelopeCodeKnown && p.Envelope.Code == "":
		return "envelope.code not set (the profile's errors carry no code)"
	case id == report.EnvelopeMessage && p.Envelope.Message == "":
		return "envelope.message not set (the profile's open envelope names no message member)"
	}
	return ""
}

// runSkips are the run-level skips of the envelope checks runSkip names.
func (s *session) runSkips(want func(string) bool) []report.Result {
	var out []report.Result
	for _, id := range perProbeEnvelope {
		if msg := runSkip(s.p, id); msg != "" && want(id) {
			r := newResult(id, "run", report.StatusSkip)
			r.Message = msg
			out = append(out, r)
		}
	}
	return out
}

func promisesCodeHeaders(p *schemas.Profile) bool {
	for _, c := range p.Codes {
		if len(c.Headers) > 0 {
			return true
		}
	}
	return false
}

func promisesRequestID(p *schemas.Profile) bool {
	return p.RequestID.Header != "" || p.RequestIDPointer() != ""
}

// envelopeResults checks every error response of one probe against the
// envelope and returns one result per envelope check.
// probeGuess, when set, is the guess every step's expectation rests on
// (init's unknown_route, or its 405 for a document that lists none): the
// request is one the profile's source never describes, so a body there
// that is no JSON at all breaks the envelope only on that guess.
func (s *session) envelopeResults(probe, probeGuess string, exs []*report.Exchange, want func(string) bool) []report.Result {
	first := map[string]*schemas.Violation{}
	firstEx := map[string]*report.Exchange{}
	guess := map[string]string{}
	// shapeSample: a JSON body held to the envelope's shape (shapeRule).
	var sample, jsonSample, shapeSample *report.Exchange
	for _, ex := range exs {
		if !isError(ex) || s.documentedNotJSON(ex) {
			continue
		}
		if sample == nil {
			sample = ex
		}
		free := s.validationShapeOnly(ex)
		if jsonSample == nil && jsonBody(ex) {
			jsonSample = ex
		}
		if shapeSample == nil && jsonBody(ex) && !free {
			shapeSample = ex
		}
		vs := s.contract.CheckError(toSchemaExchange(ex))
		if s.ownDocumentedSchema(ex, vs) {
			continue // with --openapi, its status keeps its own documented error schema
		}
		g := ""
		if len(vs) > 0 {
			g = s.envelopeGuess(ex)
			if g == "" && probeGuess != "" && !jsonBody(ex) {
				g = "the probe's expectation is itself a guess (" + probeGuess + "); nothing promises a JSON error body there"
			}
		}
		for _, v := range vs {
			if free && shapeRule(v.Rule) {
				continue // the document's validation schema says nothing of this body
			}
			// A failure the document backs comes before one resting on a guess.
			if _, seen := first[v.Rule]; !seen || (guess[v.Rule] != "" && g == "") {
				v := v
				first[v.Rule], firstEx[v.Rule], guess[v.Rule] = &v, ex, g
			}
		}
	}
	if sample == nil {
		// Skipped rather than left out: every run of a profile reports the
		// same set of results, whatever came back.
		return s.envelopeSkips(probe, "no error response to check", want)
	}
	var out []report.Result
	for _, id := range perProbeEnvelope {
		if !want(id) {
			continue
		}
		r := newResult(id, probe, report.StatusPass)
		r.Exchange = sample
		if jsonSample != nil && s.needsJSON(id) {
			r.Exchange = jsonSample
		}
		if jsonSample != nil && shapeRule(id) {
			r.Exchange = shapeSample
		}
		if id == report.EnvelopeRequestID && !promisesRequestID(s.p) {
			r.Status, r.Exchange, r.Message = report.StatusSkip, nil, "request_id not set (the profile promises no request id)"
		} else if runSkip(s.p, id) != "" {
			continue // reported once for the run (runSkips)
		} else if jsonSample != nil && shapeSample == nil && shapeRule(id) {
			r.Status, r.Exchange, r.Message = report.StatusSkip, nil, "no error body the document describes: it gives its error schema "+
				"to validation errors (400/422) only, so other bodies are not held to it"
		} else if jsonSample == nil && s.needsJSON(id) {
			r.Status, r.Exchange, r.Message = report.StatusSkip, nil, "no JSON error body to check (every error response failed envelope.json)"
		} else if v := first[id]; v != nil {
			r.Status, r.Exchange = report.StatusFail, firstEx[id]
			r.Message = v.Message
			if v.Path != "" && !strings.HasPrefix(v.Message, v.Path) { // "Content-Type text/html, want …" names its path
				r.Message = v.Path + ": " + v.Message
			}
			r.Actual = describe(firstEx[id], s.code(firstEx[id]))
			if id == report.EnvelopeHeaders {
				r.Header = v.Message // which header is missing or wrong: part of the cause
			}
			if g := guess[id]; g != "" && id != report.EnvelopeNoLeak {
				r.Guess = g
				r.Message += " (a guess: " + g + ")"
			}
		}
		out = append(out, r)
	}
	return out
}

// needsJSON: the check reads members of a parsed error body, so a probe
// whose error bodies are none of them JSON gives it no evidence.
func (s *session) needsJSON(id string) bool {
	switch id {
	case report.EnvelopeSchema, report.EnvelopeCodeKnown, report.EnvelopeStatusMatch, report.EnvelopeMessage:
		return true
	case report.EnvelopeRequestID:
		return s.p.RequestID.Header == ""
	}
	return false
}

// jsonBody: the response's body arrived whole and parses as JSON.
func jsonBody(ex *report.Exchange) bool {
	return ex.Response != nil && !ex.Response.Truncated && json.Valid([]byte(ex.Response.Body))
}

func toSchemaResponse(r *report.Response) schemas.Response {
	return schemas.Response{Status: r.Status, Header: r.Header, Body: []byte(r.Body)}
}

// toSchemaExchange is the response with its request's method and path, so a
// code with per-route statuses is judged on the request's route.
func toSchemaExchange(ex *report.Exchange) schemas.Response {
	r := toSchemaResponse(ex.Response)
	r.Method = ex.Request.Method
	if u, err := url.Parse(ex.Request.URL); err == nil {
		r.Path = u.Path
	}
	return r
}

// requestID reads the request id of a response: the promised header, else
// the promised body member.
func (s *session) requestID(ex *report.Exchange) string {
	if h := s.p.RequestID.Header; h != "" {
		if v := ex.Response.Header.Get(h); v != "" {
			return v
		}
	}
	return s.fields(ex).RequestID
}

// uniqueRequestIDs is the run-level check that no two error responses share
// a request id.
func (s *session) uniqueRequestIDs(exs []*report.Exchange) report.Result {
	r := newResult(report.EnvelopeRequestIDUniq, "run", report.StatusPass)
	if !promisesRequestID(s.p) {
		r.Status, r.Message = report.StatusSkip, "request_id not set (the profile promises no request id)"
		return r
	}
	seen := map[string]int{}
	var dup *report.Exchange
	dupID := ""
	for _, ex := range exs {
		if !isError(ex) {
			continue
		}
		id := s.requestID(ex)
		if id == "" {
			continue
		}
		seen[id]++
		if seen[id] == 2 && dup == nil {
			dup, dupID = ex, id
		}
	}
	switch {
	case len(seen) == 0:
		r.Status, r.Message = report.StatusSkip, "no request ids seen to compare"
	case dup != nil:
		r.Status, r.Exchange = report.StatusFail, dup
		r.Message = fmt.Sprintf("request id %q was returned on %d responses", dupID, seen[dupID])
		r.Expected, r.Actual = "a distinct id per response", fmt.Sprintf("%q repeated", dupID)
	}
	return r
}

// consistentShape is the run-level check that every JSON error body has the
// same top-level members (the details member may come and go).
func (s *session) consistentShape(exs []*report.Exchange) report.Result {
	r := newResult(report.EnvelopeConsistent, "run", report.StatusPass)
	optional := optionalMembers(s.p)
	shapes := map[string]*report.Exchange{}
	var order []string
	for _, ex := range exs {
		if !isError(ex) {
			continue
		}
		var m map[string]json.RawMessage
		if json.Unmarshal([]byte(ex.Response.Body), &m) != nil {
			continue
		}
		if s.contract.OwnSchema(ex.Response.Status, s.fields(ex)) {
			continue // its code documents another body (codes.X.schema)
		}
		if s.documentedBody(ex) {
			continue // with --openapi, its status's own documented schema documents it
		}
		var keys []string
		for k := range m {
			if !optional[k] {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		shape := "{" + strings.Join(keys, ", ") + "}"
		if _, ok := shapes[shape]; !ok {
			shapes[shape] = ex
			order = append(order, shape)
		}
	}
	switch len(order) {
	case 0:
		r.Status, r.Message = report.StatusSkip, "no JSON error bodies to compare"
	case 1:
	default:
		r.Status, r.Exchange = report.StatusFail, shapes[order[1]]
		r.Message = fmt.Sprintf("error bodies come in %d shapes: %s", len(order), strings.Join(order, " vs "))
		r.Expected, r.Actual = order[0], order[1]
	}
	return r
}

// optionalMembers are top-level members an error body may carry or omit:
// the details member when it sits at the top level, and RFC 9457's optional
// members for problem+json.
func optionalMembers(p *schemas.Profile) map[string]bool {
	opt := map[string]bool{}
	if d := p.Envelope.Details; strings.Count(d, "/") == 1 {
		opt[strings.TrimPrefix(d, "/")] = true
	}
	if c := p.Envelope.Code; !p.Envelope.CodeOptional.IsZero() && strings.Count(c, "/") == 1 {
		opt[strings.TrimPrefix(c, "/")] = true // some errors carry no code
	}
	for _, ct := range p.Envelope.ContentTypes {
		if strings.Contains(ct, "problem+json") {
			opt["detail"], opt["instance"] = true, true
		}
	}
	return opt
}
