package schemas

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// env is a fixed environment for tests.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

var testEnv = env(map[string]string{"ERRPROBE_API_KEY": "ek_live_valid1234", "ERRPROBE_REVOKED_KEY": "ek_live_revoked"})

// writeProfile writes src to dir/name and returns the path.
func writeProfile(t *testing.T, dir, name, src string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBuiltin_LoadsAndCompiles(t *testing.T) {
	for _, name := range BuiltinNames() {
		t.Run(name, func(t *testing.T) {
			p, err := Builtin(name, testEnv)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != name || p.Source != "builtin:"+name || p.Description == "" {
				t.Errorf("name %q source %q description %q", p.Name, p.Source, p.Description)
			}
			if _, err := Compile(p); err != nil {
				t.Fatal(err)
			}
			for sit, e := range p.Expect {
				if len(e.Statuses(p)) == 0 {
					t.Errorf("expect.%s = %v has no status", sit, e)
				}
			}
			if p.Auth.Keys.Valid != "ek_live_valid1234" || p.KeyEnv(KeyValid) != "ERRPROBE_API_KEY" {
				t.Errorf("valid key %q from %q", p.Auth.Keys.Valid, p.KeyEnv(KeyValid))
			}
		})
	}
}

func TestBuiltinNames_AreTheSix(t *testing.T) {
	want := []string{"erzycall", "jsonapi", "messaging", "plain", "problem", "voiceagent"}
	if got := BuiltinNames(); !slices.Equal(got, want) {
		t.Errorf("BuiltinNames() = %v, want %v", got, want)
	}
}

// The text `errprobe profiles show NAME` prints loads back from a file,
// builtin: envelope reference and all.
func TestBuiltinSource_LoadsBackFromAFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range BuiltinNames() {
		src, err := BuiltinSource(name)
		if err != nil {
			t.Fatal(err)
		}
		path := writeProfile(t, dir, name+".yaml", string(src))
		p, err := Load(path, testEnv)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Source != path || p.Name != name {
			t.Errorf("%s: source %q name %q", name, p.Source, p.Name)
		}
	}
}

func TestProfile_Expected(t *testing.T) {
	p, err := Builtin("voiceagent", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	code, statuses, ok := p.Expected(ExpectValidation)
	if !ok || code != "validation_error" || !slices.Equal(statuses, []int{400, 422}) {
		t.Errorf("Expected(validation) = %q %v %v", code, statuses, ok)
	}
	if _, _, ok := p.Expected(ExpectIdempotencyMismatch); ok {
		t.Error("voiceagent promises no idempotency, yet Expected(idempotency_mismatch) is ok")
	}
	if got := p.StatusesFor("nope"); got != nil {
		t.Errorf("StatusesFor(unknown) = %v", got)
	}
}

func TestLoad_EnvExpansion(t *testing.T) {
	dir := t.TempDir()
	path := writeProfile(t, dir, "errprobe.yaml", `extends: erzycall
base_url: ${API_URL}
auth:
  keys:
    valid: ${MY_KEY}
    revoked: $OLD_KEY
    expired: literal-${MY_KEY}
`)
	p, err := Load(path, env(map[string]string{"API_URL": "http://127.0.0.1:8080", "MY_KEY": "k1", "OLD_KEY": "k0"}))
	if err != nil {
		t.Fatal(err)
	}
	k := p.Auth.Keys
	if p.BaseURL != "http://127.0.0.1:8080" || k.Valid != "k1" || k.Revoked != "k0" || k.Expired != "literal-k1" {
		t.Errorf("expanded: base %q keys %+v", p.BaseURL, k)
	}
	if p.KeyEnv(KeyValid) != "MY_KEY" || p.KeyEnv(KeyRevoked) != "OLD_KEY" || p.KeyEnv(KeyExpired) != "" {
		t.Errorf("Env = %v", k.Env)
	}
	// Keys the user did not override come from the built-in's ${VAR}s.
	if p.KeyEnv(KeyNoScope) != "ERRPROBE_NO_SCOPE_KEY" || k.NoScope != "" {
		t.Errorf("no_scope %q from %q", k.NoScope, p.KeyEnv(KeyNoScope))
	}
}

func TestLoad_ExtendsMerges(t *testing.T) {
	dir := t.TempDir()
	path := writeProfile(t, dir, "errprobe.yaml", `extends: erzycall
name: my-api
base_url: https://api.example.com
codes:
  NOT_FOUND: {status: [404, 410]}
  GONE: {status: 410, description: Deleted}
envelope:
  content_types: [application/json, application/vnd.api+json]
endpoints:
  list: GET /v2/contacts
expect:
  not_found: GONE
request_id: null
`)
	p, err := Load(path, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	type check struct {
		what      string
		got, want any
	}
	for _, c := range []check{
		{"name", p.Name, "my-api"},
		{"extends", p.Extends, "erzycall"},
		{"overridden code", p.StatusesFor("NOT_FOUND"), []int{404, 410}},
		{"added code", p.StatusesFor("GONE"), []int{410}},
		{"inherited code", p.StatusesFor("KEY_REVOKED"), []int{401}},
		{"inherited description", p.Codes["KEY_REVOKED"].Description, "API key has been revoked"},
		{"list replaces", p.Envelope.ContentTypes, []string{"application/json", "application/vnd.api+json"}},
		{"merged pointer kept", p.Envelope.Code, "/error/code"},
		{"endpoint overridden", p.Endpoints.List, "GET /v2/contacts"},
		{"endpoint inherited", p.Endpoints.Item, "/api/v1/contacts/{id}"},
		{"expect overridden", p.ExpectCode(ExpectNotFound), "GONE"},
		{"expect inherited", p.ExpectCode(ExpectRevokedKey), "KEY_REVOKED"},
		{"null removes", p.RequestID, RequestID{}},
		{"envelope schema inherited", p.Envelope.Schema, "builtin:erzycall"},
	} {
		if !equalAny(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func equalAny(a, b any) bool {
	switch x := a.(type) {
	case []int:
		return slices.Equal(x, b.([]int))
	case []string:
		return slices.Equal(x, b.([]string))
	}
	return a == b
}

func TestLoad_JSONProfile(t *testing.T) {
	dir := t.TempDir()
	path := writeProfile(t, dir, "errprobe.json", `{
  "extends": "problem",
  "codes": {"https://api.example.com/p/gone": {"status": 410}},
  "expect": {"not_found": "https://api.example.com/p/gone"}
}`)
	p, err := Load(path, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	if code, st, _ := p.Expected(ExpectNotFound); code != "https://api.example.com/p/gone" || !slices.Equal(st, []int{410}) {
		t.Errorf("Expected(not_found) = %q %v", code, st)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	path := writeProfile(t, dir, "mine.yaml", "extends: messaging\n")
	type testCase struct {
		name, arg, wantName, wantErr string
	}
	run := func(t *testing.T, tc testCase) {
		p, err := Resolve(tc.arg, testEnv)
		if tc.wantErr != "" {
			var pe *ProfileError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want a *ProfileError containing %q", err, tc.wantErr)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != tc.wantName {
			t.Errorf("name = %q, want %q", p.Name, tc.wantName)
		}
	}
	for _, tc := range []testCase{
		{name: "built-in", arg: "problem", wantName: "problem"},
		{name: "file", arg: path, wantName: "mine.yaml"}, // no name: of its own: named by its file
		{name: "unknown name", arg: "nosuch", wantErr: "nosuch: no built-in profile or file by that name (built-ins: erzycall, jsonapi, messaging, plain, problem, voiceagent)"},
		{name: "missing file", arg: filepath.Join(dir, "gone.yaml"), wantErr: "gone.yaml: cannot read profile: no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestLoad_Aliases(t *testing.T) {
	dir := t.TempDir()
	ok := writeProfile(t, dir, "ok.yaml", "extends: erzycall\ncodes:\n  GONE: &gone {status: 410}\n  EXPIRED: *gone\n")
	p, err := Load(ok, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.StatusesFor("EXPIRED"); !slices.Equal(got, []int{410}) {
		t.Errorf("alias: StatusesFor(EXPIRED) = %v", got)
	}
	bomb := "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i < 9; i++ {
		bomb += fmt.Sprintf("a%d: &a%d [%s]\n", i, i, strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9)+fmt.Sprintf("*a%d", i-1))
	}
	_, err = Load(writeProfile(t, dir, "bomb.yaml", bomb), testEnv)
	if err == nil || !strings.Contains(err.Error(), "bomb.yaml: YAML aliases expand to more than ") {
		t.Errorf("alias bomb: err = %v", err)
	}
}

func TestLoad_SmallCompleteProfile(t *testing.T) {
	p, err := Load(writeProfile(t, t.TempDir(), "tiny.yaml", smallProfile), env(map[string]string{"KEY": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "tiny" || p.Auth.Keys.Valid != "k" || p.RateLimit.Burst.Wait().String() != "5s" || p.Endpoints.Scoped != "POST /v1/x" {
		t.Errorf("loaded %+v", p)
	}
}

// TestLoad_RateLimitNone: `rate_limit: none` declares no limiter (over an
// extended profile's rate_limit too); any other scalar is refused.
func TestLoad_RateLimitNone(t *testing.T) {
	t.Parallel()
	p, err := load("none.yaml", t.TempDir(), []byte("extends: erzycall\nrate_limit: none\n"), func(string) string { return "k" })
	if err != nil {
		t.Fatal(err)
	}
	if !p.RateLimit.None || p.RateLimit.Route != "" {
		t.Errorf("RateLimit = %+v, want None", p.RateLimit)
	}
	p, err = load("lim.yaml", t.TempDir(), []byte("extends: erzycall\n"), func(string) string { return "k" })
	if err != nil || p.RateLimit.None {
		t.Errorf("erzycall: None = %v, %v", p != nil && p.RateLimit.None, err)
	}
	if _, err := load("bad.yaml", t.TempDir(), []byte("extends: erzycall\nrate_limit: off\n"), nil); err == nil ||
		!strings.Contains(err.Error(), `bad.yaml:2:1: rate_limit: must be none (the API has no limiter) or a mapping`) {
		t.Errorf("rate_limit: off = %v, want an error at bad.yaml:2:1 naming none", err)
	}
	// The published schema itself says so (editors validate with it, not
	// with the loader).
	err = compiledProfileSchema().Validate(map[string]any{"rate_limit": "none"})
	if err != nil && strings.Contains(err.Error(), "/rate_limit") {
		t.Errorf("profile.schema.json refuses rate_limit: none: %v", err)
	}
}

// extends adds a profile's probes to the inherited ones; one with an
// inherited probe's name takes its place; replace: [probes] drops them.
func TestLoad_ExtendsAddsProbes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("base.yaml", "extends: erzycall\nprobes:\n  - {name: a, request: {path: /a}, expect: {status: 404}}\n  - {name: b, request: {path: /b}, expect: {status: 404}}\n")
	for _, tc := range []struct{ src, want string }{
		{"extends: ./base.yaml\nprobes: [{name: c, request: {path: /c}, expect: {status: 404}}]\n", "a:/a b:/b c:/c"},
		{"extends: ./base.yaml\nprobes: [{name: b, request: {path: /b2}, expect: {status: 404}}]\n", "a:/a b:/b2"},
		{"extends: ./base.yaml\nreplace: [probes]\nprobes: [{name: c, request: {path: /c}, expect: {status: 404}}]\n", "c:/c"},
	} {
		p, err := Load(write("p.yaml", tc.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, pr := range p.Probes {
			got = append(got, pr.Name+":"+pr.Request.Path)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%q: probes %v, want %s", tc.src, got, tc.want)
		}
	}
}
