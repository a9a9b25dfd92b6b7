package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

type jsonResults struct {
	Results []struct {
		Check, Status, Operation, Probe string
	}
	Planned []struct{ Method, URL string }
}

// runOpenAPI imports the reference server's document and runs with
// --openapi against it (under faults); it returns the JSON report.
func runOpenAPI(t *testing.T, profile string, faults []string, extra ...string) (jsonResults, int, []string) {
	t.Helper()
	dir := t.TempDir()
	base, env := startReference(t, profile)
	doc := fetchDocument(t, base, dir)
	prof := filepath.Join(dir, "errprobe.yaml")
	if _, errOut, code := execute(t, env, "init", "--from-openapi", doc, "-o", prof); code != ExitOK {
		t.Fatalf("init exit %d: %s", code, errOut)
	}
	if len(faults) > 0 {
		base, env = startReference(t, profile, faults...)
	}
	out := filepath.Join(dir, "report.json")
	args := append([]string{"run", base, "-p", prof, "--openapi", doc, "--skip", "ratelimit", "--json", out, "-q"}, extra...)
	stdout, _, code := execute(t, env, args...)
	var rep jsonResults
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no JSON report (exit %d): %v\n%s", code, err, stdout)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]any
	}
	raw, _ := os.ReadFile(doc)
	_ = json.Unmarshal(raw, &d)
	var ops []string
	for p, item := range d.Paths {
		for m := range item {
			ops = append(ops, strings.ToUpper(m)+" "+p)
		}
	}
	sort.Strings(ops)
	return rep, code, ops
}

// TestRun_OpenAPI: every operation is named in the results of a clean run,
// which passes; each openapi check fails under the fault that breaks what
// the document promises.
func TestRun_OpenAPI(t *testing.T) {
	t.Parallel()
	type testCase struct {
		profile  string
		fault    string
		wantFail []string // check IDs that must fail
	}
	run := func(t *testing.T, tc testCase) {
		var faults []string
		if tc.fault != "" {
			faults = []string{tc.fault}
		}
		rep, code, ops := runOpenAPI(t, tc.profile, faults)
		failed := map[string]bool{}
		named := map[string]bool{}
		for _, r := range rep.Results {
			named[r.Operation] = true
			if r.Status == "fail" {
				failed[r.Check] = true
			}
		}
		if tc.fault == "" {
			if code != ExitOK || len(failed) > 0 {
				t.Errorf("clean run exit %d, failed %v", code, failed)
			}
			for _, op := range ops {
				if !named[op] {
					t.Errorf("no result names %s", op)
				}
			}
			return
		}
		if code != ExitFailed {
			t.Errorf("exit %d, want 1", code)
		}
		for _, c := range tc.wantFail {
			if !failed[c] {
				t.Errorf("%s did not fail under %s (failed: %v)", c, tc.fault, failed)
			}
		}
	}
	for _, tc := range []testCase{
		{"erzycall", "", nil},
		{"voiceagent", "", nil},
		{"problem", "", nil},
		{"jsonapi", "", nil},
		{"plain", "", nil},
		{"erzycall", "delete-200-body", []string{"openapi.status"}},
		{"erzycall", "envelope-wrong-type", []string{"openapi.schema"}},
		{"messaging", "missing-request-id", []string{"openapi.headers"}},
		{"voiceagent", "method-404", []string{"malformed.method", "openapi.method"}},
		{"erzycall", "validation-accepted", []string{"negative.rejected"}},
		{"erzycall", "validation-no-details", []string{"negative.details-field"}},
		{"erzycall", "missing-key-200", []string{"openapi.security"}},
		{"erzycall", "garbage-key-accepted", []string{"openapi.security"}},
		{"erzycall", "wrong-scheme-accepted", []string{"openapi.security"}},
		{"erzycall", "no-www-authenticate", []string{"openapi.www-authenticate"}},
	} {
		t.Run(tc.profile+"/"+tc.fault, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// TestRun_OpenAPIOperationsAndDryRun: --operations keeps the per-operation
// probes of the matching operations; the dry run lists them.
func TestRun_OpenAPIOperationsAndDryRun(t *testing.T) {
	t.Parallel()
	rep, code, _ := runOpenAPI(t, "erzycall", nil, "--dry-run", "--operations", "webhooks")
	if code != ExitOK {
		t.Fatalf("dry run exit %d", code)
	}
	var patch, other int
	for _, p := range rep.Planned {
		switch {
		case p.Method == "PATCH" && strings.Contains(p.URL, "/webhooks"):
			patch++
		case p.Method == "PATCH" && strings.Contains(p.URL, "/calls"):
			other++
		}
	}
	if patch != 2 || other != 0 {
		t.Errorf("planned %d PATCH on webhooks paths (want 2: one per path) and %d on calls (want 0)", patch, other)
	}
	_, stderr, code2 := execute(t, nil, "run", "http://127.0.0.1:1", "-p", "erzycall", "--operations", "x")
	if code2 != ExitUsage || !strings.Contains(stderr, "--operations needs --openapi") {
		t.Errorf("--operations alone: exit %d %q", code2, stderr)
	}
}
