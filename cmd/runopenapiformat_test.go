package cmd

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/errprobe/errprobe/fixtures/docserver"
	"github.com/errprobe/errprobe/openapi"
)

// formatDocument states a string format in a query parameter, a path
// parameter and a body member (beside other constraints).
const formatDocument = `openapi: 3.1.0
info: {title: formats, version: "1"}
components:
  schemas:
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
        errors: {type: array, items: {type: object, properties: {field: {type: string}}}}
paths:
  /events:
    get:
      parameters:
        - {name: day, in: query, schema: {type: string, format: date}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: object}}}}}
        "400": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [when]
              properties:
                when: {type: string, format: date-time}
                contact: {type: string, format: email, maxLength: 40}
      responses:
        "201": {description: created, content: {application/json: {schema: {type: object}}}}
        "422": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /hosts/{addr}:
    get:
      parameters:
        - {name: addr, in: path, required: true, schema: {type: string, format: ipv4}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "400": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
`

type formatRun struct {
	code int
	sent int64
	out  string
	rep  struct {
		Results []struct{ Check, Status, Severity, Guess, Probe string }
		Totals  struct{ Guessed int }
	}
}

// runFormat runs errprobe --openapi against serve --openapi's oracle for
// formatDocument (under faults), counting the requests it gets.
func runFormat(t *testing.T, prof, doc string, faults []string, args ...string) formatRun {
	t.Helper()
	d, err := openapi.Load(doc)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := docserver.New(d, docserver.WithKey("good"), docserver.WithFaults(faults...))
	if err != nil {
		t.Fatal(err)
	}
	var fr formatRun
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt64(&fr.sent, 1)
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	out := filepath.Join(t.TempDir(), "r.json")
	argv := append([]string{"run", ts.URL, "-p", prof, "--openapi", doc, "--suite", "negative", "--json", out, "-q"}, args...)
	fr.out, _, fr.code = execute(t, map[string]string{"ERRPROBE_API_KEY": "good"}, argv...)
	if b, err := os.ReadFile(out); err == nil {
		if err := json.Unmarshal(b, &fr.rep); err != nil {
			t.Fatal(err)
		}
	}
	fr.sent = atomic.LoadInt64(&fr.sent)
	return fr
}

// byStatus counts negative.format results by status.
func (fr formatRun) byStatus() map[string]int {
	got := map[string]int{}
	for _, r := range fr.rep.Results {
		if r.Check == "negative.format" {
			got[r.Status]++
		}
	}
	return got
}

// TestRun_OpenAPINegativeFormat: negative.format passes on the oracle,
// which asserts the formats its document states, and fails with its own ID
// under accepts-invalid — as a warning resting on a guess, which gates only
// where the profile states its severity.
func TestRun_OpenAPINegativeFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	doc := filepath.Join(dir, "openapi.yaml")
	if err := os.WriteFile(doc, []byte(formatDocument), 0o644); err != nil {
		t.Fatal(err)
	}
	prof, text := importedProfile(t, doc, dir)
	strict := filepath.Join(t.TempDir(), "p.yaml")
	stated := text + "severity:\n  negative.format: {level: error, reason: \"we validate formats\"}\n"
	if err := os.WriteFile(strict, []byte(stated), 0o644); err != nil {
		t.Fatal(err)
	}
	getsOnly := []string{"--operations", "GET /events,GET /hosts/{addr}"} // only format probes: no error-graded check fails
	t.Run("clean", func(t *testing.T) {
		t.Parallel()
		fr := runFormat(t, prof, doc, nil)
		if got := fr.byStatus(); fr.code != ExitOK || got["pass"] != 3 || got["fail"] != 0 {
			t.Errorf("clean oracle: exit %d, negative.format %v\n%s", fr.code, got, fr.out)
		}
		for _, r := range fr.rep.Results {
			if r.Status == "fail" {
				t.Errorf("clean oracle: %s failed on %s", r.Check, r.Probe)
			}
		}
	})
	t.Run("fault=accepts-invalid", func(t *testing.T) {
		t.Parallel()
		fr := runFormat(t, prof, doc, []string{"accepts-invalid"}, getsOnly...)
		if got := fr.byStatus(); fr.code != ExitOK || got["fail"] != 2 || fr.rep.Totals.Guessed != 2 {
			t.Errorf("accepts-invalid: exit %d, negative.format %v, %d guessed\n%s", fr.code, got, fr.rep.Totals.Guessed, fr.out)
		}
		for _, r := range fr.rep.Results {
			if r.Status == "fail" && (r.Check != "negative.format" || r.Severity != "warning" || !strings.Contains(r.Guess, "annotation")) {
				t.Errorf("accepts-invalid: %+v", r)
			}
		}
	})
	t.Run("fault=accepts-invalid, severity stated", func(t *testing.T) {
		t.Parallel()
		fr := runFormat(t, strict, doc, []string{"accepts-invalid"}, getsOnly...)
		if got := fr.byStatus(); fr.code != ExitFailed || got["fail"] != 2 {
			t.Errorf("a stated severity did not gate: exit %d, negative.format %v\n%s", fr.code, got, fr.out)
		}
	})
	t.Run("dry-run lists, max-requests bounds", func(t *testing.T) {
		t.Parallel()
		fr := runFormat(t, prof, doc, nil, "--dry-run")
		for _, name := range []string{"GET /events negative format day", "GET /hosts/{addr} negative format addr", "POST /events negative format contact"} {
			if !strings.Contains(fr.out, name) {
				t.Errorf("--dry-run does not list %q:\n%s", name, fr.out)
			}
		}
		if fr.sent != 0 {
			t.Errorf("--dry-run sent %d requests", fr.sent)
		}
		if fr = runFormat(t, prof, doc, nil, "--max-requests", "2"); fr.sent > 2 {
			t.Errorf("--max-requests 2: the server got %d", fr.sent)
		}
	})
}

// responseFormatDocument documents a body whose id is a UUID.
const responseFormatDocument = `openapi: 3.1.0
info: {title: formats, version: "1"}
paths:
  /events:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: object, required: [id], properties: {id: {type: string, format: uuid}}}}
`

// TestRun_OpenAPIResponseFormat: a body whose id breaks the format its
// schema states fails openapi.schema as a guess (graded warning, so the
// run passes); a UUID passes.
func TestRun_OpenAPIResponseFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	doc := filepath.Join(dir, "openapi.yaml")
	if err := os.WriteFile(doc, []byte(responseFormatDocument), 0o644); err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "p.yaml")
	if _, errOut, code := execute(t, nil, "init", "--from-openapi", doc, "-o", prof); code != ExitOK {
		t.Fatalf("init exit %d: %s", code, errOut)
	}
	run := func(t *testing.T, id string) (int, []jsonResult) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			switch {
			case r.URL.Path != "/events":
				w.WriteHeader(404)
				_, _ = w.Write([]byte(`{"message":"no route"}`))
			case r.Method != http.MethodGet && r.Method != http.MethodHead:
				w.Header().Set("Allow", "GET, HEAD")
				w.WriteHeader(405)
				_, _ = w.Write([]byte(`{"message":"method not allowed"}`))
			default:
				_, _ = w.Write([]byte(`[{"id":"` + id + `"}]`))
			}
		}))
		t.Cleanup(srv.Close)
		out := filepath.Join(t.TempDir(), "r.json")
		_, _, code := execute(t, nil, "run", srv.URL, "-p", prof, "--openapi", doc, "--suite", "openapi", "--json", out, "-q")
		var rep struct{ Results []jsonResult }
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		var schema []jsonResult
		for _, r := range rep.Results {
			if r.Check == "openapi.schema" {
				schema = append(schema, r)
			}
		}
		return code, schema
	}
	t.Run("uuid", func(t *testing.T) {
		t.Parallel()
		code, rs := run(t, "3be6453c-03eb-4357-ae5a-984a0e574a54")
		for _, r := range rs {
			if r.Status != "pass" {
				t.Errorf("a UUID: %+v", r)
			}
		}
		if code != ExitOK || len(rs) == 0 {
			t.Errorf("a UUID: exit %d, %d openapi.schema results", code, len(rs))
		}
	})
	t.Run("not a uuid", func(t *testing.T) {
		t.Parallel()
		code, rs := run(t, "e1")
		failed := 0
		for _, r := range rs {
			if r.Status == "fail" {
				failed++
				if r.Severity != "warning" || !strings.Contains(r.Guess, "annotation") || !strings.Contains(r.Message, "uuid") {
					t.Errorf("a broken UUID: %+v", r)
				}
			}
		}
		if code != ExitOK || failed == 0 {
			t.Errorf("a broken UUID: exit %d, %d failed (a guess never gates)", code, failed)
		}
	})
}

type jsonResult struct{ Check, Status, Severity, Guess, Message string }
