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
)

// documentServer serves doc at /openapi.json (and next, if set, for every
// other path), counting the requests it receives.
func documentServer(t *testing.T, doc []byte, next http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch {
		case r.URL.Path == "/openapi.json" && doc != nil:
			w.Header().Set("Content-Type", "application/json")
			w.Write(doc)
		case next != nil:
			next(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

const urlDoc = `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
 "paths": {"/v1/things": {"get": {"responses": {"200": {"description": "ok"},
   "404": {"$ref": "#/components/responses/Error"}}}}},
 "components": {"responses": {"Error": {"description": "error", "content": {"application/json":
   {"schema": {"type": "object", "properties": {"code": {"type": "string"}}}}}}}}}`

// TestRun_OpenAPIURL: --openapi URL reads the document from the API under
// test, in one request counted in the run's budget and report.
func TestRun_OpenAPIURL(t *testing.T) {
	t.Parallel()
	srv, hits := documentServer(t, []byte(urlDoc), nil)
	out := filepath.Join(t.TempDir(), "report.json")
	// A key: a dry run plans only what the run would send with the keys it has.
	_, errOut, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "k_dry"}, "run", srv.URL, "-p", "erzycall", "--openapi", srv.URL+"/openapi.json", "--dry-run", "--json", out, "-q")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("the server saw %d requests in a dry run, want 1 (the document)", n)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Requests int
		Planned  []struct{ URL string }
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Requests != 1 {
		t.Errorf("report counts %d requests, want 1", rep.Requests)
	}
	if !strings.Contains(string(b), "/v1/things") {
		t.Errorf("the plan has no probe of the document's operation")
	}
}

// TestRun_OpenAPIURLRefused: a document URL off the base URL's origin, a
// redirect off it, an error status and a document that names other files
// are each one line and exit 2; nothing reaches another host.
func TestRun_OpenAPIURLRefused(t *testing.T) {
	t.Parallel()
	other, otherHits := documentServer(t, []byte(urlDoc), nil)
	redirect, _ := documentServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/openapi.json", http.StatusFound)
	})
	missing, _ := documentServer(t, nil, nil)
	fileRef, _ := documentServer(t, []byte(strings.Replace(urlDoc, "#/components/responses/Error", "errors.yaml#/Error", 1)), nil)
	type testCase struct {
		name, base, doc, want string
	}
	run := func(t *testing.T, tc testCase) {
		_, errOut, code := execute(t, nil, "run", tc.base, "-p", "erzycall", "--openapi", tc.doc, "--dry-run", "-q")
		if code != ExitUsage || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 1 {
			t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut, tc.want)
		}
	}
	for _, tc := range []testCase{
		{"other host", missing.URL, other.URL + "/openapi.json", "not on the base URL's scheme and host"},
		{"redirect off the host", redirect.URL, redirect.URL + "/openapi.json", "not followed"},
		{"error status", missing.URL, missing.URL + "/openapi.json", "answered 404"},
		{"file $ref", fileRef.URL, fileRef.URL + "/openapi.json", "must be self-contained"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
}

// TestInit_FromOpenAPIURL: init --from-openapi URL reads the document a
// web framework publishes (one request, no key) and writes the profile a
// run loads; a URL answering 404 or redirecting off its own origin is one
// line naming --from-openapi, exit 2, nothing written.
func TestInit_FromOpenAPIURL(t *testing.T) {
	t.Parallel()
	srv, hits := documentServer(t, []byte(urlDoc), nil)
	other, otherHits := documentServer(t, []byte(urlDoc), nil)
	redirect, _ := documentServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/openapi.json", http.StatusFound)
	})
	dir := t.TempDir()
	prof := filepath.Join(dir, "p.yaml")
	out, errOut, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "k_secret"}, "init", "--from-openapi", srv.URL+"/openapi.json", "-o", prof)
	if code != ExitOK || !strings.Contains(out, "(1 operations)") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("the server saw %d requests, want 1 (the document)", n)
	}
	if _, errOut, code := execute(t, nil, "run", srv.URL, "-p", prof, "--dry-run", "-q"); code != ExitOK {
		t.Errorf("the profile written from the URL does not run: exit %d: %s", code, errOut)
	}
	for _, tc := range []struct{ url, want string }{
		{srv.URL + "/missing.json", "--from-openapi " + srv.URL + "/missing.json: answered 404"},
		{redirect.URL + "/openapi.json", "not followed"},
	} {
		bad := filepath.Join(dir, "bad.yaml")
		_, errOut, code := execute(t, nil, "init", "--from-openapi", tc.url, "-o", bad)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tc.url, code, errOut, tc.want)
		}
		if _, err := os.Stat(bad); err == nil {
			t.Errorf("%s: a profile was written", tc.url)
		}
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
}
