//go:build unix

package cmd

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestMain_SignalHelper is the errprobe process for the signal tests: it
// runs mainArgs on ERRPROBE_TEST_ARGS when ERRPROBE_TEST_MAIN is set.
func TestMain_SignalHelper(t *testing.T) {
	if os.Getenv("ERRPROBE_TEST_MAIN") != "1" {
		t.Skip("helper process only")
	}
	os.Exit(mainArgs(System(), strings.Split(os.Getenv("ERRPROBE_TEST_ARGS"), "\x1f")))
}

// TestMain_SIGINTWithRequestsInFlight (D10, T5): SIGINT to a real process
// whose requests hang at the server ends it with exit 130 within its
// bounded wind-down (requests in flight get 2 s), the JSON report written,
// marked interrupted, and the probes cut short reported as not run — none
// failed.
func TestMain_SIGINTWithRequestsInFlight(t *testing.T) {
	t.Parallel()
	var seen atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		select { // never answers
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	jsonPath := filepath.Join(t.TempDir(), "r.json")
	args := []string{"run", srv.URL, "-p", "erzycall", "-q", "--timeout", "60s", "--json", jsonPath}
	c := exec.Command(os.Args[0], "-test.run=^TestMain_SignalHelper$")
	c.Env = append(os.Environ(), "ERRPROBE_TEST_MAIN=1", "ERRPROBE_TEST_ARGS="+strings.Join(args, "\x1f"),
		"ERRPROBE_API_KEY=SEKRETkey-0123456789abcdef")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); seen.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			c.Process.Kill()
			t.Fatal("no request reached the server")
		}
	}
	start := time.Now()
	_ = c.Process.Signal(syscall.SIGINT)
	exited := make(chan error, 1)
	go func() { exited <- c.Wait() }()
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		c.Process.Kill()
		t.Fatal("still running 15 s after SIGINT")
	}
	if code := c.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s after SIGINT", d)
	}
	var rep struct {
		Interrupted bool
		Results     []struct{ Status, Message string }
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil || json.Unmarshal(b, &rep) != nil {
		t.Fatalf("JSON report not written: %v", err)
	}
	if !rep.Interrupted {
		t.Error("report not marked interrupted")
	}
	for _, r := range rep.Results {
		if r.Status == "fail" {
			t.Errorf("a failure after an interrupt: %s", r.Message)
		}
	}
}
