package reporters

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/errprobe/errprobe/gate"
	"github.com/errprobe/errprobe/report"
)

// The masked form of testKey; the raw key must never appear in any output.
const (
	testKey    = "ek_live_9f8e7d6c5b4a39281716a2345"
	maskedKey  = "****"
	testBase   = "http://127.0.0.1:4242"
	testHost   = "ci-runner-1"
	testTool   = "errprobe"
	testVer    = "1.2.3"
	testStart  = "2026-11-22T02:00:00Z"
	testLength = 2345 * time.Millisecond
)

func started() time.Time {
	t, err := time.Parse(time.RFC3339, testStart)
	if err != nil {
		panic(err)
	}
	return t
}

func authed(method, path, body string) report.Request {
	h := http.Header{
		"Authorization": {"Bearer " + maskedKey},
		"User-Agent":    {"errprobe/1.2.3"},
	}
	if body != "" {
		h.Set("Content-Type", "application/json")
	}
	return report.Request{Method: method, URL: testBase + path, Header: h, Body: body, KeyHeader: "Authorization", KeyEnv: "ERRPROBE_API_KEY"}
}

func jsonResponse(status int, body string) *report.Response {
	return &report.Response{
		Status: status, Proto: "HTTP/1.1",
		Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req_01"}},
		Body:   body,
	}
}

// fixedReport is the fixed result set every golden file renders: passes,
// an error and a warning failure, a known failure, a fixed entry, skips,
// hostile text, leftovers and a burst.
func fixedReport() *report.Report {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	return &report.Report{
		Tool: testTool, Version: testVer, Profile: "erzycall", ProfileFile: "errprobe.yaml", BaseURL: testBase,
		Started: started(), Finished: started().Add(testLength), Requests: 87,
		Results: []report.Result{
			{Check: "envelope.schema", Suite: "envelope", Severity: report.SeverityError, Probe: "unknown-id", Status: report.StatusPass, Duration: ms(3)},
			{Check: "envelope.schema", Suite: "envelope", Severity: report.SeverityError, Probe: "revoked-key", Status: report.StatusPass, Duration: ms(2)},
			{
				Check: "envelope.schema", Suite: "envelope", Severity: report.SeverityError, Probe: "truncated-json", Status: report.StatusFail,
				Message:  "body does not validate against the envelope schema: /error: missing property 'message'",
				Expected: "an envelope with code and message", Actual: `{"error":{"code":"MALFORMED_JSON"}}`,
				Exchange: &report.Exchange{
					Request:  authed("POST", "/v1/calls", `{"name":`),
					Response: jsonResponse(400, `{"error":{"code":"MALFORMED_JSON"}}`),
					Duration: ms(4),
				},
				Duration: ms(4),
			},
			{
				Check: "envelope.consistent-shape", Suite: "envelope", Severity: report.SeverityWarning, Probe: "unknown-id", Status: report.StatusFail,
				Message:  "404 bodies carry an extra top-level member",
				Expected: "members [error]", Actual: "members [error hint]",
				Exchange: &report.Exchange{
					Request:  authed("GET", "/v1/calls/call_0000000000000000", ""),
					Response: jsonResponse(404, `{"error":{"code":"NOT_FOUND","message":"no such call"},"hint":"it's <gone> & \"done\""}`),
					Duration: ms(2),
				},
				Duration: ms(1),
			},
			{
				Check: "envelope.no-leak", Suite: "envelope", Severity: report.SeverityError, Probe: "wrong-type", Status: report.StatusFail,
				Message:  "message leaks a stack trace: \"goroutine 1 [running]:\\nmain.go:42\"\x1b[31m\x00\xff",
				Expected: "no stack trace", Actual: "goroutine 1 [running]:\nmain.main()\n\t/home/ci/app/main.go:42 +0x1d\x07",
				Exchange: &report.Exchange{
					Request: authed("POST", "/v1/calls", `[1,2]`),
					Response: &report.Response{
						Status: 500, Proto: "HTTP/1.1", Header: http.Header{"Content-Type": {"application/json"}},
						Body: "{\"error\":{\"code\":\"INTERNAL_ERROR\",\"message\":\"goroutine 1 [running]:\\n\x01\x02\xfe\"}}", Truncated: true,
					},
				},
				Duration: ms(5),
			},
			{
				Check: "envelope.content-type", Suite: "envelope", Severity: report.SeverityError, Probe: "not-json", Status: report.StatusFail,
				Message: "Content-Type text/html is not one the profile accepts", Expected: "application/json", Actual: "text/html",
				Exchange: htmlExchange("POST", "/v1/calls", "hello"), Duration: ms(1),
			},
			{
				Check: "envelope.content-type", Suite: "envelope", Severity: report.SeverityError, Probe: "empty-body", Status: report.StatusFail,
				Message: "Content-Type text/html is not one the profile accepts", Expected: "application/json", Actual: "text/html",
				Exchange: htmlExchange("POST", "/v1/calls", ""), Duration: ms(1),
			},
			{Check: "auth.missing-key", Suite: "auth", Severity: report.SeverityError, Probe: "missing-key", Status: report.StatusPass, Duration: ms(2)},
			{
				Check: "auth.revoked-key", Suite: "auth", Severity: report.SeverityError, Probe: "revoked-key", Status: report.StatusFail, Known: true,
				Message:  "revoked key was accepted",
				Expected: "401 REVOKED_KEY", Actual: "200",
				Exchange: &report.Exchange{
					Request:  report.Request{Method: "GET", URL: testBase + "/v1/calls", Header: http.Header{"Authorization": {"Bearer ****"}}, KeyHeader: "Authorization", KeyEnv: "ERRPROBE_REVOKED_KEY"},
					Response: jsonResponse(200, `{"data":[]}`),
				},
				Duration: ms(2),
			},
			{Check: "auth.expired-key", Suite: "auth", Severity: report.SeverityError, Probe: "expired-key", Status: report.StatusPass, Fixed: true, Duration: ms(2)},
			{Check: "auth.missing-scope", Suite: "auth", Severity: report.SeverityError, Probe: "missing-scope", Status: report.StatusSkip, Message: "no key without the scope configured (keys.no_scope)"},
			{
				Check: "auth.key-in-query", Suite: "auth", Severity: report.SeverityError, Probe: "key-in-query", Status: report.StatusFail,
				Message:  "a key in the query string was accepted",
				Expected: "401 MISSING_KEY", Actual: "200",
				Exchange: &report.Exchange{
					Request:  report.Request{Method: "GET", URL: testBase + "/v1/calls?limit=1&api_key=" + maskedKey, KeyHeader: QueryKeyPrefix + "api_key", KeyEnv: "ERRPROBE_API_KEY"},
					Response: jsonResponse(200, `{"data":[]}`),
				},
				Duration: ms(3),
			},
			{
				Check: "resources.unknown-route", Suite: "resources", Severity: report.SeverityError, Probe: "unknown-route", Status: report.StatusFail,
				Message:  "connection reset",
				Expected: "404 NOT_FOUND", Actual: "no response",
				Exchange: &report.Exchange{Request: authed("GET", "/v1/it's-not-here", ""), Err: "read tcp 127.0.0.1:4242: connection reset by peer"},
				Duration: ms(1),
			},
			{
				Check: "resources.tenant-breach", Suite: "resources", Severity: report.SeverityError, Probe: "cross-tenant", Status: report.StatusFail,
				Message:  "another organisation's resource was served: tenant isolation is broken",
				Expected: "404", Actual: "200", Code: "",
				Setup: []*report.Exchange{{
					Request:  authed("POST", "/v1/calls", `{"to":"+15550100"}`),
					Response: jsonResponse(201, `{"id":"call_9"}`),
				}},
				Exchange: &report.Exchange{Request: authed("GET", "/v1/calls/call_9", ""), Response: jsonResponse(200, `{"id":"call_9"}`)},
				Duration: ms(3),
			},
			{Check: "ratelimit.reached", Suite: "ratelimit", Severity: report.SeverityError, Probe: "burst", Status: report.StatusPass, Duration: ms(1200)},
			{Check: "ratelimit.recovery", Suite: "ratelimit", Severity: report.SeverityError, Probe: "recovery", Status: report.StatusSkip, Message: "the recovery wait exceeds max_wait"},
		},
		Leftovers: []string{testBase + "/v1/calls/call_123"},
		Backoffs: []report.Backoff{
			{Request: "GET " + testBase + "/v1/calls", Wait: ms(1000), Status: 429},
			{Request: "POST " + testBase + "/v1/calls", Wait: ms(500), Status: 503, Note: "Retry-After: 1"},
		},
		RateAdvice: "--rate 5/s",
		Burst: &report.BurstStats{
			Sent: 40, Status429: 20, Errors: 1, Rate: 33.3, FirstLimit: ms(510), Elapsed: ms(1200), PerSecond: []int{33, 7},
			LatencyP50: ms(3), LatencyP90: ms(8), LatencyP99: ms(12), RecoveryWait: ms(2000),
		},
	}
}

func htmlExchange(method, path, body string) *report.Exchange {
	return &report.Exchange{
		Request: authed(method, path, body),
		Response: &report.Response{
			Status: 400, Proto: "HTTP/1.1", Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			Body: "<html><body>Bad Request</body></html>",
		},
	}
}

// gated gates the fixed report the way cmd does and returns the options.
func gated(r *report.Report, o Options) Options {
	b := &gate.Baseline{Entries: []gate.BaselineEntry{
		{Check: "auth.revoked-key", Probe: "revoked-key"},
		{Check: "auth.expired-key", Probe: "expired-key"},
	}}
	o.FailOn = gate.FailOnError
	o.Verdict = gate.Decide(r, o.FailOn, b)
	o.Hostname = testHost
	return o
}

// render writes r in the named format, gated with o, and returns the output.
func render(t *testing.T, format string, r *report.Report, o Options) string {
	t.Helper()
	f, err := ByName(format)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f(&buf, r, gated(r, o)); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
