package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInit_FromOpenAPIWritesOnlyProfilesThatLoad: T13 — init wrote
// profiles it then refused to load (a relative server URL as base_url, a
// scheme name with a space, a pattern "^$", a CRLF in a key's header
// name). Now each document either gives a profile that loads or is
// refused with one line, exit 2, and nothing written.
func TestInit_FromOpenAPIWritesOnlyProfilesThatLoad(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name, doc string
		refused   string // "" when the profile must be written and load
	}
	head := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
	paths := `paths:
  /things/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string, pattern: "^$"}}]
    get:
      responses:
        "200": {description: ok}
        "404": {description: nf, content: {application/json: {schema: {type: object, required: [code], properties: {code: {type: string}}}}}}
`
	run := func(t *testing.T, tc testCase) {
		dir := t.TempDir()
		doc, out := filepath.Join(dir, "doc.yaml"), filepath.Join(dir, "p.yaml")
		if err := os.WriteFile(doc, []byte(tc.doc), 0o600); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := execute(t, nil, "init", "--from-openapi", doc, "-o", out)
		if tc.refused != "" {
			if code != ExitUsage || !strings.Contains(errOut, tc.refused) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Fatalf("exit %d, stderr %q; want exit 2 and one line with %q", code, errOut, tc.refused)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatal("a profile that does not load was written")
			}
			return
		}
		if code != ExitOK {
			t.Fatalf("init exit %d: %s", code, errOut)
		}
		if _, errOut, code := execute(t, nil, "run", "http://127.0.0.1:9", "-p", out, "--dry-run", "-q"); code != ExitOK {
			t.Fatalf("the written profile does not load: exit %d: %s", code, errOut)
		}
	}
	for _, tc := range []testCase{
		{"relative server", head + "servers: [{url: /relative/base}]\n" + paths, ""},
		{"scheme name with a space", head + "components: {securitySchemes: {\"key scheme\": {type: apiKey, in: header, name: X-API-Key}}}\n" +
			"security: [{\"key scheme\": []}]\n" + paths, ""},
		{"CRLF in the server URL", head + "servers: [{url: \"https://a.example.com\\r\\nbase_url: https://b.example.com\"}]\n" + paths, ""},
		{"CRLF in the key's header name", head + "components: {securitySchemes: {k: {type: apiKey, in: header, name: \"X-Key\\r\\nX-Other\"}}}\n" +
			"security: [{k: []}]\n" + paths, "does not load, so it was not written"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestInit_FromOpenAPIServerCommentedOut: T14 — init wrote the document's
// first server as base_url, so a run without a base URL sent keys to a
// host the user never named. It is written commented out.
func TestInit_FromOpenAPIServerCommentedOut(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	doc, out := filepath.Join(dir, "doc.yaml"), filepath.Join(dir, "p.yaml")
	text := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://api.example.com/v1'}]\n" +
		"paths: {/things: {get: {responses: {'200': {description: ok}}}}}\n"
	if err := os.WriteFile(doc, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := execute(t, nil, "init", "--from-openapi", doc, "-o", out); code != ExitOK {
		t.Fatalf("init exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\n# base_url: \"https://api.example.com/v1\"\n") || strings.Contains(string(b), "\nbase_url:") {
		t.Fatalf("the document's server is not commented out:\n%s", b)
	}
	_, errOut, code := execute(t, nil, "run", "-p", out, "--dry-run", "-q")
	if code != ExitUsage || strings.Contains(errOut, "api.example.com") {
		t.Fatalf("a run without a base URL: exit %d, stderr %q; want exit 2 asking for one", code, errOut)
	}
}
