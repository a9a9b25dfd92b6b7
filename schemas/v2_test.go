package schemas

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// jsonapiLike is a JSON:API-shaped contract written inline: errors[] with a
// string status, codes namespaced under a pattern entry, header rules.
const jsonapiLike = `name: ja
envelope:
  schema: {type: object, required: [errors], properties: {errors: {type: array, minItems: 1}}}
  code: /errors/*/code
  message: /errors/*/title
  status: /errors/*/status
  request_id: /meta/request_id
  content_types: [application/vnd.api+json]
codes:
  not_found: {status: 404}
  unauthorized:
    status: 401
    headers:
      WWW-Authenticate: {pattern: '^Bearer realm="[^"]+"'}
  validation:
    status: 422
    match: '^validation\.'
request_id:
  header: X-Request-ID
auth: {header: Authorization, scheme: Bearer, keys: {valid: k}}
endpoints:
  item: /v1/things/{id}
  unknown_route: /v1/errprobe-nothing
expect:
  not_found: not_found
  malformed_json: {status: 400}
  validation: {code_pattern: '^validation\.'}
`

func loadInline(t *testing.T, src string) *Contract {
	t.Helper()
	path := writeProfile(t, t.TempDir(), "p.yaml", src)
	p, err := Load(path, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rules(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Rule+" "+v.Path)
	}
	return out
}

func TestCheckError_ErrorArrays(t *testing.T) {
	type testCase struct {
		name   string
		status int
		header http.Header
		body   string
		want   []string
	}
	c := loadInline(t, jsonapiLike)
	ja := func(extra http.Header) http.Header {
		h := http.Header{"Content-Type": {"application/vnd.api+json"}, "X-Request-Id": {"r1"}}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}
	run := func(t *testing.T, tc testCase) {
		got := rules(c.CheckError(Response{Status: tc.status, Header: tc.header, Body: []byte(tc.body)}))
		if !slices.Equal(got, tc.want) {
			t.Errorf("violations %q, want %q", got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{"one element, string status", 404, ja(nil), `{"errors":[{"code":"not_found","title":"gone","status":"404"}],"meta":{"request_id":"r1"}}`, nil},
		{"string status differs", 401, ja(http.Header{"Www-Authenticate": {`Bearer realm="api"`}}),
			`{"errors":[{"code":"unauthorized","title":"no","status":"500"}],"meta":{"request_id":"r1"}}`,
			[]string{"envelope.status-match /errors/0/status"}},
		{"multi-element 422, each valid (pattern codes)", 422, ja(nil),
			`{"errors":[{"code":"validation.phone","title":"a","status":"422"},{"code":"validation.name","title":"b","status":422}],"meta":{"request_id":"r1"}}`, nil},
		{"second element broken", 422, ja(nil),
			`{"errors":[{"code":"validation.phone","title":"a","status":"422"},{"code":"bogus","title":"","status":"422"}],"meta":{"request_id":"r1"}}`,
			[]string{"envelope.code-known /errors/1/code", "envelope.message /errors/1/title"}},
		{"code header rule broken", 401, ja(nil),
			`{"errors":[{"code":"unauthorized","title":"no","status":"401"}],"meta":{"request_id":"r1"}}`,
			[]string{"envelope.headers codes.unauthorized.headers"}},
		{"request id differs from header", 404, ja(nil),
			`{"errors":[{"code":"not_found","title":"gone","status":"404"}],"meta":{"request_id":"r2"}}`,
			[]string{"envelope.request-id /meta/request_id"}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestCheckError_CodeLess(t *testing.T) {
	c := loadInline(t, `envelope:
  schema: {type: object, required: [error], properties: {error: {type: string}}}
  message: /error
auth: {header: X-API-Key, keys: {valid: k}}
endpoints: {}
expect:
  not_found: {status: 404}
  malformed_json: {status: [400, 422]}
`)
	ok := Response{Status: 404, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"error":"no such package"}`)}
	if vs := c.CheckError(ok); len(vs) != 0 {
		t.Errorf("code-less body: violations %v, want none", vs)
	}
	e, has := c.Profile().Expectation(ExpectMalformedJSON)
	if !has || !e.Allows(c.Profile(), 422, nil) || e.Allows(c.Profile(), 500, nil) {
		t.Errorf("status-only expectation %+v: allows 422 and not 500 expected", e)
	}
}

func TestExpectation_Allows(t *testing.T) {
	c := loadInline(t, jsonapiLike)
	p := c.Profile()
	type testCase struct {
		situation string
		status    int
		codes     []string
		want      bool
	}
	for _, tc := range []testCase{
		{ExpectNotFound, 404, []string{"not_found"}, true},
		{ExpectNotFound, 400, []string{"not_found"}, false},
		{ExpectNotFound, 404, nil, false},
		{ExpectMalformedJSON, 400, nil, true},
		{ExpectMalformedJSON, 400, []string{"anything"}, true},
		{ExpectValidation, 422, []string{"validation.x"}, true},
		{ExpectValidation, 400, []string{"validation.x"}, false},
		{ExpectValidation, 422, []string{"other", "validation.y"}, true},
		{ExpectValidation, 422, []string{"other"}, false},
	} {
		e, _ := p.Expectation(tc.situation)
		if got := e.Allows(p, tc.status, tc.codes); got != tc.want {
			t.Errorf("%s %d %v: allows %v, want %v", tc.situation, tc.status, tc.codes, got, tc.want)
		}
	}
}

var brokenV2 = []struct{ name, src, want string }{
	{"expectation object with unknown key", "extends: erzycall\nexpect:\n  not_found: {stauts: 404}\n",
		"bad.yaml:3:3: expect: not_found must name a code from codes, or be a mapping like {status: 400} or {code: NOT_FOUND}, got {\"stauts\":404}"},
	{"bad code pattern", "extends: erzycall\nexpect:\n  validation: {code_pattern: '(['}\n",
		"bad.yaml:3:16: expect.validation.code_pattern: \"([\" is not a regular expression: missing closing ]: `[`"},
	{"header rule empty", "extends: erzycall\ncodes:\n  UNAUTHORIZED: {status: 401, headers: {WWW-Authenticate: {}}}\n",
		"bad.yaml:3:41: codes.UNAUTHORIZED.headers.WWW-Authenticate: needs required: true, forbidden: true or a pattern"},
	{"probe key role", "extends: erzycall\nprobes:\n  - name: x\n    request: {path: /x, key: admin}\n    expect: {status: 200}\n",
		"bad.yaml:4:25: probes[0].request: key must be a key role: valid, revoked, expired, no_scope, other_tenant or none, got \"admin\""},
	{"probe names unknown code", "extends: erzycall\nprobes:\n  - name: x\n    request: {path: /x}\n    expect: {code: NOPE}\n",
		"bad.yaml:5:5: probes[0].expect: \"NOPE\" is not in codes"},
	{"status outside the code's", "extends: erzycall\nexpect:\n  not_found: {code: NOT_FOUND, status: 410}\n",
		"bad.yaml:3:32: expect.not_found.status: 410 is not a status codes.NOT_FOUND allows (404)"},
}

func TestLoad_BrokenV2Keys(t *testing.T) {
	for _, tc := range brokenV2 {
		t.Run(tc.name, func(t *testing.T) {
			path := writeProfile(t, t.TempDir(), "bad.yaml", tc.src)
			_, err := Load(path, testEnv)
			if err == nil {
				t.Fatal("loaded")
			}
			got := err.Error()
			if i := len(path) - len("bad.yaml"); len(got) > i {
				got = got[i:]
			}
			if got != tc.want {
				t.Errorf("error:\n got: %s\nwant: %s", got, tc.want)
			}
		})
	}
}

func TestLoad_ExtendsFiles(t *testing.T) {
	dir := t.TempDir()
	writeProfile(t, dir, "base.yaml", "extends: erzycall\ndescription: the base\ncodes:\n  GONE: {status: 410}\n")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeProfile(t, dir, "sub/mid.yaml", "extends: ../base.yaml\nexpect:\n  not_found: GONE\n")
	child := writeProfile(t, dir, "child.yaml", "extends: ./sub/mid.yaml\nname: child\n")
	p, err := Load(child, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "child" || p.Description != "the base" || p.ExpectCode(ExpectNotFound) != "GONE" || len(p.StatusesFor("KEY_REVOKED")) == 0 {
		t.Errorf("merged chain: name %q description %q not_found %q", p.Name, p.Description, p.ExpectCode(ExpectNotFound))
	}
	repl := writeProfile(t, dir, "repl.yaml", "extends: ./base.yaml\nreplace: [codes, expect]\nidempotency: null\nrate_limit: {code: null}\ncodes:\n  NOT_FOUND: {status: 404}\nexpect:\n  not_found: NOT_FOUND\n")
	if p, err = Load(repl, testEnv); err != nil {
		t.Fatal(err)
	}
	if len(p.Codes) != 1 || len(p.Expect) != 1 {
		t.Errorf("replace: %d codes, %d expectations, want 1 and 1", len(p.Codes), len(p.Expect))
	}
	for _, tc := range []struct{ name, src, want string }{
		{"loop", "extends: ./loop.yaml\n", "loop: "},
		{"missing", "extends: ./nope.yaml\n", "cannot read "},
	} {
		path := writeProfile(t, dir, tc.name+".yaml", tc.src)
		_, err := Load(path, testEnv)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "extends") || !strings.Contains(err.Error(), tc.name+".yaml") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestResolved_LoadsAgainUnchanged(t *testing.T) {
	dir := t.TempDir()
	writeProfile(t, dir, "base.yaml", "extends: erzycall\ndescription: the base\n")
	child := writeProfile(t, dir, "child.yaml", "extends: ./base.yaml\nprobes:\n  - name: x\n    request: {path: /api/v1/x}\n    expect: {status: 404}\n")
	out, err := Resolved(child, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# from " + child, "# from builtin:erzycall", "# from " + filepath.Join(dir, "base.yaml"), "${ERRPROBE_API_KEY}"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("resolved output lacks %q:\n%s", want, out)
		}
	}
	res := writeProfile(t, dir, "resolved.yaml", string(out))
	a, err := Load(child, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(res, testEnv)
	if err != nil {
		t.Fatalf("resolved output does not load: %v\n%s", err, out)
	}
	a.Source, b.Source, a.Extends, a.envelope, b.envelope = "", "", "", nil, nil
	if ja, jb := mustJSON(t, a), mustJSON(t, b); ja != jb {
		t.Errorf("resolved profile differs:\n%s\n%s", ja, jb)
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCheckError_StatusSchema(t *testing.T) {
	c := loadInline(t, `envelope:
  schema: {type: object, required: [error], properties: {error: {type: string}}}
  message: /error
  status_schemas:
    "401": {type: object, required: [message], properties: {message: {type: string}, statusCode: {const: 401}}}
auth: {header: X-API-Key, keys: {valid: k}}
endpoints: {}
`)
	h := http.Header{"Content-Type": {"application/json"}}
	got := rules(c.CheckError(Response{Status: 401, Header: h, Body: []byte(`{"message":"Unauthorized","statusCode":401}`)}))
	if !slices.Equal(got, []string{"envelope.message "}) && !slices.Equal(got, []string{"envelope.message /error"}) {
		t.Errorf("401 body against its own schema: %q, want only the message rule (its body has no /error)", got)
	}
	if got := rules(c.CheckError(Response{Status: 401, Header: h, Body: []byte(`{"error":"x"}`)})); !slices.Contains(got, "envelope.schema ") {
		t.Errorf("401 body without the framework shape: %q, want envelope.schema", got)
	}
	if !c.OwnSchema(401, Fields{}) || c.OwnSchema(404, Fields{}) {
		t.Error("OwnSchema: 401 has its own schema, 404 does not")
	}
}
