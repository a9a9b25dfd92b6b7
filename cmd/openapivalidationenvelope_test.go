package cmd

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fastAPIItems answers as a FastAPI app does: its own {"detail": "..."}
// for a missing key (403), an unknown route (404) and an unrouted method
// (405), none of which its generated document describes, and the
// validator's 422 — {"detail": [{loc, msg, type}]}, or, broken, a bare
// string where the document's HTTPValidationError has the list.
func fastAPIItems(broken422 bool) http.Handler {
	detail := func(w http.ResponseWriter, st int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		_ = json.NewEncoder(w).Encode(map[string]any{"detail": v})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		item := strings.HasPrefix(r.URL.Path, "/items/") && len(r.URL.Path) > len("/items/")
		if r.URL.Path != "/items/" && !item {
			detail(w, http.StatusNotFound, "Not Found")
			return
		}
		allow := "GET, POST"
		if item {
			allow = "GET, DELETE"
		}
		if !strings.Contains(allow, r.Method) {
			w.Header().Set("Allow", allow)
			detail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
			return
		}
		if r.Header.Get("Authorization") != "Bearer good" {
			detail(w, http.StatusForbidden, "Not authenticated")
			return
		}
		var in map[string]any
		if r.Method == http.MethodPost && (json.NewDecoder(r.Body).Decode(&in) != nil || in["name"] == nil) {
			if broken422 {
				detail(w, http.StatusUnprocessableEntity, "name is required")
			} else {
				detail(w, http.StatusUnprocessableEntity, []any{map[string]any{"loc": []any{"body", "name"}, "msg": "field required", "type": "value_error.missing"}})
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost:
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"id": 1, "name": "x"}`))
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		case item:
			_, _ = w.Write([]byte(`{"id": 1, "name": "x"}`))
		default:
			_, _ = w.Write([]byte(`[]`))
		}
	})
}

// TestRun_OpenAPIValidationOnlyEnvelope: a document that gives an error
// schema to its validation errors (422) only — FastAPI's generated one —
// makes init write that schema under envelope.status_schemas["422"] with an
// open envelope, and run --openapi holds the 422 to it (a broken 422 body
// fails as an error) while the framework's own 403/404/405 bodies
// ({"detail": "Not authenticated"}) the document does not describe get no
// envelope finding at all (they were one guess warning each).
func TestRun_OpenAPIValidationOnlyEnvelope(t *testing.T) {
	t.Parallel()
	prof, text := importedProfile(t, fastAPIDocument, t.TempDir())
	if !strings.Contains(text, "  schema: {}\n  status_schemas:\n    \"422\": {") {
		t.Fatalf("the 422 schema is not the 422's own under an open envelope:\n%s", text)
	}
	type finding struct{ check, severity string }
	run := func(t *testing.T, broken bool) (byStatus map[int][]finding) {
		ts := httptest.NewServer(fastAPIItems(broken))
		t.Cleanup(ts.Close)
		out := filepath.Join(t.TempDir(), "r.json")
		_, errOut, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "good"},
			"run", ts.URL, "-p", prof, "--openapi", fastAPIDocument, "--json", out, "-q")
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("exit %d, no report: %s", code, errOut)
		}
		var rep struct {
			Exchanges []struct{ Response *struct{ Status int } }
			Results   []struct {
				Check, Status, Severity, Message string
				Exchange                         *int
			}
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		byStatus = map[int][]finding{}
		for _, r := range rep.Results {
			if r.Status != "fail" || r.Exchange == nil || rep.Exchanges[*r.Exchange].Response == nil {
				continue
			}
			st := rep.Exchanges[*r.Exchange].Response.Status
			byStatus[st] = append(byStatus[st], finding{r.Check, r.Severity})
			if strings.HasPrefix(r.Check, "envelope.") && st != http.StatusUnprocessableEntity {
				t.Errorf("broken=%v: %s (%s) on a %d the document does not describe: %s", broken, r.Check, r.Severity, st, r.Message)
			}
		}
		return byStatus
	}
	t.Run("clean", func(t *testing.T) {
		t.Parallel()
		for _, f := range run(t, false)[http.StatusUnprocessableEntity] {
			if strings.HasPrefix(f.check, "envelope.") || strings.HasPrefix(f.check, "openapi.") {
				t.Errorf("a 422 valid against its schema failed %s (%s)", f.check, f.severity)
			}
		}
	})
	t.Run("broken-422", func(t *testing.T) {
		t.Parallel()
		got := run(t, true)[http.StatusUnprocessableEntity]
		for _, f := range got {
			if f.severity == "error" && (f.check == "envelope.schema" || strings.HasPrefix(f.check, "openapi.")) {
				return
			}
		}
		t.Errorf("a 422 breaking its schema gave no error finding: %v", got)
	})
}

// TestRun_ValidationOnlyProfilePlain: the profile init writes from such a
// document also runs alone (`errprobe run`, no --openapi), as README's first
// steps do: its open envelope names no message, so the framework's
// {"detail": "Not authenticated"} is no envelope.message failure (the check
// is skipped, saying why), and a document that documents no 429 gives
// rate_limit: none — no burst is sent for a limiter it never promised.
// (The stand-in's loose request parsing fails malformed.* and validation
// probes, truly; no envelope or rate-limit check fails.)
func TestRun_ValidationOnlyProfilePlain(t *testing.T) {
	t.Parallel()
	prof, text := importedProfile(t, fastAPIDocument, t.TempDir())
	if strings.Contains(text, "\n  message:") || !strings.Contains(text, "\nrate_limit: \"none\"\n") {
		t.Fatalf("want no message pointer and rate_limit: none:\n%s", text)
	}
	ts := httptest.NewServer(fastAPIItems(false))
	t.Cleanup(ts.Close)
	out := filepath.Join(t.TempDir(), "r.json")
	stdout, errOut, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "good"},
		"run", ts.URL, "-p", prof, "--json", out, "-q")
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("exit %d, no report: %s", code, errOut)
	}
	var rep struct {
		Requests int
		Results  []struct{ Check, Status, Message string }
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	skipped := false
	for _, r := range rep.Results {
		if r.Status == "fail" && (strings.HasPrefix(r.Check, "envelope.") || strings.HasPrefix(r.Check, "ratelimit.")) {
			t.Errorf("%s failed on the framework's own bodies: %s", r.Check, r.Message)
		}
		if r.Check == "envelope.message" {
			if r.Status != "skip" || !strings.Contains(r.Message, "envelope.message not set") {
				t.Errorf("envelope.message %s (%s), want skipped: the profile names no message", r.Status, r.Message)
			}
			skipped = true
		}
	}
	if !skipped {
		t.Error("no envelope.message result: a check without evidence is skipped with its reason, not left out")
	}
	if rep.Requests > 100 {
		t.Errorf("exit %d, %d requests: a burst for a limiter the document never promised\n%s", code, rep.Requests, stdout)
	}
}
