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

// TestRunRun_ProfileBaseURLAnnounced (T14, run side): a base URL the user
// did not give — the profile's base_url, perhaps written from a
// document's servers — is printed on stderr before anything is sent (its
// password hidden); one given on the command line or in
// ERRPROBE_BASE_URL is not repeated. Root cause: the profile's base_url was
// used silently.
func TestRunRun_ProfileBaseURLAnnounced(t *testing.T) {
	t.Parallel()
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent.Add(1) }))
	defer srv.Close()
	withPW := strings.Replace(srv.URL, "http://", "http://u:PWSEKRET@", 1)
	prof := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(prof, []byte("extends: erzycall\nbase_url: "+withPW+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ERRPROBE_API_KEY": "SEKRETkey-0123456789abcdef"}
	_, _, errOut := errprobe(t, env, "run", "-p", prof, "--max-requests", "1", "-q")
	want := "errprobe: base URL " + strings.Replace(srv.URL, "http://", "http://u:xxxxx@", 1) + " from the profile's base_url (" + prof + ")"
	if !strings.HasPrefix(errOut, want) || strings.Contains(errOut, "PWSEKRET") {
		t.Errorf("stderr %q, want it to start with %q", errOut, want)
	}
	if sent.Load() == 0 {
		t.Error("nothing sent")
	}
	env["ERRPROBE_BASE_URL"] = srv.URL
	if _, _, errOut := errprobe(t, env, "run", "-p", prof, "--max-requests", "1", "-q"); strings.Contains(errOut, "base URL") {
		t.Errorf("a base URL the user gave is announced: %q", errOut)
	}
}
