package cmd

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestInit_Learn: the profile learned from the reference server passes a
// run on it and fails under html-content-type; no byte of the key is in it.
func TestInit_Learn(t *testing.T) {
	t.Parallel()
	for _, profile := range []string{"erzycall", "voiceagent", "problem"} {
		t.Run(profile, func(t *testing.T) {
			dir := t.TempDir()
			base, env := startReference(t, profile)
			out := filepath.Join(dir, "errprobe.yaml")
			if _, errOut, code := execute(t, env, "init", "--learn", base, "-o", out); code != ExitOK {
				t.Fatalf("learn exit %d: %s", code, errOut)
			}
			b, _ := os.ReadFile(out)
			if key := env["ERRPROBE_API_KEY"]; key == "" || strings.Contains(string(b), key) || strings.Contains(string(b), key[len(key)-8:]) {
				t.Error("the learned profile holds the key (or part of it)")
			}
			if !strings.Contains(string(b), "# guess: the code is the member") || !strings.Contains(string(b), "(unknown route, no key) → 401") {
				t.Errorf("the profile does not quote what it saw or mark its guesses:\n%s", b)
			}
			stdout, _, code := execute(t, env, "run", base, "-p", out, "--no-color")
			if code != ExitOK {
				t.Errorf("clean run exit %d:\n%s", code, stdout)
			}
			faulty, env2 := startReference(t, profile, "html-content-type")
			if _, _, code := execute(t, env2, "run", faulty, "-p", out); code != ExitFailed {
				t.Errorf("run under html-content-type exit %d, want 1", code)
			}
		})
	}
}

func TestInit_LearnDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "errprobe.yaml")
	stdout, _, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "ek_live_secret_123456"}, "init", "--learn", srv.URL,
		"--path", "/v1/contacts", "--dry-run", "-o", out)
	if code != ExitOK || n.Load() != 0 {
		t.Fatalf("exit %d, %d requests sent", code, n.Load())
	}
	if !strings.Contains(stdout, "8 requests planned") || strings.Contains(stdout, "secret") || !strings.Contains(stdout, "PATCH") {
		t.Errorf("dry run output:\n%s", stdout)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a dry run wrote a profile")
	}
	if _, stderr, code := execute(t, nil, "init", "--path", "/x"); code != ExitUsage || !strings.Contains(stderr, "--learn") {
		t.Errorf("--path alone: exit %d %q", code, stderr)
	}
}

// TestInit_LearnURLPasswordNeverShown (T10): `init --learn
// http://user:PASSWORD@host` sends the password (as Basic) but writes and
// prints it nowhere — neither the profile nor stdout/stderr, even when the
// target echoes the Authorization header. Root cause: the base URL was
// written and printed as given.
func TestInit_LearnURLPasswordNeverShown(t *testing.T) {
	t.Parallel()
	var sawBasic atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pw, ok := r.BasicAuth(); ok && pw == "PWSEKRET99" {
			sawBasic.Store(true)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":"nope","message":"` + r.Header.Get("Authorization") + `"}`))
	}))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "errprobe.yaml")
	base := strings.Replace(srv.URL, "http://", "http://admin:PWSEKRET99@", 1)
	stdout, stderr, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "SEKRETkey-0123456789abcdef"}, "init", "--learn", base, "-o", out)
	b, _ := os.ReadFile(out)
	for _, text := range []string{stdout, stderr, string(b)} {
		if strings.Contains(text, "PWSEKRET99") || strings.Contains(text, "YWRtaW46UFdTRUtSRVQ5OQ") || strings.Contains(text, "SEKRETkey") {
			t.Errorf("a secret is shown (exit %d):\n%s", code, text)
		}
	}
	if !sawBasic.Load() {
		t.Error("the URL's credentials were not sent")
	}
}

// TestBadBaseURL_SameLine: a base URL that cannot work gets the same one
// line from `init --learn` as from `run` — naming the flag or argument it
// came from, saying what to write (add http://), never "(unparseable URL)"
// — and exit 2 before anything is sent.
func TestBadBaseURL_SameLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct{ url, says string }{
		{"127.0.0.1:18080", `has no scheme: add http:// (or https://), e.g. "http://127.0.0.1:18080"`},
		{"http://exa mple", `invalid character " " in host name; want http(s)://host[:port][/prefix]`},
		{"admin:PASSWORDsekret@127.0.0.1:18080", `"…@127.0.0.1:18080" has no scheme: add http://`},
	} {
		t.Run(tc.url, func(t *testing.T) {
			code, _, runErr := errprobe(t, nil, "run", "-p", "erzycall", tc.url)
			lcode, _, learnErr := errprobe(t, nil, "init", "--learn", tc.url, "-o", filepath.Join(dir, "p.yaml"))
			for _, c := range []struct {
				code       int
				line, name string
			}{{code, runErr, "BASE_URL"}, {lcode, learnErr, "--learn"}} {
				if c.code != ExitUsage || strings.Count(c.line, "\n") != 1 || !strings.HasPrefix(c.line, "errprobe: "+c.name+" ") ||
					!strings.Contains(c.line, tc.says) || strings.Contains(c.line, "unparseable") || strings.Contains(c.line, "PASSWORDsekret") {
					t.Errorf("exit %d, stderr %q; want exit 2 and one line naming %s that says %q", c.code, c.line, c.name, tc.says)
				}
			}
			if strings.TrimPrefix(runErr, "errprobe: BASE_URL") != strings.TrimPrefix(learnErr, "errprobe: --learn") {
				t.Errorf("run and init --learn say it differently:\n%s%s", runErr, learnErr)
			}
		})
	}
}
