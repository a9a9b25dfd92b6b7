package cmd

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// frameworkDocument is written the way web frameworks generate theirs: the
// only error it documents is the validator's 422 (a list of {loc, msg,
// type}); no code, no 401/403/404/405, although the framework answers them.
const frameworkDocument = `openapi: 3.0.2
info: {title: Notes, version: "1"}
components:
  securitySchemes:
    KeyHeader: {type: apiKey, in: header, name: X-Key}
  schemas:
    ValidationError:
      type: object
      required: [loc, msg, type]
      properties:
        loc: {type: array, items: {anyOf: [{type: string}, {type: integer}]}}
        msg: {type: string}
        type: {type: string}
    HTTPValidationError:
      type: object
      properties:
        detail: {type: array, items: {$ref: "#/components/schemas/ValidationError"}}
    Note:
      type: object
      required: [id, title]
      properties:
        id: {type: string}
        title: {type: string}
  responses:
    Invalid:
      description: Validation Error
      content: {application/json: {schema: {$ref: "#/components/schemas/HTTPValidationError"}}}
paths:
  /notes:
    get:
      security: [{KeyHeader: []}]
      parameters:
        - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 50}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Note"}}}}}
        "422": {$ref: "#/components/responses/Invalid"}
    post:
      security: [{KeyHeader: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [title]
              properties:
                title: {type: string, minLength: 1, maxLength: 40}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
        "422": {$ref: "#/components/responses/Invalid"}
  /notes/{note_id}:
    get:
      security: [{KeyHeader: []}]
      parameters:
        - {name: note_id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
        "422": {$ref: "#/components/responses/Invalid"}
`

// frameworkServer answers as such a framework does by default: a missing
// key 403 {"detail": "Not authenticated"}, a wrong one 401 with
// WWW-Authenticate, an unknown id 404 {"detail": "..."}, an unrouted
// method 405 {"detail": ...} with Allow, an unknown route an HTML page;
// the validator's 422 as documented. Fault "detail-string" breaks the
// documented 422 body (detail a string).
func frameworkServer(t *testing.T, fault string) string {
	t.Helper()
	write := writeJSONBody
	invalid := func(w http.ResponseWriter, loc ...any) {
		if fault == "detail-string" {
			write(w, 422, map[string]any{"detail": "invalid"})
			return
		}
		write(w, 422, map[string]any{"detail": []any{map[string]any{"loc": loc, "msg": "invalid", "type": "value_error"}}})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, item := strings.CutPrefix(r.URL.Path, "/notes/")
		if r.URL.Path != "/notes" && (!item || id == "" || strings.Contains(id, "/")) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(404)
			_, _ = w.Write([]byte("<!doctype html><title>404 Not Found</title><h1>Not Found</h1>"))
			return
		}
		allow := map[bool]string{false: "GET, POST", true: "GET"}[item]
		if !strings.Contains(allow, r.Method) || r.Method == "" {
			w.Header().Set("Allow", allow)
			write(w, 405, map[string]any{"detail": "Method Not Allowed"})
			return
		}
		switch key := r.Header.Get("X-Key"); {
		case key == "":
			write(w, 403, map[string]any{"detail": "Not authenticated"})
			return
		case key != "good":
			w.Header().Set("WWW-Authenticate", "APIKey")
			write(w, 401, map[string]any{"detail": "Invalid key"})
			return
		}
		switch {
		case item:
			write(w, 404, map[string]any{"detail": "Note not found"})
		case r.Method == http.MethodGet:
			if l := r.URL.Query().Get("limit"); l != "" {
				if n, err := strconv.Atoi(l); err != nil || n < 1 || n > 50 {
					invalid(w, "query", "limit")
					return
				}
			}
			write(w, 200, []any{})
		default:
			var body map[string]any
			dec := json.NewDecoder(r.Body) // the whole body is one JSON value, as a framework's json.loads reads it
			if dec.Decode(&body) != nil || dec.Decode(new(any)) != io.EOF || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				invalid(w, "body", 0)
				return
			}
			title, ok := body["title"].(string)
			if !ok || title == "" || len(title) > 40 {
				invalid(w, "body", "title")
				return
			}
			write(w, 201, map[string]any{"id": "n1", "title": title})
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRun_OpenAPIFrameworkDefaults: with the profile init wrote from a
// framework's code-less document, the framework's own answers to what the
// document leaves out (403/401/404/405 bodies, an HTML 404 for an unknown
// route) are not held to the 422's schema (a JSON body) or only as a guess
// (an HTML page: a warning that says so, never gating) — while a documented body that breaks its schema still
// fails as an error; a hand-written envelope is judged as written.
func TestRun_OpenAPIFrameworkDefaults(t *testing.T) {
	t.Parallel()
	dir, doc, prof := importDocument(t, frameworkDocument)
	own := filepath.Join(dir, "own.yaml")
	ownProfile := "extends: " + prof + "\nenvelope:\n  schema: {type: object, required: [detail], properties: {detail: {type: array}}}\n  message: /detail/*/msg\n  content_types: [application/json]\n"
	if err := os.WriteFile(own, []byte(ownProfile), 0o644); err != nil {
		t.Fatal(err)
	}
	type testCase struct {
		name, profile, fault string
		code                 int
		errors               []string // checks that must fail as errors
	}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		judgeGuesses(t, tc.code, tc.errors, "run", frameworkServer(t, tc.fault), "-p", tc.profile, "--openapi", doc)
	}
	for _, tc := range []testCase{
		{"clean", prof, "", ExitOK, nil},
		{"documented body broken", prof, "detail-string", ExitFailed, []string{"openapi.schema", "envelope.schema"}},
		{"own envelope", own, "", ExitFailed, []string{"envelope.schema"}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// judgeGuesses runs args (with the valid key "good") and checks the exit
// code and that a failure resting on a guess is a warning saying so; with
// errors nil, no failure is an error and at least one rests on a guess;
// else each check in errors fails as an error.
func judgeGuesses(t *testing.T, want int, errors []string, args ...string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "r.json")
	_, errOut, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "good"}, append(args, "--json", out, "-q")...)
	var rep struct {
		Results []struct{ Check, Status, Severity, Guess, Message, Probe string }
		Totals  struct{ Guessed int }
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("exit %d, no report: %s", code, errOut)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if code != want {
		t.Errorf("exit %d, want %d", code, want)
	}
	failed := map[string]bool{}
	for _, r := range rep.Results {
		if r.Status != "fail" {
			continue
		}
		if r.Severity == "error" {
			failed[r.Check] = true
		}
		if errors == nil && r.Severity != "warning" {
			t.Errorf("clean: %s (%s) failed as an error: %s", r.Check, r.Probe, r.Message)
		}
		if r.Guess != "" && (r.Severity != "warning" || !strings.Contains(r.Message, "(a guess: ")) {
			t.Errorf("%s (%s) rests on a guess but gates or does not say so: %s", r.Check, r.Probe, r.Message)
		}
	}
	if errors == nil && rep.Totals.Guessed == 0 {
		t.Errorf("clean: no failure rested on a guess; the answers the document leaves out were not judged at all")
	}
	for _, c := range errors {
		if !failed[c] {
			t.Errorf("%s did not fail as an error (errors: %v)", c, failed)
		}
	}
}

// routerDocument is written by hand the way a team using a router writes
// it: bearer auth, an error schema with an example code on each documented
// error; it documents no 405 and nothing about unknown routes.
const routerDocument = `openapi: 3.0.3
info: {title: Items, version: "1"}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
  schemas:
    Error:
      type: object
      required: [code, message]
      properties:
        code: {type: string}
        message: {type: string}
security: [{token: []}]
paths:
  /items:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: object}}}}}
        "401": {description: no token, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}, example: {code: unauthorized, message: no token}}}}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, minLength: 1}
      responses:
        "201": {description: created, content: {application/json: {schema: {type: object}}}}
        "400": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}, example: {code: invalid_request, message: name is required}}}}
        "401": {description: no token, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}, example: {code: unauthorized, message: no token}}}}
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: "^it_[0-9]+$"}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "401": {description: no token, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}, example: {code: unauthorized, message: no token}}}}
        "404": {description: no such item, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}, example: {code: not_found, message: no such item}}}}
`

// routerServer answers as a router's defaults do: an unknown route and an
// unrouted method both get its HTML 404 page ("Cannot PATCH /items"); the
// team's own handlers answer what the document lists. Fault "html-400"
// leaves malformed JSON to the framework's HTML 400 page, which breaks the
// documented 400; fault "json-pages" answers the unknown route and the
// unrouted method with JSON that is not the documented error envelope.
func routerServer(t *testing.T, fault string) string {
	t.Helper()
	write := writeJSONBody
	html := func(w http.ResponseWriter, st int, text string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(st)
		_, _ = w.Write([]byte("<!DOCTYPE html><html><body><pre>" + text + "</pre></body></html>"))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, item := strings.CutPrefix(r.URL.Path, "/items/")
		routed := (r.URL.Path == "/items" && (r.Method == http.MethodGet || r.Method == http.MethodPost)) ||
			(item && id != "" && !strings.Contains(id, "/") && r.Method == http.MethodGet)
		if !routed && fault == "json-pages" {
			write(w, 404, map[string]any{"error": "Cannot " + r.Method + " " + r.URL.Path})
			return
		}
		if !routed {
			html(w, 404, "Cannot "+r.Method+" "+r.URL.Path)
			return
		}
		if r.Header.Get("Authorization") != "Bearer good" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="items"`)
			write(w, 401, map[string]any{"code": "unauthorized", "message": "no token"})
			return
		}
		switch {
		case item:
			write(w, 404, map[string]any{"code": "not_found", "message": "no such item"})
		case r.Method == http.MethodGet:
			write(w, 200, []any{})
		default:
			var body map[string]any
			if json.NewDecoder(r.Body).Decode(&body) != nil || r.Header.Get("Content-Type") != "application/json" {
				if fault == "html-400" {
					html(w, 400, "SyntaxError: Unexpected token in JSON")
					return
				}
				write(w, 400, map[string]any{"code": "invalid_request", "message": "malformed JSON"})
				return
			}
			if name, ok := body["name"].(string); !ok || name == "" {
				write(w, 400, map[string]any{"code": "invalid_request", "message": "name is required"})
				return
			}
			write(w, 201, map[string]any{"id": "it_1"})
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRun_OpenAPIRouterDefaults: with the profile init wrote from a
// hand-written document that says nothing of unknown routes or 405, a
// router's HTML 404 for both is judged only as a guess — the envelope on
// it, the profile's unknown-route expectation and its default 405 — while
// the framework's HTML 400 where the document promises its JSON error
// still fails as an error, and so does JSON that breaks the envelope the
// document gives its errors in general.
func TestRun_OpenAPIRouterDefaults(t *testing.T) {
	t.Parallel()
	_, doc, prof := importDocument(t, routerDocument)
	t.Run("clean", func(t *testing.T) {
		t.Parallel()
		judgeGuesses(t, ExitOK, nil, "run", routerServer(t, ""), "-p", prof, "--openapi", doc)
	})
	t.Run("html-400", func(t *testing.T) {
		t.Parallel()
		judgeGuesses(t, ExitFailed, []string{"openapi.schema", "envelope.json"}, "run", routerServer(t, "html-400"), "-p", prof, "--openapi", doc)
	})
	t.Run("json-pages", func(t *testing.T) {
		t.Parallel()
		judgeGuesses(t, ExitFailed, []string{"envelope.schema"}, "run", routerServer(t, "json-pages"), "-p", prof, "--openapi", doc)
	})
	// The same profile without the document (README's first steps): init
	// marked the unknown route's code and the default 405 as guesses, so
	// the router's HTML pages there are warnings, as with --openapi.
	t.Run("profile-alone", func(t *testing.T) {
		t.Parallel()
		judgeGuesses(t, ExitOK, nil, "run", routerServer(t, ""), "-p", prof)
	})
	// Without expect.method_not_allowed, grading the router's failed 405
	// asked the absent document whether it lists 405 (a nil dereference).
	t.Run("profile-alone-no-405", func(t *testing.T) {
		t.Parallel()
		b, err := os.ReadFile(prof)
		if err != nil {
			t.Fatal(err)
		}
		var kept []string
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "method_not_allowed:") {
				kept = append(kept, l)
			}
		}
		p2 := filepath.Join(t.TempDir(), "p.yaml")
		if err := os.WriteFile(p2, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "good"}, "run", routerServer(t, ""), "-p", p2, "-q")
		if code != ExitFailed && code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
}

// muxDocument is a code-less document as a Go team writes it: errors are
// {"message"} JSON, no 405 listed, nothing said of unknown routes.
const muxDocument = `openapi: 3.0.3
info: {title: Notes, version: "1"}
components:
  schemas:
    Error: {type: object, required: [message], properties: {message: {type: string}}}
paths:
  /notes:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: object}}}}}
    post:
      requestBody: {required: true, content: {application/json: {schema: {type: object, required: [text], properties: {text: {type: string}}}}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {type: object}}}}
        "400": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
`

// TestRun_ProfileAloneRouterPages: the profile init writes, run alone (no
// --openapi, README's first steps), against Go's ServeMux answering an
// unknown route and an unrouted method with its text/plain pages: those
// probes' expectations are init's guesses (unknown_route, the default
// 405), so the envelope failures on their non-JSON pages are guesses too —
// warnings saying so, never gating. A JSON 400 breaking the schema still
// fails as an error.
func TestRun_ProfileAloneRouterPages(t *testing.T) {
	t.Parallel()
	_, _, prof := importDocument(t, muxDocument)
	server := func(broken bool) string {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /notes", func(w http.ResponseWriter, r *http.Request) { writeJSONBody(w, 200, []any{}) })
		mux.HandleFunc("POST /notes", func(w http.ResponseWriter, r *http.Request) {
			var in map[string]any
			b, _ := io.ReadAll(r.Body)
			if r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(b, &in) != nil || in["text"] == nil {
				if broken {
					writeJSONBody(w, 400, map[string]any{"error": "bad"})
				} else {
					writeJSONBody(w, 400, map[string]any{"message": "text is required"})
				}
				return
			}
			writeJSONBody(w, 201, map[string]any{"id": "n1"})
		})
		ts := httptest.NewServer(mux)
		t.Cleanup(ts.Close)
		return ts.URL
	}
	t.Run("clean", func(t *testing.T) {
		t.Parallel()
		judgeGuesses(t, ExitOK, nil, "run", server(false), "-p", prof, "--suite", "resources,malformed,envelope")
	})
	t.Run("broken-400", func(t *testing.T) {
		t.Parallel()
		judgeGuesses(t, ExitFailed, []string{"envelope.schema"}, "run", server(true), "-p", prof, "--suite", "resources,malformed,envelope")
	})
}

// importDocument writes an OpenAPI document into a temporary folder and
// the profile init --from-openapi writes from it: the folder, the
// document's path and the profile's.
func importDocument(t *testing.T, text string) (dir, doc, prof string) {
	t.Helper()
	dir = t.TempDir()
	doc, prof = filepath.Join(dir, "openapi.yaml"), filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(doc, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := execute(t, nil, "init", "--from-openapi", doc, "-o", prof); code != ExitOK {
		t.Fatalf("init exit %d: %s", code, errOut)
	}
	return dir, doc, prof
}

// writeJSONBody answers st with v as JSON (the test servers' answers).
func writeJSONBody(w http.ResponseWriter, st int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(st)
	_ = json.NewEncoder(w).Encode(v)
}
