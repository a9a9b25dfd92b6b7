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

// signalled runs errprobe with args and env in a helper process, sends it
// SIGINT once ready() holds (polled, 20 s at most), and returns how long it
// took to exit after the signal; exit code and stderr stay on c.
func signalled(t *testing.T, args, env []string, stderr io.Writer, ready func() bool) (*exec.Cmd, time.Duration) {
	t.Helper()
	c := exec.Command(os.Args[0], "-test.run=^TestMain_SignalHelper$")
	c.Env = append(append(os.Environ(), "ERRPROBE_TEST_MAIN=1", "ERRPROBE_TEST_ARGS="+strings.Join(args, "\x1f")), env...)
	c.Stderr = stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !ready(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			c.Process.Kill()
			t.Fatal("never ready for the signal: no request reached the server")
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
	return c, time.Since(start)
}

// TestMain_SIGINTWithRequestsInFlight (D10, T5): SIGINT to a real process
// whose requests hang at the server ends it with exit 130 within its
// bounded wind-down (requests in flight get 0.3 s), the JSON report written,
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
	c, took := signalled(t, args, []string{"ERRPROBE_API_KEY=SEKRETkey-0123456789abcdef"}, nil, func() bool { return seen.Load() > 0 })
	if code := c.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	if took > 2500*time.Millisecond {
		t.Errorf("took %s after SIGINT", took)
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

// TestMain_SIGINTWindsDownQuickly: SIGINT to a real process that has
// created resources, with requests hanging at the server and every
// clean-up DELETE hanging too, ends it by itself (not by the watchdog)
// within about 2 s — it was up to 13 s: 2 s for requests in flight, 10 s
// of clean-up — having written its reports: marked interrupted, the
// unfinished probes "not run: interrupted" (none failed), and what it
// could not delete listed as leftovers.
func TestMain_SIGINTWindsDownQuickly(t *testing.T) {
	t.Parallel()
	h, env := referenceHandler(t, "erzycall")
	var created atomic.Bool
	var deletes atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			deletes.Add(1)
		}
		if created.Load() { // from the first create on, nothing is answered
			_, _ = io.Copy(io.Discard, r.Body)
			<-r.Context().Done()
			return
		}
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if rec.status == http.StatusCreated {
			created.Store(true)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	jsonPath, junitPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	args := []string{"run", srv.URL, "-p", "erzycall", "-q", "--timeout", "60s", "--json", jsonPath, "--junit", junitPath}
	var keys []string
	for k, v := range env {
		keys = append(keys, k+"="+v)
	}
	var stderr strings.Builder
	c, took := signalled(t, args, keys, &stderr, created.Load)
	if code := c.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	if took > 2500*time.Millisecond || strings.Contains(stderr.String(), "without finishing") {
		t.Errorf("took %s after SIGINT, want about 2 s at most, ending by itself:\n%s", took, stderr.String())
	}
	if deletes.Load() == 0 {
		t.Error("no clean-up DELETE was tried")
	}
	var rep struct {
		Interrupted bool
		Leftovers   []string
		Results     []struct{ Check, Status, Message string }
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil || json.Unmarshal(b, &rep) != nil {
		t.Fatalf("JSON report not written: %v", err)
	}
	if x, err := os.ReadFile(junitPath); err != nil || !strings.Contains(string(x), "<testsuites") {
		t.Errorf("JUnit report not written: %v", err)
	}
	notRun := 0
	for _, r := range rep.Results {
		if r.Status == "fail" {
			t.Errorf("a failure after an interrupt: %s: %s", r.Check, r.Message)
		}
		if r.Status == "skip" && strings.Contains(r.Message, "not run: interrupted") {
			notRun++
		}
	}
	if !rep.Interrupted || notRun == 0 || len(rep.Leftovers) == 0 {
		t.Errorf("report: interrupted %v, %d results 'not run: interrupted', leftovers %v", rep.Interrupted, notRun, rep.Leftovers)
	}
	t.Logf("exit %s after SIGINT; %d not run; leftovers %v", took.Round(time.Millisecond), notRun, rep.Leftovers)
}
