package checks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// untouchable is a listener that records any connection made to it.
func untouchable(t *testing.T) (url string, touched *atomic.Bool) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	touched = &atomic.Bool{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			touched.Store(true)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return "http://" + ln.Addr().String(), touched
}

func TestRun_DryRunSendsNothing(t *testing.T) {
	t.Parallel()
	cfg := target(t, "erzycall")
	url, touched := untouchable(t)
	cfg.BaseURL, cfg.DryRun = url, true
	rep := run(t, cfg)
	if touched.Load() {
		t.Fatal("dry run connected to the target")
	}
	if rep.Requests != 0 || len(rep.Results) != 0 || !rep.DryRun {
		t.Errorf("dry run report: requests %d, results %d, dry %v", rep.Requests, len(rep.Results), rep.DryRun)
	}
	if len(rep.Planned) < 25 {
		t.Errorf("planned %d requests, want every probe's", len(rep.Planned))
	}
	text, _ := json.Marshal(rep.Planned)
	assertNoKeys(t, cfg, string(text))
	for _, r := range rep.Planned {
		if !strings.HasPrefix(r.URL, url) {
			t.Errorf("planned request to another host: %s", r.URL)
		}
	}
	again := run(t, cfg)
	for i := range rep.Planned {
		a, b := rep.Planned[i], again.Planned[i]
		if a.Method+a.URL != b.Method+b.URL {
			t.Fatalf("plan order differs at %d: %s %s vs %s %s", i, a.Method, a.URL, b.Method, b.URL)
		}
	}
}

func TestRun_DryRunWithoutKeys(t *testing.T) {
	t.Parallel()
	p, err := schemas.Builtin("problem", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	c, _ := schemas.Compile(p)
	url, touched := untouchable(t)
	rep := run(t, checks.Config{Contract: c, BaseURL: url, DryRun: true})
	if touched.Load() || len(rep.Planned) == 0 {
		t.Fatalf("touched %v, planned %d", touched.Load(), len(rep.Planned))
	}
	// The plan is what the run would send with the keys it has now: nothing
	// that needs the missing key, which Keyless names once.
	for _, req := range rep.Planned {
		if h := req.Header.Get("Authorization"); strings.Contains(h, "$ERRPROBE_API_KEY") {
			t.Errorf("planned %s %s carries the missing key %q", req.Method, req.URL, h)
		}
		if req.Probe == "" || len(req.Checks) == 0 {
			t.Errorf("planned %s %s has no probe/checks label", req.Method, req.URL)
		}
	}
	if !strings.Contains(rep.Keyless, "ERRPROBE_API_KEY") {
		t.Errorf("Keyless = %q, want it to name the missing variable", rep.Keyless)
	}
}

// assertNoKeys fails if any of the target's keys appears in text.
func assertNoKeys(t *testing.T, cfg checks.Config, text string) {
	t.Helper()
	k := cfg.Contract.Profile().Auth.Keys
	for _, key := range []string{k.Valid, k.Revoked, k.Expired, k.NoScope, k.OtherTenant} {
		if key != "" && strings.Contains(text, key) {
			t.Errorf("key %s…%s leaked", key[:4], key[len(key)-2:])
		}
	}
}

func TestRun_KeysMaskedEverywhere(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"erzycall", "problem"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := target(t, name)
			var logged strings.Builder
			cfg.Log = func(ex report.Exchange) {
				b, _ := json.Marshal(ex)
				logged.Write(b)
			}
			rep := run(t, cfg)
			b, _ := json.Marshal(rep)
			assertNoKeys(t, cfg, string(b)+logged.String())
			var keyed int
			for _, res := range rep.Results {
				if ex := res.Exchange; ex != nil && ex.Request.KeyHeader != "" {
					keyed++
					if ex.Request.KeyEnv != "ERRPROBE_API_KEY" && !strings.HasPrefix(ex.Request.KeyEnv, "ERRPROBE_") {
						t.Errorf("%s: KeyEnv %q", res.Check, ex.Request.KeyEnv)
					}
				}
			}
			if keyed == 0 {
				t.Error("no exchange records its key header")
			}
		})
	}
}

// counting wraps the reference server and counts the requests it receives.
func counting(t *testing.T, profile string, faults ...string) (checks.Config, *atomic.Int64) {
	t.Helper()
	p, _ := schemas.Builtin(profile, func(string) string { return "" })
	srv, err := fixtures.New(p, fixtures.WithFaults(faults...), fixtures.WithRateLimit(demoRate, demoWindow))
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	p, _ = schemas.Builtin(profile, srv.Keys().Getenv(nil))
	p.RateLimit.Burst.MaxWait = "3s"
	c, _ := schemas.Compile(p)
	return checks.Config{Contract: c, BaseURL: hs.URL, Concurrency: 8}, &n
}

func TestRun_BudgetNeverExceeded(t *testing.T) {
	t.Parallel()
	type testCase struct {
		max    int
		faults []string
	}
	run := func(t *testing.T, tc testCase) {
		cfg, n := counting(t, "erzycall", tc.faults...)
		cfg.MaxRequests = tc.max
		rep, err := checks.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := n.Load(); got > int64(tc.max) || rep.Requests > tc.max {
			t.Errorf("server saw %d requests, report says %d, budget %d", got, rep.Requests, tc.max)
		}
		if int64(rep.Requests) != n.Load() {
			t.Errorf("report says %d requests, server saw %d", rep.Requests, n.Load())
		}
	}
	for _, tc := range []testCase{
		{max: 1}, {max: 9}, {max: 40}, {max: 90},
		{max: 200, faults: []string{"no-rate-limit"}},
		{max: 500, faults: []string{"no-rate-limit"}},
	} {
		t.Run(strings.Join(append([]string{fmt.Sprintf("max-%d", tc.max)}, tc.faults...), "-"), func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

func TestRun_Unreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	for _, suites := range [][]string{nil, {"ratelimit"}} {
		cfg := target(t, "erzycall")
		cfg.BaseURL, cfg.Suites = "http://"+addr, suites
		_, err = checks.Run(context.Background(), cfg)
		if !errors.Is(err, checks.ErrUnreachable) {
			t.Fatalf("suites %v: err = %v, want ErrUnreachable", suites, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error is not one line: %q", err)
		}
	}
}

func TestRun_InterruptedDuringBurst(t *testing.T) {
	t.Parallel()
	cfg, n := counting(t, "erzycall", "no-recovery")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.Progress = func(p checks.Progress) {
		if p.Wait > 0 {
			cancel() // during the recovery countdown
		}
	}
	start := time.Now()
	rep, err := checks.Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Interrupted {
		t.Error("report not marked interrupted")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s after the interrupt", d)
	}
	if len(rep.Leftovers) > 0 {
		t.Errorf("leftovers: %v", rep.Leftovers)
	}
	sent := n.Load()
	time.Sleep(50 * time.Millisecond)
	if n.Load() != sent {
		t.Error("requests still sent after Run returned")
	}
}

func TestRun_InterruptedEarlyCleansUp(t *testing.T) {
	t.Parallel()
	cfg, _ := counting(t, "erzycall")
	ctx, cancel := context.WithCancel(context.Background())
	var seen atomic.Int64
	cfg.Log = func(ex report.Exchange) {
		if ex.Response != nil && ex.Response.Status == http.StatusCreated && seen.Add(1) == 1 {
			cancel()
		}
	}
	rep, err := checks.Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Interrupted || len(rep.Leftovers) > 0 {
		t.Errorf("interrupted %v, leftovers %v", rep.Interrupted, rep.Leftovers)
	}
	for _, r := range rep.Results {
		if r.Status == report.StatusFail {
			t.Errorf("interrupted run reports a failure: %s [%s] %s", r.Check, r.Probe, r.Message)
		}
	}
}

func TestRun_SuiteAndSkip(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name         string
		suites, skip []string
		wantSuites   []string
		wantErr      string
	}
	run := func(t *testing.T, tc testCase) {
		cfg := target(t, "erzycall")
		cfg.Suites, cfg.Skip = tc.suites, tc.skip
		rep, err := checks.Run(context.Background(), cfg)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, r := range rep.Results {
			got[r.Suite] = true
		}
		for _, s := range tc.wantSuites {
			if !got[s] {
				t.Errorf("no %s results", s)
			}
			delete(got, s)
		}
		if len(got) > 0 {
			t.Errorf("unexpected suites: %v", got)
		}
	}
	for _, tc := range []testCase{
		{name: "auth only", suites: []string{"auth"}, wantSuites: []string{"auth"}},
		{name: "one check", suites: []string{"malformed.method"}, wantSuites: []string{"malformed"}},
		{name: "envelope only", suites: []string{"envelope"}, wantSuites: []string{"envelope"}},
		{name: "skip ratelimit", skip: []string{"ratelimit,idempotency"},
			wantSuites: []string{"envelope", "malformed", "auth", "resources", "validation"}},
		{name: "unknown", suites: []string{"nope"}, wantErr: "--suite nope: no such suite or check"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// recompiled is cfg's contract with its profile edited (a copy).
func recompiled(t *testing.T, cfg checks.Config, edit func(*schemas.Profile)) *schemas.Contract {
	t.Helper()
	p := *cfg.Contract.Profile()
	edit(&p)
	c, err := schemas.Compile(&p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRun_SkipReasons(t *testing.T) {
	t.Parallel()
	cfg := target(t, "erzycall")
	cfg.Contract = recompiled(t, cfg, func(p *schemas.Profile) { p.Auth.Keys.Revoked = "" })
	cfg.Suites = []string{"auth"}
	rep := run(t, cfg)
	for _, r := range rep.Results {
		if r.Check == report.AuthRevokedKey {
			want := "keys.revoked not set ($ERRPROBE_REVOKED_KEY is empty)"
			if r.Status != report.StatusSkip || r.Message != want {
				t.Errorf("revoked-key: %s %q, want skip %q", r.Status, r.Message, want)
			}
			return
		}
	}
	t.Error("no auth.revoked-key result")
}

func TestRun_ResultsInPlanOrder(t *testing.T) {
	t.Parallel()
	order := func() []string {
		cfg := target(t, "problem")
		cfg.Skip = []string{"ratelimit"}
		var out []string
		for _, r := range run(t, cfg).Results {
			// Whether concurrent same-key requests meet an in-flight
			// error (and so envelope results) depends on timing.
			if r.Probe == "concurrent" && r.Suite == report.SuiteEnvelope {
				continue
			}
			out = append(out, r.Check+"/"+r.Probe)
		}
		return out
	}
	a, b := order(), order()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("two runs ordered results differently:\n%v\n%v", a, b)
	}
}

func TestRun_BudgetExhaustedIsNotAFinding(t *testing.T) {
	t.Parallel()
	cfg, _ := counting(t, "erzycall")
	cfg.MaxRequests = 12
	rep := run(t, cfg)
	if f := failures(rep); len(f) > 0 {
		t.Errorf("budget exhaustion reported as failures:\n%s", strings.Join(f, "\n"))
	}
	var skipped int
	for _, r := range rep.Results {
		if r.Status == report.StatusSkip && strings.Contains(r.Message, "budget") {
			skipped++
		}
	}
	if skipped == 0 {
		t.Error("no result says the budget ran out")
	}
}

// TestRun_GuessedExpectation: a failure against an expectation the profile
// marks as a guess (expect.X.guess) is graded warning and says what it was
// guessed from; the same failure against a read expectation gates.
func TestRun_GuessedExpectation(t *testing.T) {
	t.Parallel()
	cfg := targetWith(t, "erzycall", func(p *schemas.Profile) {
		p.Expect[schemas.ExpectNotFound] = schemas.Expectation{Status: schemas.Statuses{418}, Guess: "the usual status of a test"}
		p.Expect[schemas.ExpectInvalidID] = schemas.Expectation{AnyOf: []schemas.Expectation{{Status: schemas.Statuses{418}}}}
	})
	cfg.Suites, cfg.Skip = []string{report.ResourcesUnknownID, report.ResourcesMalformedID}, nil
	rep := run(t, cfg)
	got := map[string]report.Result{}
	for _, r := range rep.Results {
		if r.Status == report.StatusFail {
			got[r.Check] = r
		}
	}
	guessed, read := got[report.ResourcesUnknownID], got[report.ResourcesMalformedID]
	if guessed.Severity != report.SeverityWarning || guessed.Guess != "the usual status of a test" ||
		!strings.Contains(guessed.Message, "a guess: the usual status of a test") {
		t.Errorf("guessed not_found: got %s %q (guess %q), want a warning naming the guess\n%s", guessed.Severity, guessed.Message, guessed.Guess, summary(rep))
	}
	if read.Severity != report.SeverityError || read.Guess != "" {
		t.Errorf("read invalid_id: got %s (guess %q), want an error\n%s", read.Severity, read.Guess, summary(rep))
	}
	if n := failedWith(rep, report.ResourcesUnknownID); rep.Guessed() != n || n == 0 {
		t.Errorf("the summary counts %d guessed failures, want %d (the unknown-id ones)\n%s", rep.Guessed(), n, summary(rep))
	}
}

func failedWith(rep *report.Report, check string) int {
	n := 0
	for _, r := range rep.Results {
		if r.Status == report.StatusFail && r.Check == check {
			n++
		}
	}
	return n
}

// TestRun_KeylessBurstSaysWhy: without a valid key the burst sends
// nothing, and its envelope checks are skipped for that reason — not for
// "no error response to check", which says a response came.
func TestRun_KeylessBurstSaysWhy(t *testing.T) {
	t.Parallel()
	cfg := target(t, "erzycall")
	cfg.Contract = recompiled(t, cfg, func(p *schemas.Profile) { p.Auth.Keys.Valid = "" })
	cfg.Suites = []string{"ratelimit", "envelope"}
	seen := 0
	for _, r := range run(t, cfg).Results {
		if r.Probe != "burst" || r.Suite != report.SuiteEnvelope {
			continue
		}
		seen++
		if r.Status != report.StatusSkip || !strings.HasPrefix(r.Message, "keys.valid not set") {
			t.Errorf("%s (burst): %s %q, want skipped for the missing key", r.Check, r.Status, r.Message)
		}
	}
	if seen == 0 {
		t.Error("no envelope result of the burst")
	}
}
