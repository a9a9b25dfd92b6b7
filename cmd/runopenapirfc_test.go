package cmd

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// rfcDocument: a secured GET collection and a POST whose body states a
// required member, a pattern and additionalProperties: false; 400 bodies
// name the field at /errors/*/field.
const rfcDocument = `openapi: 3.0.3
info: {title: RFC test, version: "1"}
components:
  securitySchemes:
    key: {type: http, scheme: bearer}
  schemas:
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
        errors:
          type: array
          items:
            type: object
            properties:
              field: {type: string}
security: [{key: []}]
paths:
  /things:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: object}}}}}
        "401": {description: no key, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [name]
              properties:
                name: {type: string, pattern: "^[a-z]+$"}
      responses:
        "201": {description: created, content: {application/json: {schema: {type: object}}}}
        "400": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "401": {description: no key, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
`

// rfcServer keeps rfcDocument's promises but for the one fault named.
func rfcServer(t *testing.T, fault string) string {
	t.Helper()
	write := writeJSONBody
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/things" {
			write(w, 404, map[string]any{"message": "no route"})
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost && fault == "method-404" {
			write(w, 404, map[string]any{"message": "no route"})
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			if fault != "no-allow" {
				w.Header().Set("Allow", "GET, POST")
			}
			write(w, 405, map[string]any{"message": "method not allowed"})
			return
		}
		if r.Header.Get("Authorization") != "Bearer good" && fault != "auth-bypass" {
			if fault != "no-www-authenticate" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="things"`)
			}
			write(w, 401, map[string]any{"message": "no key"})
			return
		}
		if r.Method == http.MethodGet {
			write(w, 200, []any{})
			return
		}
		var body map[string]any
		if json.NewDecoder(r.Body).Decode(&body) != nil {
			write(w, 400, map[string]any{"message": "bad json"})
			return
		}
		var bad []any
		for k, v := range body {
			if s, ok := v.(string); k != "name" || !ok || s == "" || !isLower(s) {
				bad = append(bad, k)
			}
		}
		if _, ok := body["name"]; !ok {
			bad = append(bad, "name")
		}
		if len(bad) > 0 && fault != "accepts-invalid" {
			var errs []any
			for _, f := range bad {
				if fault == "wrong-field" {
					f = "other"
				}
				errs = append(errs, map[string]any{"field": f})
			}
			write(w, 400, map[string]any{"message": "invalid", "errors": errs})
			return
		}
		write(w, 201, map[string]any{})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func isLower(s string) bool {
	for _, c := range s {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// TestRun_OpenAPIRFCAndNegative: on a server keeping a document's
// promises the per-operation RFC, security and negative-data checks pass;
// each fails under the fault that breaks its promise.
func TestRun_OpenAPIRFCAndNegative(t *testing.T) {
	t.Parallel()
	_, doc, prof := importDocument(t, rfcDocument)
	env := map[string]string{"ERRPROBE_API_KEY": "good"}
	type testCase struct {
		fault string
		fails string // "" for the clean server
	}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		out := filepath.Join(t.TempDir(), "r.json")
		_, _, code := execute(t, env, "run", rfcServer(t, tc.fault), "-p", prof, "--openapi", doc, "--suite", "openapi,negative", "--json", out, "-q")
		var rep struct {
			jsonResults
			Totals struct{ Guessed int }
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		passed, failed := map[string]bool{}, map[string]bool{}
		for _, r := range rep.Results {
			switch r.Status {
			case "pass":
				passed[r.Check] = true
			case "fail":
				failed[r.Check] = true
			}
		}
		if tc.fails == "" {
			for _, c := range []string{"openapi.security", "openapi.www-authenticate", "openapi.allow", "openapi.method", "negative.rejected", "negative.details-field"} {
				if !passed[c] || failed[c] {
					t.Errorf("clean: %s passed %v failed %v", c, passed[c], failed[c])
				}
			}
			return
		}
		if !failed[tc.fails] {
			t.Errorf("fault %s: %s did not fail (failed: %v)", tc.fault, tc.fails, failed)
		}
		if tc.fault == "method-404" && (code != ExitOK || rep.Totals.Guessed == 0) {
			t.Errorf("a failure resting on a guess gated the run (exit %d) or was not counted (%d guessed)", code, rep.Totals.Guessed)
		}
	}
	for _, tc := range []testCase{
		{"", ""},
		{"no-allow", "openapi.allow"},
		{"no-www-authenticate", "openapi.www-authenticate"},
		{"auth-bypass", "openapi.security"},
		{"accepts-invalid", "negative.rejected"},
		{"wrong-field", "negative.details-field"},
		{"method-404", "openapi.method"}, // the document lists no 405: a guess, graded warning
	} {
		t.Run("fault="+tc.fault, func(t *testing.T) { run(t, tc) })
	}
}
