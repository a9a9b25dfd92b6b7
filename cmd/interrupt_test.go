package cmd

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
)

// listTotal asks the reference handler directly (not over the network)
// how many contacts the first organisation has.
func listTotal(t *testing.T, h http.Handler, key string) int {
	t.Helper()
	var rec *httptest.ResponseRecorder
	// The run may have spent the rate limit (100/1s): poll past it, bounded.
	for deadline := time.Now().Add(3 * time.Second); ; {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/contacts", nil)
		req.Header.Set("X-API-Key", key)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusTooManyRequests || time.Now().After(deadline) {
			break
		}
		<-time.After(50 * time.Millisecond)
	}
	var body struct {
		Total *int `json:"total"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Total == nil {
		t.Fatalf("list: %d %s", rec.Code, rec.Body)
	}
	return *body.Total
}

// TestRunRun_Interrupted cancels the run's context — as Ctrl-C does — at
// three moments and checks that sending stops at once, created resources
// are deleted, the reports are written and marked interrupted, and the
// exit code is 130.
func TestRunRun_Interrupted(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name   string
		faults []string
		// at says, from a progress snapshot, when to interrupt (nil: when
		// the server first answers 201 Created).
		at func(checks.Progress) bool
	}
	run := func(t *testing.T, tc testCase) {
		h, env := referenceHandler(t, "erzycall", tc.faults...)
		key := env["ERRPROBE_API_KEY"]
		startTotal := listTotal(t, h, key)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var cancelled atomic.Bool
		interrupt := func() {
			if cancelled.CompareAndSwap(false, true) {
				cancel()
			}
		}
		var after, total atomic.Int64 // requests (clean-up aside) arriving after the interrupt
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			total.Add(1)
			if cancelled.Load() && r.Method != http.MethodDelete {
				after.Add(1)
			}
			rec := &statusRecorder{ResponseWriter: w}
			h.ServeHTTP(rec, r)
			if tc.at == nil && rec.status == http.StatusCreated {
				interrupt()
			}
		}))
		t.Cleanup(srv.Close)

		dir := t.TempDir()
		jsonPath, junitPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
		out, errb := &syncBuffer{}, &syncBuffer{}
		io := &IO{Out: out, Err: errb, Getenv: func(k string) string { return env[k] }, Now: time.Now}
		c := runCmd(io, func(_ context.Context, io *IO, o *runOptions) error {
			o.onProgress = func(p checks.Progress) {
				if tc.at != nil && tc.at(p) {
					interrupt()
				}
			}
			return runRun(ctx, io, o)
		})
		c.SilenceErrors, c.SilenceUsage = true, true
		c.SetArgs([]string{srv.URL, "--profile", "erzycall", "--json", jsonPath, "--junit", junitPath, "-q"})
		code := exitStatus(io, c.Execute())
		if !cancelled.Load() {
			t.Fatalf("the run ended (exit %d) before the moment to interrupt", code)
		}
		if code != ExitInterrupted {
			t.Errorf("exit %d, want %d\n%s", code, ExitInterrupted, errb.String())
		}
		// In flight at the interrupt: at most the burst's 8 workers.
		if n := after.Load(); n > 8 {
			t.Errorf("%d requests arrived after the interrupt (of %d), want only those in flight (≤ 8)", n, total.Load())
		}
		if got := listTotal(t, h, key); got != startTotal {
			t.Errorf("contacts: %d after the run, %d before: created resources left behind", got, startTotal)
		}
		var rep struct {
			Interrupted bool
			Leftovers   []string
			Totals      struct{ Verdict string }
		}
		b, err := os.ReadFile(jsonPath)
		if err != nil || json.Unmarshal(b, &rep) != nil {
			t.Fatalf("JSON report not written: %v", err)
		}
		if !rep.Interrupted || rep.Totals.Verdict != "interrupted" || len(rep.Leftovers) != 0 {
			t.Errorf("JSON report: interrupted %v, verdict %q, leftovers %v", rep.Interrupted, rep.Totals.Verdict, rep.Leftovers)
		}
		if x, err := os.ReadFile(junitPath); err != nil || !strings.Contains(string(x), "<testsuites") {
			t.Errorf("JUnit report not written: %v", err)
		}
	}
	for _, tc := range []testCase{
		{name: "during the probes"},
		{name: "during the burst", faults: []string{"no-rate-limit"},
			at: func(p checks.Progress) bool { return p.BurstRate > 0 || p.Status429 > 0 }},
		{name: "during the recovery wait",
			at: func(p checks.Progress) bool { return p.Wait > 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
