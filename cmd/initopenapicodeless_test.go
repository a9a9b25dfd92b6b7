package cmd

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/fixtures/docserver"
	"github.com/errprobe/errprobe/openapi"
)

// fastAPIDocument is written as FastAPI generates one: HTTPBearer on every
// operation, the validator's 422 (HTTPValidationError, detail: [{loc, msg,
// type}]) the only error documented, no error code anywhere.
const fastAPIDocument = "testdata/fastapi-items.json"

// TestInitOpenAPI_CodelessDocument: init --from-openapi writes a code-less,
// status-only profile for a document without codes — each expectation a
// status read from the operation its built-in probe sends, RFC statuses
// marked guess — and the built-in probes run: they pass against serve
// --openapi on the document and fail, each with its own check ID, under
// the server's fault that breaks what they expect.
func TestInitOpenAPI_CodelessDocument(t *testing.T) {
	t.Parallel()
	prof, text := importedProfile(t, fastAPIDocument, t.TempDir())
	for _, w := range []string{"codes:\n  # The document shows no error code", "missing_key: {status: [401, 403]}",
		"invalid_key: {status: [401, 403]}", "malformed_json: {status: 422}", "validation: {status: 422}",
		"invalid_id: {status: 422}", `method_not_allowed: {status: 405, guess: "405 for a method`,
		`unknown_route: {status: 404, guess: "404 for a path`, `item: "/items/{id}"`,
		"Left unset, so their probes are skipped with that reason: not_found"} {
		if !strings.Contains(text, w) {
			t.Errorf("profile lacks %q:\n%s", w, text)
		}
	}
	expect := text[strings.Index(text, "\nexpect:\n"):]
	if m := regexp.MustCompile(`(?m)^  [a-z_]+: (.*)$`).FindAllStringSubmatch(expect, -1); len(m) == 0 {
		t.Fatalf("no expectation written:\n%s", expect)
	} else {
		for _, e := range m {
			if !strings.HasPrefix(e[1], "{status: ") || strings.Contains(e[1], "code") {
				t.Errorf("not status-only: %s", e[0])
			}
		}
	}
	d, err := openapi.Load(fastAPIDocument)
	if err != nil {
		t.Fatal(err)
	}
	type testCase struct {
		fault string
		fail  []string // built-in checks that must fail with it, as errors
		warn  []string // and as warnings (a guess, or a warning check)
	}
	builtIn := []string{"auth.missing-key", "auth.empty-key", "auth.garbage-key", "auth.wrong-scheme", "auth.www-authenticate",
		"malformed.truncated-json", "malformed.not-json", "malformed.content-type", "malformed.method", "validation.rejected",
		"resources.malformed-id", "resources.unknown-route"}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		srv, err := docserver.New(d, docserver.WithKey("good"), docserver.WithFaults(tc.fault))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		out := filepath.Join(t.TempDir(), "r.json")
		_, errOut, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "good"},
			"run", ts.URL, "-p", prof, "--suite", "auth,malformed,validation,resources", "--json", out, "-q")
		var rep struct {
			Results []struct{ Check, Status, Severity, Message, Probe string }
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("exit %d, no report: %s", code, errOut)
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		status, severity := map[string]string{}, map[string]string{}
		for _, r := range rep.Results {
			if status[r.Check] != "fail" {
				status[r.Check], severity[r.Check] = r.Status, r.Severity
			}
			if r.Status == "fail" && tc.fault == "" {
				t.Errorf("clean: %s [%s] failed (%s): %s", r.Check, r.Probe, r.Severity, r.Message)
			}
		}
		if tc.fault == "" {
			for _, c := range builtIn {
				if status[c] != "pass" {
					t.Errorf("clean: %s %s, want pass (it expects what the profile read from the document)", c, status[c])
				}
			}
			if code != ExitOK {
				t.Errorf("clean: exit %d, want 0", code)
			}
			return
		}
		for _, c := range tc.fail {
			if status[c] != "fail" || severity[c] != "error" {
				t.Errorf("fault %s: %s %s (%s), want an error", tc.fault, c, status[c], severity[c])
			}
		}
		for _, c := range tc.warn {
			if status[c] != "fail" || severity[c] != "warning" {
				t.Errorf("fault %s: %s %s (%s), want a warning", tc.fault, c, status[c], severity[c])
			}
		}
		if code != ExitFailed {
			t.Errorf("fault %s: exit %d, want 1", tc.fault, code)
		}
	}
	for _, tc := range []testCase{
		{"", nil, nil},
		{"auth-bypass", []string{"auth.missing-key", "auth.empty-key", "auth.garbage-key", "auth.wrong-scheme"}, nil},
		{"accepts-invalid", []string{"validation.rejected", "malformed.truncated-json", "malformed.not-json", "resources.malformed-id"}, nil},
		{"wrong-status", []string{"validation.rejected", "malformed.truncated-json"}, []string{"malformed.method"}},
		{"no-www-authenticate", []string{"auth.www-authenticate"}, nil},
		{"no-allow", nil, []string{"malformed.method-allow"}},
	} {
		t.Run("fault="+tc.fault, func(t *testing.T) { run(t, tc) })
	}
}

// importedProfile runs init --from-openapi doc into dir and returns the
// profile's path and text.
func importedProfile(t *testing.T, doc, dir string) (string, string) {
	t.Helper()
	prof := filepath.Join(dir, "p.yaml")
	if _, errOut, code := execute(t, nil, "init", "--from-openapi", doc, "-o", prof); code != ExitOK {
		t.Fatalf("init exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	return prof, string(b)
}
