package schemas

import (
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// seedBodies are the error bodies the seed documents show (seed 002 shows
// none: this is the body its field table describes), and RFC 9457's example.
var seedBodies = []struct {
	profile     string
	status      int
	contentType string
	body        string
}{
	{"erzycall", 400, "application/json", `{
"error": {
"code": "VALIDATION_ERROR",
"message": "Invalid query parameters",
"details": [
{
"field": "phone",
"message": "Must be E.164 format (e.g., +14155551234)"
}
]
}
}`},
	{"voiceagent", 400, "application/json", `{
 "success": false,
 "error": {
 "code": "validation_error",
 "message": "Agent name is already in use"
 },
 "request_id": "req_abc123",
 "timestamp": "2025-01-01T12:00:00Z"
}`},
	{"messaging", 400, "application/json; charset=utf-8",
		`{"code":"VALIDATION_ERROR","message":"Request body failed validation","details":{"issues":[{"path":["phone"],"message":"Must be E.164 format"}]}}`},
	{"problem", 422, "application/problem+json", `{
 "type": "https://errprobe.dev/problems/validation",
 "title": "Your request is not valid.",
 "status": 422,
 "detail": "The phone number is not in E.164 format.",
 "instance": "/v1/contacts",
 "errors": [{"detail": "must be E.164, like +14155551234", "pointer": "#/phone"}]
}`},
}

func TestCheckError_SeedBodiesConform(t *testing.T) {
	for _, sb := range seedBodies {
		t.Run(sb.profile, func(t *testing.T) {
			c := mustContract(t, sb.profile)
			r := Response{Status: sb.status, Header: http.Header{
				"Content-Type": {sb.contentType}, "X-Request-Id": {"req_abc123"}}, Body: []byte(sb.body)}
			if v := c.CheckError(r); len(v) != 0 {
				t.Errorf("violations: %v", v)
			}
			f, err := c.Extract([]byte(sb.body))
			if err != nil || f.Code == "" || f.Message == "" || !f.HasCode || !f.HasMessage {
				t.Errorf("Extract = %+v, %v", f, err)
			}
		})
	}
}

func TestCheckError_BrokenBodies(t *testing.T) {
	type testCase struct {
		name, profile string
		status        int
		header        http.Header
		body          string
		want          []string // rule IDs, in order
		wantIn        string   // a substring of the first violation's message
	}
	run := func(t *testing.T, tc testCase) {
		c := mustContract(t, tc.profile)
		h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req_1"}}
		for k, v := range tc.header {
			h[k] = v
			if v[0] == "" {
				delete(h, k)
			}
		}
		vs := c.CheckError(Response{Status: tc.status, Header: h, Body: []byte(tc.body)})
		var rules []string
		for _, v := range vs {
			rules = append(rules, v.Rule)
		}
		if !slices.Equal(rules, tc.want) {
			t.Fatalf("rules = %v, want %v\n%v", rules, tc.want, vs)
		}
		if tc.wantIn != "" && !strings.Contains(vs[0].Message, tc.wantIn) {
			t.Errorf("message %q lacks %q", vs[0].Message, tc.wantIn)
		}
	}
	const nf = `{"error":{"code":"NOT_FOUND","message":"Contact not found"}}`
	for _, tc := range []testCase{
		{name: "conforming", profile: "erzycall", status: 404, body: nf},
		{name: "html content type", profile: "erzycall", status: 404, body: nf,
			header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			want:   []string{RuleContentType}, wantIn: "Content-Type text/html; charset=utf-8, want application/json"},
		{name: "no content type", profile: "erzycall", status: 404, body: nf,
			header: http.Header{"Content-Type": {""}}, want: []string{RuleContentType}, wantIn: "(none)"},
		{name: "not json", profile: "erzycall", status: 404, body: "Not Found",
			want: []string{RuleJSON}, wantIn: `body "Not Found"`},
		{name: "empty body", profile: "erzycall", status: 404, body: "",
			want: []string{RuleJSON}, wantIn: "empty body"},
		{name: "trailing garbage", profile: "erzycall", status: 404, body: nf + " xyz",
			want: []string{RuleJSON}},
		{name: "missing message", profile: "erzycall", status: 404, body: `{"error":{"code":"NOT_FOUND"}}`,
			want: []string{RuleSchema, RuleMessage}, wantIn: "/error: missing property 'message'"},
		{name: "code as number", profile: "erzycall", status: 404, body: `{"error":{"code":404,"message":"Not found"}}`,
			want: []string{RuleSchema, RuleCodeKnown}, wantIn: "/error/code: got number, want string (value 404; schema builtin:erzycall#/properties/error/properties/code/type)"},
		{name: "unknown code", profile: "erzycall", status: 404, body: `{"error":{"code":"RESOURCE_MISSING","message":"Not found"}}`,
			want: []string{RuleCodeKnown}, wantIn: `code "RESOURCE_MISSING" at /error/code is not in the code table`},
		{name: "wrong status", profile: "erzycall", status: 400, body: nf,
			want: []string{RuleStatusMatch}, wantIn: `HTTP status 400 for code "NOT_FOUND", want 404`},
		{name: "empty message", profile: "erzycall", status: 404, body: `{"error":{"code":"NOT_FOUND","message":""}}`,
			want: []string{RuleSchema, RuleMessage}},
		{name: "blank message", profile: "messaging", status: 404, body: `{"code":"NOT_FOUND","message":"  "}`,
			want: []string{RuleMessage}},
		{name: "no request id header", profile: "erzycall", status: 404, body: nf,
			header: http.Header{"X-Request-Id": {""}}, want: []string{RuleRequestID}, wantIn: "no X-Request-Id header"},
		{name: "extra member", profile: "erzycall", status: 404, body: `{"error":{"code":"NOT_FOUND","message":"x"},"hint":"try again"}`,
			want: []string{RuleSchema}, wantIn: "additional properties 'hint' not allowed"},
		{name: "stack trace", profile: "erzycall", status: 500,
			body: `{"error":{"code":"INTERNAL_ERROR","message":"goroutine 7 [running]:\nmain.handler()\n\t/home/dev/api/main.go:42 +0x1d"}}`,
			want: []string{RuleNoLeak}, wantIn: "/error/message leaks a Go stack trace"},
		{name: "html 500 with trace", profile: "erzycall", status: 500,
			header: http.Header{"Content-Type": {"text/html"}}, body: "<pre>panic: runtime error</pre>",
			want: []string{RuleContentType, RuleJSON, RuleNoLeak}},
		{name: "problem status member differs", profile: "problem", status: 400,
			header: http.Header{"Content-Type": {"application/problem+json"}},
			body:   `{"type":"https://errprobe.dev/problems/malformed-json","title":"Bad JSON","status":404}`,
			want:   []string{RuleStatusMatch}, wantIn: "status member 404 at /status differs from HTTP status 400"},
		{name: "voiceagent no body request id", profile: "voiceagent", status: 404,
			body: `{"success":false,"error":{"code":"not_found","message":"Agent not found"},"timestamp":"2025-01-01T12:00:00Z"}`,
			want: []string{RuleSchema, RuleRequestID}},
		{name: "voiceagent bad timestamp", profile: "voiceagent", status: 404,
			body: `{"success":false,"error":{"code":"not_found","message":"Agent not found"},"request_id":"r","timestamp":"yesterday"}`,
			want: []string{RuleSchema}, wantIn: "/timestamp"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestExtract(t *testing.T) {
	c := mustContract(t, "problem")
	f, err := c.Extract([]byte(`{"type":"https://errprobe.dev/problems/not-found","title":"Not found","status":404,"errors":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Code != "https://errprobe.dev/problems/not-found" || f.Message != "Not found" || !f.HasStatus || f.Status != 404 || !f.HasDetails {
		t.Errorf("Extract = %+v", f)
	}
	if _, err := c.Extract([]byte("nope")); err == nil {
		t.Error("Extract accepted a body that is not JSON")
	}
	v := mustContract(t, "voiceagent")
	f, _ = v.Extract([]byte(`{"error":{"code":7,"message":["x"]},"request_id":"req_9"}`))
	if f.Code != "7" || f.Message != "" || !f.HasMessage || f.RequestID != "req_9" || f.HasDetails {
		t.Errorf("Extract(odd types) = %+v", f)
	}
}

func TestFindLeak(t *testing.T) {
	type testCase struct {
		in, kind string
	}
	run := func(t *testing.T, tc testCase) {
		kind, _, ok := findLeak(tc.in)
		if ok != (tc.kind != "") || kind != tc.kind {
			t.Errorf("findLeak(%q) = %q, %v; want %q", tc.in, kind, ok, tc.kind)
		}
	}
	for _, tc := range []testCase{
		{"goroutine 12 [running]:", "a Go stack trace"},
		{"panic: assignment to entry in nil map", "a Go panic"},
		{"failed at handler.go:123", "a source file location"},
		{"at com.foo.Bar.baz(Bar.java:12)", "a source file location"},
		{"\tat com.foo.Bar.baz(Native Method)", "a stack frame"},
		{"    at Object.<anonymous> (/app/x.js:1:2)", "a JavaScript stack trace"},
		{"Traceback (most recent call last):\n  File \"/srv/app.py\", line 3", "a Python traceback"},
		{"open /home/dev/api/config.yaml: permission denied", "a server file path"},
		{`cannot open C:\inetpub\app\web.config`, "a server file path"},
		{"SELECT id FROM contacts WHERE org = 7", "SQL"},
		{`pq: syntax error at or near "FROM"`, "an SQL error"},
		{"java.lang.NullPointerException", "an exception"},
		{"TypeError: cannot read properties of undefined", "an exception"},
		{"Contact not found", ""},
		{"Must be E.164 format (e.g., +14155551234)", ""},
		{"No route for GET /v1/nope", ""},
		{"Select a plan from the list", ""},
		{"Invalid value at /phone", ""},
		{"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) { run(t, tc) })
	}
}

func TestCompile_EnvelopeSources(t *testing.T) {
	dir := t.TempDir()
	writeProfile(t, dir, "defs.json", `{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"code":{"type":"string","pattern":"^[a-z.]+$"}}}`)
	writeProfile(t, dir, "env07.json", `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["code", "message"],
  "properties": {"code": {"$ref": "defs.json#/definitions/code"}, "message": {"type": "string"}},
  "additionalProperties": false
}`)
	writeProfile(t, dir, "env.yaml", "type: object\nrequired: [code, message]\n")
	writeProfile(t, dir, "remote.json", `{"$ref": "http://example.com/schema.json"}`)
	type testCase struct {
		name, schema, wantErr string
		body                  string
		wantRules             []string
	}
	run := func(t *testing.T, tc testCase) {
		path := writeProfile(t, dir, "p.yaml", "extends: messaging\nenvelope:\n  schema: "+tc.schema+"\ncodes:\n  not.found: {status: 404}\nexpect:\n  not_found: not.found\n")
		p, err := Load(path, testEnv)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"r"}}
		var rules []string
		for _, v := range c.CheckError(Response{Status: 404, Header: h, Body: []byte(tc.body)}) {
			rules = append(rules, v.Rule)
		}
		if !slices.Equal(rules, tc.wantRules) {
			t.Errorf("rules = %v, want %v", rules, tc.wantRules)
		}
	}
	for _, tc := range []testCase{
		{name: "draft-07 file with local ref", schema: "env07.json", body: `{"code":"not.found","message":"x"}`},
		{name: "draft-07 rejects", schema: "env07.json", body: `{"code":"NOT_FOUND","message":"x","hint":1}`,
			wantRules: []string{RuleSchema, RuleSchema}},
		{name: "yaml schema file", schema: "env.yaml", body: `{"code":"not.found","message":"x"}`},
		{name: "absolute path", schema: filepath.Join(dir, "env07.json"), body: `{"code":"not.found","message":"x"}`},
		{name: "inline", schema: "{type: object, required: [code]}", body: `{"message":"x"}`,
			wantRules: []string{RuleSchema, RuleCodeKnown}},
		{name: "remote ref in a file", schema: "remote.json",
			wantErr: `p.yaml:3:3: envelope.schema: envelope schema remote.json does not compile: remote $ref "http://example.com/schema.json" refused`},
		{name: "remote schema", schema: "https://example.com/envelope.json",
			wantErr: "remote schemas are not loaded"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// A Contract is shared by the engine's workers: CheckError and Extract run
// concurrently (go test -race).
func TestContract_ConcurrentUse(t *testing.T) {
	c := mustContract(t, "erzycall")
	r := Response{Status: 404, Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"r"}},
		Body: []byte(`{"error":{"code":"NOT_FOUND","message":"Contact not found"}}`)}
	done := make(chan []Violation)
	for range 8 {
		go func() {
			var last []Violation
			for range 50 {
				last = c.CheckError(r)
				_, _ = c.Extract(r.Body)
			}
			done <- last
		}()
	}
	for range 8 {
		if v := <-done; len(v) != 0 {
			t.Errorf("violations: %v", v)
		}
	}
}

// envelope.code_optional: a body without a code is not a code-known
// failure for the statuses it names (or any, with true).
func TestCheckError_CodeOptional(t *testing.T) {
	type testCase struct {
		opt  CodeOptional
		want bool // a code-known violation
	}
	run := func(t *testing.T, tc testCase) {
		p, err := Builtin("messaging", nil)
		if err != nil {
			t.Fatal(err)
		}
		p.Envelope.CodeOptional = tc.opt
		c, err := Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		r := Response{Status: 404, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"message":"Not found"}`)}
		got := slices.ContainsFunc(c.CheckError(r), func(v Violation) bool { return v.Rule == RuleCodeKnown })
		if got != tc.want {
			t.Errorf("code_optional %+v: code-known violation %v, want %v", tc.opt, got, tc.want)
		}
	}
	for _, tc := range []testCase{{CodeOptional{}, true}, {CodeOptional{All: true}, false},
		{CodeOptional{Statuses: []int{404}}, false}, {CodeOptional{Statuses: []int{500}}, true}} {
		run(t, tc)
	}
}

// codes.X.routes: a code's status is judged on the request's route — the
// route's own status there, the code's status elsewhere; a mismatch on
// either fails envelope.status-match naming the route.
func TestCheckError_CodeRoutes(t *testing.T) {
	t.Parallel()
	src := []byte("extends: erzycall\ncodes:\n  NOT_FOUND: {status: 404, routes: {'POST /api/v1/calls': 422, 'DELETE /api/v1/contacts/{id}': [404, 410]}}\n")
	p, err := LoadBytes(filepath.Join(t.TempDir(), "errprobe.yaml"), src, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"error":{"code":"NOT_FOUND","message":"Not found"}}`)
	for _, tc := range []struct {
		method, path string
		status       int
		fail         bool
	}{
		{"POST", "/api/v1/calls", 422, false},
		{"POST", "/api/v1/calls", 404, true},
		{"GET", "/api/v1/calls/abc", 404, false},
		{"GET", "/api/v1/calls/abc", 422, true},
		{"DELETE", "/api/v1/contacts/abc", 410, false},
		{"DELETE", "/api/v1/contacts/abc", 404, false},
		{"DELETE", "/api/v1/contacts/abc", 422, true},
		{"", "", 404, false}, // no request known: the code's status
	} {
		r := Response{Status: tc.status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Method: tc.method, Path: tc.path}
		var msgs []string
		for _, v := range c.CheckError(r) {
			if v.Rule == RuleStatusMatch {
				msgs = append(msgs, v.Message)
			}
		}
		if got := len(msgs) > 0; got != tc.fail {
			t.Errorf("%s %s → %d: status-match failure %v (%q), want %v", tc.method, tc.path, tc.status, got, msgs, tc.fail)
		}
		if tc.fail && tc.method != "" && !strings.Contains(msgs[0], "on "+tc.method+" "+tc.path) {
			t.Errorf("%s %s → %d: message %q does not name the route", tc.method, tc.path, tc.status, msgs[0])
		}
	}
	// The routes statuses count as the code's for the expect table.
	if _, err := LoadBytes(filepath.Join(t.TempDir(), "e.yaml"), append(src, "expect: {not_found: {code: NOT_FOUND, status: 410}}\n"...), func(string) string { return "" }); err != nil {
		t.Errorf("a status the code has on a route refused in expect: %v", err)
	}
	if _, err := LoadBytes(filepath.Join(t.TempDir(), "b.yaml"), []byte("extends: erzycall\ncodes:\n  NOT_FOUND: {status: 404, routes: {'/api/v1/calls': 422}}\n"), func(string) string { return "" }); err == nil {
		t.Error("a routes key without a method loaded")
	}
}

// An open envelope (schema: {}) may name no message: it promises none, so a
// framework's {"detail": "Not authenticated"} breaks no message rule; a
// message pointer, once named, is judged on every error body.
func TestCheckError_OpenEnvelopeWithoutMessage(t *testing.T) {
	dir := t.TempDir()
	src := "name: open\nenvelope:\n  schema: {}\n  content_types: [application/json]\ncodes: {}\n" +
		"auth:\n  header: X-API-Key\n  keys: {valid: k}\nendpoints: {list: GET /x}\n"
	r := Response{Status: 403, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"detail":"Not authenticated"}`)}
	for _, msg := range []string{"", "/message"} {
		text := src
		if msg != "" {
			text = strings.Replace(src, "  content_types", "  message: "+msg+"\n  content_types", 1)
		}
		p, err := Load(writeProfile(t, dir, "p.yaml", text), testEnv)
		if err != nil {
			t.Fatalf("message %q: %v", msg, err)
		}
		c, err := Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.ContainsFunc(c.CheckError(r), func(v Violation) bool { return v.Rule == RuleMessage })
		if got != (msg != "") {
			t.Errorf("message %q: message violation %v, want %v", msg, got, msg != "")
		}
	}
}
