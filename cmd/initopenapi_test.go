package cmd

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/schemas"
)

// startReference serves a built-in's reference server on a real listener
// and returns its URL and key environment.
func startReference(t *testing.T, profile string, faults ...string) (string, map[string]string) {
	t.Helper()
	p, err := schemas.Builtin(profile, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	run, err := fixtures.Start(ctx, "127.0.0.1:0", p, fixtures.WithFaults(faults...), fixtures.WithRateLimit(10000, time.Minute))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); run.Close() })
	env := map[string]string{}
	for _, v := range run.Keys.Vars() {
		env[v.Name] = v.Value
	}
	return run.URL, env
}

// fetchDocument saves the reference server's /openapi.json into dir.
func fetchDocument(t *testing.T, base, dir string) string {
	t.Helper()
	resp, err := http.Get(base + fixtures.OpenAPIPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	file := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestInit_FromOpenAPIRoundTrip: the reference server's document becomes a
// profile whose run passes on the clean server and fails under a fault.
func TestInit_FromOpenAPIRoundTrip(t *testing.T) {
	t.Parallel()
	type testCase struct {
		profile string
		fault   string
		want    int
	}
	run := func(t *testing.T, tc testCase) {
		dir := t.TempDir()
		base, env := startReference(t, tc.profile)
		doc := fetchDocument(t, base, dir)
		out := filepath.Join(dir, "errprobe.yaml")
		if _, errOut, code := execute(t, env, "init", "--from-openapi", doc, "-o", out); code != ExitOK {
			t.Fatalf("init exit %d: %s", code, errOut)
		}
		if tc.fault != "" {
			base, env = startReference(t, tc.profile, tc.fault)
		}
		stdout, _, code := execute(t, env, "run", base, "-p", out, "--skip", "ratelimit", "--no-color")
		if code != tc.want {
			t.Errorf("run exit %d, want %d:\n%s", code, tc.want, stdout)
		}
	}
	cases := []testCase{{"erzycall", "wrong-status", ExitFailed}, {"problem", "method-404", ExitFailed}, {"plain", "method-404", ExitFailed}}
	for _, name := range schemas.BuiltinNames() {
		cases = append(cases, testCase{name, "", ExitOK})
	}
	for _, tc := range cases {
		t.Run(tc.profile+"/"+tc.fault, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

func TestInit_FromOpenAPIBadDocuments(t *testing.T) {
	t.Parallel()
	for file, want := range map[string]string{
		"swagger-2.0.json": "/swagger: Swagger 2.0 documents are not supported",
		"not-openapi.json": "not an OpenAPI document",
		"missing-ref.yaml": "missing.yaml not found",
		"url-ref.yaml":     "is a URL",
	} {
		t.Run(file, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "errprobe.yaml")
			_, errOut, code := execute(t, nil, "init", "--from-openapi", "../openapi/testdata/"+file, "-o", out)
			if code != ExitUsage || !strings.Contains(errOut, want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d stderr %q; want exit 2 and one line with %q", code, errOut, want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a bad document still wrote a profile")
			}
		})
	}
}
