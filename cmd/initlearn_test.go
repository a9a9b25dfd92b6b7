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
