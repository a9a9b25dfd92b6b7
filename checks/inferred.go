package checks

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// What a profile init wrote from the document infers beyond it. Such a
// profile's envelope is the error schema the document gives some of its
// error responses. Held to a body the document does not describe, it is
// errprobe's inference, not the document's word, where the body is no
// JSON at all (a framework's HTML page for an unknown route or an unrouted
// method: the document promises JSON only for the errors it documents):
// with --openapi those failures are guesses (graded warning, never
// gating). Where the document gives that schema to its validation errors
// only (a framework's generated document: only the validator's 422, while
// the framework answers 401/403/404/405 in its own shape), a JSON body it
// does not describe is not held to the schema, message or code at all. A JSON error
// body that breaks an envelope the document gives its errors in general,
// and any profile whose envelope is not one of the document's error
// schemas (stating its own contract), are judged as written.

// envelopeSource reports whether the profile's envelope schema, or where
// it is open ({}) one of its status schemas, is one of the error schemas
// the document gives
// (init --from-openapi copied it), and whether the document gives those
// schemas to validation errors (400, 422) only.
func envelopeSource(env schemas.Envelope, api *OpenAPI) (read, validationOnly bool) {
	if api == nil {
		return false, false
	}
	want := map[string]bool{}
	given := []any{env.Schema}
	if m, ok := env.Schema.(map[string]any); ok && len(m) == 0 {
		// An open envelope: the document's schemas are the statuses' own.
		given = append(given, slices.Collect(maps.Values(env.StatusSchemas))...)
	}
	for _, sch := range given {
		if m, ok := sch.(map[string]any); ok && len(m) > 0 {
			if b, err := json.Marshal(m); err == nil {
				want[string(b)] = true
			}
		}
	}
	validationOnly = true
	for _, op := range api.Operations {
		for key, r := range op.Responses {
			if r.Schema == nil || key == "" || (key[0] != '4' && key[0] != '5' && key != "default") {
				continue
			}
			if got, err := json.Marshal(r.Schema); err == nil && want[string(got)] {
				read = true
				validationOnly = validationOnly && (key == "400" || key == "422")
			}
		}
	}
	return read, read && validationOnly
}

// undescribed says, for a profile whose envelope the document gave, why a
// response's body is outside what the document describes: its request
// matches no operation (an unknown route, an undocumented method) or its
// operation gives its status no body. "" when the document describes it.
func (s *session) undescribed(ex *report.Exchange) string {
	if !s.envelopeRead || ex == nil || ex.Response == nil {
		return ""
	}
	op := s.operationFor(ex.Request)
	if op == nil {
		return fmt.Sprintf("the document does not describe %s %s, so nothing it says applies to the %d",
			ex.Request.Method, s.routeOf(ex.Request.URL), ex.Response.Status)
	}
	if _, doc, ok := documentedFor(op, ex.Response.Status); ok && (doc.Schema != nil || doc.ContentType != "") {
		return ""
	}
	return fmt.Sprintf("%s documents no body for %d", op.Name, ex.Response.Status)
}

// envelopeGuess is why an envelope failure on ex rests on a guess: the
// profile's envelope (the document's error schema) held to a body the
// document does not describe that is no JSON. "" when the failure does not
// rest on a guess.
func (s *session) envelopeGuess(ex *report.Exchange) string {
	why := s.undescribed(ex)
	if why == "" || jsonBody(ex) {
		return ""
	}
	return why + "; the document promises a JSON error body only where it documents one"
}

// validationShapeOnly reports whether ex's body is not held to the
// envelope's shape (schema, message, code): the document gives its error
// schema to validation errors (400/422) only, and ex is a JSON body it
// does not describe (a framework's own 401/403/404/405), whose status has
// no schema of its own in the profile.
func (s *session) validationShapeOnly(ex *report.Exchange) bool {
	return s.envelopeValidation && jsonBody(ex) && s.undescribed(ex) != "" &&
		s.p.Envelope.StatusSchemas[strconv.Itoa(ex.Response.Status)] == nil
}

// shapeRule: the envelope rules a body's shape decides.
func shapeRule(rule string) bool {
	switch rule {
	case report.EnvelopeSchema, report.EnvelopeMessage, report.EnvelopeCodeKnown, report.EnvelopeStatusMatch:
		return true
	}
	return false
}

// markInferred grades as guesses the failures of the profile's own probes
// whose expectation the document does not make: an unknown route's (no
// document describes one) and, where no operation lists 405, an
// undocumented method's default 405.
func (s *session) markInferred(rs []report.Result) {
	for i := range rs {
		r := &rs[i]
		if r.Status != report.StatusFail || r.Guess != "" || r.Exchange == nil {
			continue
		}
		why := ""
		switch r.Check {
		case report.ResourcesUnknownRoute:
			why = s.undescribed(r.Exchange)
		case report.MalformedMethod:
			if _, set := s.p.Expectation(schemas.ExpectMethodNotAllowed); !set && !s.lists405() {
				why = s.undescribed(r.Exchange)
			}
		}
		if why != "" {
			r.Guess = why + "; the expectation is the profile's"
			r.Message += " (a guess: " + r.Guess + ")"
		}
	}
}

// expectationGuess is the guess a probe's expectation rests on where every
// step's rests on one ("" otherwise): init marks unknown_route, and the
// default 405 of a document that lists none, so.
func (s *session) expectationGuess(p Probe) string {
	g := ""
	for _, r := range p.Requests {
		e, ok := s.expectationOf(r.Expect)
		if !ok {
			return ""
		}
		if g = e.guess(); g == "" {
			return ""
		}
	}
	return g
}

// lists405 reports whether any operation of the document lists 405 (none
// without a document).
func (s *session) lists405() bool {
	if s.cfg.OpenAPI == nil {
		return false
	}
	for _, op := range s.cfg.OpenAPI.Operations {
		if _, ok := op.Responses[strconv.Itoa(http.StatusMethodNotAllowed)]; ok {
			return true
		}
	}
	return false
}

// routeOf is a request URL's path below the base URL, without its query.
func (s *session) routeOf(url string) string {
	path, _, _ := strings.Cut(strings.TrimPrefix(url, s.base), "?")
	return path
}
