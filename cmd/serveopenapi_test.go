package cmd

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const serveDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
security: [{bearer: []}]
paths:
  /things:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
        "401": {description: no key}
`

func writeServeDoc(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(file, []byte(serveDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestServeOpenAPI_ListFaults(t *testing.T) {
	t.Parallel()
	io, out, _ := serveIO()
	if err := runServe(context.Background(), io, &serveOptions{OpenAPI: "any.yaml", ListFaults: true}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		names = append(names, strings.Fields(l)[0])
	}
	want := "wrong-status schema-violation no-www-authenticate no-allow auth-bypass accepts-invalid wrong-field undocumented-status"
	if strings.Join(names, " ") != want {
		t.Errorf("listed %v, want %s", names, want)
	}
}

func TestServeOpenAPI_UsageErrors(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name string
		o    serveOptions
		want string
	}
	doc := writeServeDoc(t)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	_ = os.WriteFile(bad, []byte("swagger: '2.0'\n"), 0o644)
	run := func(t *testing.T, tc testCase) {
		io, _, _ := serveIO()
		err := runServe(context.Background(), io, &tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("err %v, want one line with %q", err, tc.want)
		}
		if code := exitStatus(io, err); code != ExitUsage {
			t.Errorf("exit %d, want %d", code, ExitUsage)
		}
	}
	for _, tc := range []testCase{
		{"unknown fault", serveOptions{OpenAPI: doc, Faults: []string{"nope"}}, `--fault: unknown fault "nope"`},
		{"a document that does not load", serveOptions{OpenAPI: bad, Addr: "127.0.0.1:0"}, "bad.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestServeOpenAPI_ServesUntilCancelled: the printed key opens the secured
// operation; without it the answer is 401 with a Bearer challenge.
func TestServeOpenAPI_ServesUntilCancelled(t *testing.T) {
	t.Parallel()
	io, out, _ := serveIO()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, io, &serveOptions{OpenAPI: writeServeDoc(t), Addr: "127.0.0.1:0"}) }()
	urlRe := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+),`)
	keyRe := regexp.MustCompile(`export ERRPROBE_API_KEY=(\S+)\n`)
	deadline := time.Now().Add(5 * time.Second)
	for !keyRe.MatchString(out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no key: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	base, key := urlRe.FindStringSubmatch(out.String())[1], keyRe.FindStringSubmatch(out.String())[1]
	for _, tc := range []struct {
		auth      string
		want      int
		challenge string
	}{{"Bearer " + key, 200, ""}, {"", 401, "Bearer"}, {"Basic " + key, 401, "Bearer"}} {
		r, _ := http.NewRequest("GET", base+"/things", nil)
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), tc.challenge) {
			t.Errorf("Authorization %q: %d %q, want %d %s", tc.auth, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), tc.want, tc.challenge)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v after cancel", err)
	}
}
