package report

import (
	"net/http"
	"testing"
)

func answer(status int, ct, body string) *Exchange {
	return &Exchange{Response: &Response{Status: status, Header: http.Header{"Content-Type": {ct}}, Body: body}}
}

// sent is ex as the answer to a method request.
func sent(method string, ex *Exchange) *Exchange {
	ex.Request.Method = method
	return ex
}

// TestCauseOf_OneBehaviourOneCause: what one behaviour fails, across checks,
// is one cause.
func TestCauseOf_OneBehaviourOneCause(t *testing.T) {
	t.Parallel()
	html404, html500 := answer(404, "text/html; charset=utf-8", "<!DOCTYPE html>"), answer(500, "text/html", "<html>")
	numCode := answer(401, "application/json", `{"error":{"code":401,"message":"no key"}}`)
	numCode400 := answer(400, "application/json", `{"error":{"code":400,"message":"bad"}}`)
	noMsg := answer(400, "application/json", `{"error":{"code":"INVALID_JSON"}}`)
	noMsg401 := answer(401, "application/json", `{"error":{"code":"UNAUTHORIZED"}}`)
	got404 := answer(404, "application/json", `{"error":{"code":"NOT_FOUND","message":"x"}}`)
	noID := answer(400, "application/json", `{"error":{"code":"INVALID_JSON","message":"x"}}`)
	noID429 := answer(429, "application/json", `{"error":{"code":"RATE_LIMITED","message":"x"}}`)
	type testCase struct {
		name    string
		results []Result
		want    string
	}
	run := func(t *testing.T, tc testCase) {
		for _, r := range tc.results {
			key, text := CauseOf(r)
			first, _ := CauseOf(tc.results[0])
			if key != first {
				t.Errorf("%s: cause %q, want the same as %s's", r.Check, key, tc.results[0].Check)
			}
			if text != tc.want {
				t.Errorf("%s: cause text %q, want %q", r.Check, text, tc.want)
			}
		}
	}
	for _, tc := range []testCase{
		{"an HTML error page, whatever status", []Result{
			{Check: EnvelopeContentType, Exchange: html404, Message: "Content-Type: Content-Type text/html; charset=utf-8, want application/json"},
			{Check: EnvelopeJSON, Exchange: html500, Message: "body is not JSON: invalid character '<'"},
			{Check: MalformedTruncated, Exchange: html500, Expected: "400 INVALID_JSON", Actual: "500 (no error code, text/html)"},
			{Check: EnvelopeStatusMatch, Exchange: html404, Code: "NOT_FOUND"},
		}, "Content-Type text/html instead of JSON"},
		{"a code that is a number", []Result{
			{Check: EnvelopeSchema, Exchange: numCode400, Message: "/error/code: /error/code: got number, want string", Code: "400"},
			{Check: EnvelopeCodeKnown, Exchange: numCode, Message: `/error/code: code "401" at /error/code is not in the code table`, Code: "401"},
			{Check: AuthMissingKey, Exchange: numCode, Expected: "401 UNAUTHORIZED", Actual: "401 401", Code: "401"},
		}, "/error/code is a number"},
		{"a missing message", []Result{
			{Check: EnvelopeSchema, Exchange: noMsg, Message: "/error: /error: missing property 'message' (value {\"code\":\"INVALID_JSON\"})", Code: "INVALID_JSON"},
			{Check: EnvelopeMessage, Exchange: noMsg401, Message: "/error/message: message at /error/message is missing or empty", Code: "UNAUTHORIZED"},
			{Check: RateLimitEnvelope, Exchange: noMsg401, Message: "429 body breaks the envelope: /error: missing property 'message'"},
		}, "/error/message missing"},
		{"a wrong status", []Result{
			{Check: MalformedMethod, Exchange: got404, Expected: "405 METHOD_NOT_ALLOWED", Actual: "404 NOT_FOUND", Code: "NOT_FOUND"},
			{Check: MalformedMethodAllow, Exchange: got404, Expected: "405 with an Allow header", Actual: "404 NOT_FOUND", Code: "NOT_FOUND"},
		}, "status 404 instead of 405"},
		{"a missing header", []Result{
			{Check: EnvelopeRequestID, Exchange: noID, Message: "X-Request-Id: no X-Request-Id header"},
			{Check: RateLimitEnvelope, Exchange: noID429, Message: "429 body breaks the envelope: no X-Request-Id header"},
		}, "header X-Request-Id missing"},
		{"an extra member", []Result{
			{Check: EnvelopeSchema, Exchange: got404, Message: "body: additional properties 'hint' not allowed", Code: "NOT_FOUND"},
			{Check: EnvelopeConsistent, Expected: "{error}", Actual: "{error, hint}"},
		}, "member /hint not in the envelope"},
		{"a repeated key processed again, seen on the replay or in the list read after it", []Result{
			{Check: IdempotencyNoDuplicate, Suite: SuiteIdempotency, Exchange: sent(http.MethodPost, answer(201, "application/json", `{"id":"a"}`))},
			{Check: IdempotencyNoDuplicate, Suite: SuiteIdempotency, Exchange: sent(http.MethodGet, answer(200, "application/json", `{"total":2}`)),
				Setup: []*Exchange{sent(http.MethodPost, answer(201, "application/json", `{"id":"a"}`)), sent(http.MethodGet, answer(200, "application/json", `{"total":1}`))}},
			{Check: IdempotencyConcurrent, Suite: SuiteIdempotency, Exchange: sent(http.MethodPost, answer(201, "application/json", `{"id":"b"}`))},
		}, "a repeated idempotency key processed again (201)"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestCauseOf_TwoBehavioursTwoCauses: different behaviours are never one
// cause, even on one check.
func TestCauseOf_TwoBehavioursTwoCauses(t *testing.T) {
	t.Parallel()
	pairs := [][2]Result{
		{{Check: EnvelopeContentType, Exchange: answer(404, "text/html", "<html>")},
			{Check: EnvelopeContentType, Exchange: answer(429, "text/plain", "Too Many Requests")}},
		{{Check: AuthMissingKey, Exchange: answer(200, "application/json", "{}"), Expected: "401 UNAUTHORIZED"},
			{Check: MalformedMethod, Exchange: answer(404, "application/json", `{"error":{"code":"NOT_FOUND"}}`), Expected: "405 METHOD_NOT_ALLOWED"}},
		{{Check: EnvelopeMessage, Exchange: answer(400, "application/json", `{"error":{"code":"X"}}`), Message: "/error/message: missing or empty"},
			{Check: EnvelopeMessage, Exchange: answer(400, "application/json", `{"error":{"code":"X","message":""}}`), Message: "/error/message: missing or empty"}},
		{{Check: EnvelopeCodeKnown, Exchange: answer(404, "application/json", `{"error":{"code":"GONE"}}`), Message: `/error/code: code "GONE"`, Code: "GONE"},
			{Check: EnvelopeCodeKnown, Exchange: answer(404, "application/json", `{"error":{"code":"MISSING"}}`), Message: `/error/code: code "MISSING"`, Code: "MISSING"}},
		{{Check: AuthWWWAuthenticate, Exchange: answer(401, "application/json", "{}"), Message: "401 without WWW-Authenticate (RFC 9110 §11.6.1)"},
			{Check: EnvelopeRequestID, Exchange: answer(401, "application/json", "{}"), Message: "X-Request-Id: no X-Request-Id header"}},
		{{Check: EnvelopeNoLeak, Exchange: answer(500, "text/html", "panic: x"), Message: `body leaks a Go panic: "panic: x"`},
			{Check: EnvelopeJSON, Exchange: answer(500, "text/html", "panic: x")}},
	}
	for _, p := range pairs {
		a, at := CauseOf(p[0])
		b, bt := CauseOf(p[1])
		if a == b {
			t.Errorf("%s and %s are one cause %q (%q)", p[0].Check, p[1].Check, at, bt)
		}
	}
}
