package checks

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// documentedResults checks every response of a probe against its
// operation's documented responses (runs with --openapi): the status is
// documented (or covered by 4XX/default), the body validates against that
// status's schema, the headers documented as required are present.
func (s *session) documentedResults(probe string, exs []*report.Exchange, want func(string) bool) []report.Result {
	if s.cfg.OpenAPI == nil {
		return nil
	}
	var out []report.Result
	for _, ex := range exs {
		if ex.Response == nil {
			continue
		}
		for _, r := range s.rfcResults(probe, ex) {
			if want(r.Check) {
				out = append(out, r)
			}
		}
		op := s.operationFor(ex.Request)
		if op == nil {
			continue // a request the document does not describe (a wrong method, an unknown route)
		}
		key, doc, ok := documentedFor(op, ex.Response.Status)
		add := func(r report.Result) {
			if want(r.Check) {
				r.Operation = op.Name
				out = append(out, r)
			}
		}
		if !ok {
			r := newResult(report.OpenAPIStatus, probe, report.StatusFail)
			r.Exchange, r.Expected, r.Actual = ex, "one of "+strings.Join(statusKeys(op), ", "), strconv.Itoa(ex.Response.Status)
			r.Message = fmt.Sprintf("%s answered %d, which the document does not list for it", op.Name, ex.Response.Status)
			add(r)
			continue
		}
		r := newResult(report.OpenAPIStatus, probe, report.StatusPass)
		r.Exchange = ex
		add(r)
		if doc.Schema != nil && ex.Request.Method != "HEAD" {
			add(s.schemaResult(probe, op, key, doc, ex))
		}
		if len(doc.Headers) > 0 {
			add(headersResult(probe, op, key, doc, ex))
		}
	}
	return out
}

// documentedFor finds the response documenting status: the status itself,
// its class (4XX), else default.
func documentedFor(op *Operation, status int) (string, DocumentedResponse, bool) {
	for _, k := range []string{strconv.Itoa(status), strconv.Itoa(status/100) + "XX", "default"} {
		if k == "default" && status/100 == 2 && listsSuccess(op) {
			break // an operation that lists its successes leaves default to the rest: errors
		}
		if r, ok := op.Responses[k]; ok {
			return k, r, true
		}
	}
	if _, ok := op.Implied[status]; ok {
		return strconv.Itoa(status), DocumentedResponse{}, true
	}
	return "", DocumentedResponse{}, false
}

// listsSuccess reports whether the operation documents a 2xx explicitly.
func listsSuccess(op *Operation) bool {
	for k := range op.Responses {
		if strings.HasPrefix(k, "2") {
			return true
		}
	}
	return false
}

func statusKeys(op *Operation) []string {
	keys := make([]string, 0, len(op.Responses))
	for k := range op.Responses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s *session) schemaResult(probe string, op *Operation, key string, doc DocumentedResponse, ex *report.Exchange) report.Result {
	v, err := s.validator(op, key, doc)
	if err != nil {
		r := newResult(report.OpenAPISchema, probe, report.StatusSkip)
		r.Message = "the documented schema does not compile: " + err.Error()
		return r
	}
	if err := v.Validate([]byte(ex.Response.Body)); err != nil {
		r := newResult(report.OpenAPISchema, probe, report.StatusFail)
		r.Exchange, r.Expected, r.Actual = ex, "a body valid against the "+key+" schema of "+op.Name, err.Error()
		r.Message = fmt.Sprintf("the %d body does not validate against the documented %s schema: %v", ex.Response.Status, key, err)
		return r
	}
	if fv, err := s.validator(op, key+" formats", doc, schemas.AssertFormats(schemas.AssertedFormats()...)); err == nil {
		if err := fv.Validate([]byte(ex.Response.Body)); err != nil {
			r := newResult(report.OpenAPISchema, probe, report.StatusFail)
			r.Exchange, r.Expected, r.Actual = ex, "a body valid against the "+key+" schema of "+op.Name+", formats included", err.Error()
			r.Message = fmt.Sprintf("the %d body breaks a format the documented %s schema states: %v (a guess: %s)", ex.Response.Status, key, err, formatGuess)
			r.Guess = formatGuess
			return r
		}
	}
	r := newResult(report.OpenAPISchema, probe, report.StatusPass)
	r.Exchange = ex
	return r
}

// formatGuess is why a body breaking only a stated format fails as a guess
// (graded warning unless the profile states openapi.schema's severity):
// the document states the format, but JSON Schema leaves format an
// annotation a server need not keep.
const formatGuess = "the document states the format, but JSON Schema (2020-12 §7.2) leaves format an annotation"

// validator compiles (once per operation and status, and per key suffix
// for other options) a documented schema.
func (s *session) validator(op *Operation, key string, doc DocumentedResponse, opts ...schemas.CompileOption) (*schemas.Validator, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := op.Name + " " + key
	if s.validators == nil {
		s.validators = map[string]validatorOrErr{}
	}
	if v, ok := s.validators[id]; ok {
		return v.v, v.err
	}
	v, err := schemas.CompileSchema(strings.NewReplacer(" ", "_", "/", "_", "{", "", "}", "").Replace(id), doc.Schema, opts...)
	s.validators[id] = validatorOrErr{v, err}
	return v, err
}

type validatorOrErr struct {
	v   *schemas.Validator
	err error
}

func headersResult(probe string, op *Operation, key string, doc DocumentedResponse, ex *report.Exchange) report.Result {
	var missing []string
	for _, h := range doc.Headers {
		if ex.Response.Header.Get(h) == "" {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		r := newResult(report.OpenAPIHeaders, probe, report.StatusFail)
		r.Exchange, r.Expected, r.Actual = ex, strings.Join(doc.Headers, ", "), "missing "+strings.Join(missing, ", ")
		r.Message = fmt.Sprintf("the %d response lacks %s, documented as required for %s of %s", ex.Response.Status,
			strings.Join(missing, ", "), key, op.Name)
		return r
	}
	r := newResult(report.OpenAPIHeaders, probe, report.StatusPass)
	r.Exchange = ex
	return r
}

// nameOperations fills each result's Operation: the probe's own, else the
// operation its exchange was for.
func (s *session) nameOperations(rs []report.Result, operation string) {
	for i := range rs {
		if rs[i].Operation != "" {
			continue
		}
		if operation != "" {
			rs[i].Operation = operation
		} else if rs[i].Exchange != nil {
			if op := s.operationFor(rs[i].Exchange.Request); op != nil {
				rs[i].Operation = op.Name
			}
		}
	}
}

// documentedNotJSON reports whether, with --openapi, the document gives the
// response's status a media type that is not JSON (an HTML error page, a
// text body): the profile's JSON envelope does not apply to it; each status
// keeps its own documented body.
func (s *session) documentedNotJSON(ex *report.Exchange) bool {
	if s.cfg.OpenAPI == nil || ex.Response == nil {
		return false
	}
	op := s.operationFor(ex.Request)
	if op == nil {
		return false
	}
	_, doc, ok := documentedFor(op, ex.Response.Status)
	if !ok || doc.ContentType == "" {
		return false
	}
	mt, _, _ := strings.Cut(strings.ToLower(doc.ContentType), ";")
	mt = strings.TrimSpace(mt)
	return mt != "application/json" && !strings.HasSuffix(mt, "+json")
}

// skipUndocumented skips, with --openapi, the profile's stateful probes
// whose expectation the document does not make: the burst (the document
// states no limit to reach unless the profile sets
// rate_limit.burst.max_requests, and its route must document 429) and the
// duplicate create (its operation must document 409).
func (s *session) skipUndocumented(plan []Probe) {
	if s.cfg.OpenAPI == nil {
		return
	}
	for i := range plan {
		if plan[i].Skip != "" {
			continue
		}
		switch {
		case plan[i].Name == "burst":
			plan[i].Skip = s.undocumentedLimit()
		case plan[i].Check == report.ResourcesConflict:
			plan[i].Skip = s.undocumentedStatus(createMethod(s.p)+" "+s.p.Endpoints.Create.Path, http.StatusConflict, "a duplicate create")
		}
	}
}

// undocumentedLimit says why the burst has no evidence to run on; "" when
// it has.
func (s *session) undocumentedLimit() string {
	if s.cfg.OpenAPI.NoRateLimit != "" {
		return s.cfg.OpenAPI.NoRateLimit
	}
	route := s.p.RateLimit.Route
	if route == "" {
		route = s.p.Endpoints.List
	}
	if why := s.undocumentedStatus(route, http.StatusTooManyRequests, "a limit reached there"); why != "" {
		return why
	}
	if !s.p.RateLimit.Burst.Stated {
		return "the document states no limit to reach (OpenAPI has no field for it): set rate_limit.burst.max_requests to run the burst"
	}
	return ""
}

// undocumentedStatus says why route (METHOD /path) cannot be expected to
// answer status: its documented operation does not list it; "" when it
// does or the route is not documented.
func (s *session) undocumentedStatus(route string, status int, what string) string {
	if strings.TrimSpace(route) == "" {
		return ""
	}
	method, path := endpoint(route)
	op := s.operationFor(report.Request{Method: method, URL: s.base + path})
	if op == nil {
		return ""
	}
	if _, ok := op.Responses[strconv.Itoa(status)]; ok {
		return ""
	}
	return fmt.Sprintf("%s documents no %d: %s would contradict the document", op.Name, status, what)
}

// documentedBody reports whether, with --openapi, the body validates
// against the schema the document gives its operation and status: each
// status keeps its own error schema, so such a body's shape is documented.
func (s *session) documentedBody(ex *report.Exchange) bool {
	if s.cfg.OpenAPI == nil || ex.Response == nil {
		return false
	}
	op := s.operationFor(ex.Request)
	if op == nil {
		return false
	}
	key, doc, ok := documentedFor(op, ex.Response.Status)
	if !ok || doc.Schema == nil {
		return false
	}
	v, err := s.validator(op, key, doc)
	return err == nil && v.Validate([]byte(ex.Response.Body)) == nil
}

// ownDocumentedSchema reports whether an error body that breaks the
// profile's envelope schema validates against the schema the document
// gives its own status (Box's and DigitalOcean's several error schemas):
// the envelope checks leave it to openapi.schema.
func (s *session) ownDocumentedSchema(ex *report.Exchange, vs []schemas.Violation) bool {
	broken := false
	for _, v := range vs {
		if v.Rule == report.EnvelopeSchema {
			broken = true
		}
	}
	return broken && s.documentedBody(ex)
}
