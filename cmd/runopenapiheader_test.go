package cmd

import (
	"os"
	"path/filepath"
	"testing"
)

// headerDocument: a required header parameter with a pattern, beside the
// header the credential travels in (never broken by a probe).
const headerDocument = `openapi: 3.1.0
info: {title: headers, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Api-Key}
security: [{key: []}]
paths:
  /reports:
    get:
      parameters:
        - {name: X-Tenant, in: header, required: true, schema: {type: string, pattern: "^t_[0-9]+$"}}
        - {name: X-Api-Key, in: header, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "400": {description: invalid, content: {application/json: {schema: {type: object, properties: {message: {type: string}}}}}}
        "401": {description: no key, content: {application/json: {schema: {type: object, properties: {message: {type: string}}}}}}
`

// TestRun_OpenAPINegativeHeader: a required header parameter left out and
// one breaking its pattern are negative probes (what Schemathesis's
// missing_required_header checks): rejected by serve --openapi, accepted
// under accepts-invalid; the credential's header is never broken.
func TestRun_OpenAPINegativeHeader(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	doc := filepath.Join(dir, "openapi.yaml")
	if err := os.WriteFile(doc, []byte(headerDocument), 0o644); err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "p.yaml")
	if _, errOut, code := execute(t, nil, "init", "--from-openapi", doc, "-o", prof); code != ExitOK {
		t.Fatalf("init exit %d: %s", code, errOut)
	}
	verdicts := func(fr formatRun) map[string]string {
		got := map[string]string{}
		for _, r := range fr.rep.Results {
			if r.Check == "negative.rejected" {
				got[r.Probe] = r.Status
			}
		}
		return got
	}
	want := []string{"GET /reports negative required X-Tenant", "GET /reports negative pattern X-Tenant"}
	t.Run("clean", func(t *testing.T) {
		t.Parallel()
		fr := runFormat(t, prof, doc, nil)
		got := verdicts(fr)
		for _, name := range want {
			if got[name] != "pass" {
				t.Errorf("clean: %s %q (all: %v)\n%s", name, got[name], got, fr.out)
			}
		}
		if len(got) != len(want) || fr.code != ExitOK {
			t.Errorf("clean: exit %d, negative.rejected %v, want only %v", fr.code, got, want)
		}
	})
	t.Run("fault=accepts-invalid", func(t *testing.T) {
		t.Parallel()
		fr := runFormat(t, prof, doc, []string{"accepts-invalid"})
		got := verdicts(fr)
		for _, name := range want {
			if got[name] != "fail" {
				t.Errorf("accepts-invalid: %s %q (all: %v)", name, got[name], got)
			}
		}
		if fr.code != ExitFailed {
			t.Errorf("accepts-invalid: exit %d", fr.code)
		}
	})
}
