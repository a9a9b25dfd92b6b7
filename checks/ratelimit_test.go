package checks_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// quotaTarget is the reference server for erzycall with a quota of n
// requests per window, counting what it receives; edit changes the probing
// profile.
func quotaTarget(t *testing.T, n int, window time.Duration, edit func(*schemas.Profile), faults ...string) (checks.Config, *atomic.Int64) {
	t.Helper()
	p, _ := schemas.Builtin("erzycall", func(string) string { return "" })
	clk := fakeClock()
	srv, err := fixtures.New(p, fixtures.WithFaults(faults...), fixtures.WithRateLimit(n, window), fixtures.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	var got atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	p, _ = schemas.Builtin("erzycall", srv.Keys().Getenv(nil))
	p.RateLimit.Burst.MaxWait = "4s"
	if edit != nil {
		edit(p)
	}
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return checks.Config{Contract: c, BaseURL: hs.URL, Concurrency: 4, Clock: clk}, &got
}

// TestRun_SpentWindow: the probes before the burst leave 2 requests of the
// window; the clean server passes (the burst waits for a fresh window) and
// remaining-constant is caught from the probes' own responses, naming one.
func TestRun_SpentWindow(t *testing.T) {
	t.Parallel()
	suites := []string{"malformed", "validation", "ratelimit"}
	count, got := quotaTarget(t, 100000, time.Second, nil)
	count.Suites = []string{"malformed", "validation"}
	run(t, count)
	q := int(got.Load()) + 2
	type testCase struct {
		fault string
		fail  string // "" : no failure
	}
	runCase := func(t *testing.T, tc testCase) {
		var faults []string
		if tc.fault != "" {
			faults = append(faults, tc.fault)
		}
		cfg, _ := quotaTarget(t, q, 3*time.Second, nil, faults...)
		cfg.Suites = suites
		rep := run(t, cfg)
		if tc.fail == "" {
			if f := failures(rep); len(f) > 0 {
				t.Fatalf("quota %d: failures:\n%s", q, strings.Join(f, "\n"))
			}
			if rep.Burst == nil || rep.Burst.FreshWait <= 0 {
				t.Errorf("the burst did not wait for a fresh window: %+v", rep.Burst)
			}
			return
		}
		res := resultOf(t, rep, tc.fail)
		if res.Status != report.StatusFail || !strings.Contains(res.Message, "(probe ") {
			t.Errorf("%s = %s %q, want a failure naming the probe; %s", tc.fail, res.Status, res.Message, summary(rep))
		}
	}
	for _, tc := range []testCase{{}, {fault: "remaining-constant", fail: report.RateLimitRemaining}} {
		t.Run("fault="+tc.fault, func(t *testing.T) { runCase(t, tc) })
	}
}

// TestRun_RouteNamesTheLimitedRoute: under per-route-limit only the item
// route is limited; a profile naming it in rate_limit.route passes, and the
// burst's resource is deleted.
func TestRun_RouteNamesTheLimitedRoute(t *testing.T) {
	t.Parallel()
	cfg, _ := quotaTarget(t, 20, 2*time.Second, func(p *schemas.Profile) {
		p.RateLimit.Route = "GET " + p.Endpoints.Item
	}, "per-route-limit")
	cfg.Suites = []string{"ratelimit"}
	rep := run(t, cfg)
	if f := failures(rep); len(f) > 0 {
		t.Fatalf("failures:\n%s", strings.Join(f, "\n"))
	}
	if res := resultOf(t, rep, report.RateLimitReached); res.Status != report.StatusPass {
		t.Errorf("reached = %s %q", res.Status, res.Message)
	}
	if len(rep.Leftovers) > 0 {
		t.Errorf("leftovers %v", rep.Leftovers)
	}
}

// TestRun_BackoffOnce: on a quota the probes overrun, each 429 is waited
// out once and recorded; no probe fails for it.
func TestRun_BackoffOnce(t *testing.T) {
	t.Parallel()
	cfg, _ := quotaTarget(t, 12, 2*time.Second, nil)
	cfg.Suites = []string{"malformed", "auth", "resources"}
	rep := run(t, cfg)
	if f := failures(rep); len(f) > 0 {
		t.Fatalf("failures:\n%s", strings.Join(f, "\n"))
	}
	if len(rep.Backoffs) == 0 {
		t.Fatal("no back-off recorded on a quota of 12")
	}
	for _, b := range rep.Backoffs {
		if b.Wait > 4*time.Second {
			t.Errorf("back-off %+v beyond max_wait 4s", b)
		}
	}
}

// TestRun_RatePaces: --rate spreads the requests (a lower bound on the
// run's time, so a slow machine cannot fail it). It runs on the wall
// clock: pacing's end-to-end real-time test.
func TestRun_RatePaces(t *testing.T) {
	t.Parallel()
	cfg, got := quotaTarget(t, 100000, time.Second, nil)
	cfg.Suites, cfg.Rate, cfg.Clock = []string{"malformed"}, 20, nil
	start := time.Now()
	run(t, cfg)
	n := got.Load()
	if want := time.Duration(n-1) * 50 * time.Millisecond * 9 / 10; time.Since(start) < want {
		t.Errorf("%d requests in %s at 20/s, want at least %s", n, time.Since(start), want)
	}
}

// TestRun_DryRunBoundsTheRun: the dry run's total is at least what the
// run sends, counted at the server.
func TestRun_DryRunBoundsTheRun(t *testing.T) {
	t.Parallel()
	cfg, got := quotaTarget(t, 40, 3*time.Second, nil)
	dry := cfg
	dry.DryRun = true
	plan := run(t, dry)
	if got.Load() != 0 {
		t.Fatalf("the dry run sent %d requests", got.Load())
	}
	rep := run(t, cfg)
	if sent := int(got.Load()); plan.PlanTotal < sent || rep.Requests != sent {
		t.Errorf("dry run total %d, the run sent %d (report says %d); plan %+v", plan.PlanTotal, sent, rep.Requests, plan.Plan)
	}
}

// TestRun_NothingTested: --max-duration 1ns runs no check; every result is
// "not run", none failed, and the report says why.
func TestRun_NothingTested(t *testing.T) {
	t.Parallel()
	cfg, _ := quotaTarget(t, 100000, time.Second, nil)
	cfg.MaxDuration = time.Nanosecond
	rep := run(t, cfg)
	if rep.NothingTested == "" {
		t.Errorf("NothingTested empty; %s", summary(rep))
	}
	notRun := 0
	for _, r := range rep.Results {
		if r.Status != report.StatusSkip {
			t.Errorf("%s %s = %s %q, want skipped", r.Check, r.Probe, r.Status, r.Message)
		}
		if strings.Contains(r.Message, "not run: "+checks.ErrMaxDuration.Error()) {
			notRun++
		}
	}
	if notRun == 0 {
		t.Errorf("no result says it was not run for --max-duration; %s", summary(rep))
	}
}

// TestRun_InterruptInFlight (D10): a request still in flight when the run
// is interrupted is interrupted, not failed.
func TestRun_InterruptInFlight(t *testing.T) {
	t.Parallel()
	p, _ := schemas.Builtin("erzycall", func(string) string { return "" })
	srv, err := fixtures.New(p, fixtures.WithRateLimit(100000, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	started, done := make(chan struct{}, 64), make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			started <- struct{}{}
			select { // never answers
			case <-r.Context().Done():
			case <-done:
			}
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	t.Cleanup(func() { close(done) }) // runs first: the hung handlers end
	p, _ = schemas.Builtin("erzycall", srv.Keys().Getenv(nil))
	c, _ := schemas.Compile(p)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	guard, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	rep, err := checks.Run(guard, checks.Config{Contract: c, BaseURL: hs.URL, Concurrency: 4, Suites: []string{"malformed"}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Interrupted {
		t.Error("not marked interrupted")
	}
	if f := failures(rep); len(f) > 0 {
		t.Errorf("interrupted requests reported as failures:\n%s", strings.Join(f, "\n"))
	}
}

// TestRun_UnreadableRateValues (D16): a Retry-After or reset that is
// present but unreadable or out of range is its own finding, never
// "missing", and never a passing reset.
func TestRun_UnreadableRateValues(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name, retryAfter, reset string
		check, msg              string
	}
	run := func(t *testing.T, tc testCase) {
		var n atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Limit", "3")
			w.Header().Set("X-RateLimit-Reset", tc.reset)
			if n.Add(1) <= 3 {
				w.Header().Set("X-RateLimit-Remaining", "1")
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`[]`))
				return
			}
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("Retry-After", tc.retryAfter)
			jsonError(w, http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"code":"RATE_LIMITED","message":"slow down"}}`))
		}))
		t.Cleanup(srv.Close)
		cfg := hostileConfig(t, srv.URL)
		cfg.Suites, cfg.Skip = []string{"ratelimit"}, nil
		rep := runHostile(t, cfg, 5*time.Second)
		res := resultFor(t, rep, tc.check, "burst")
		if res.Status != report.StatusFail || !strings.Contains(res.Message, tc.msg) {
			t.Errorf("%s = %s %q, want fail containing %q", tc.check, res.Status, res.Message, tc.msg)
		}
		for _, r := range rep.Results {
			if strings.Contains(r.Message, "without Retry-After") || strings.Contains(r.Message, "without reset") {
				t.Errorf("%s says %q: the value is present", r.Check, r.Message)
			}
		}
	}
	soon := time.Now().Add(2 * time.Second).Unix()
	ok := itoa(soon)
	for _, tc := range []testCase{
		{name: "retry-after soon", retryAfter: "soon", reset: ok, check: report.RateLimitRetryAfter, msg: "neither delay-seconds nor an HTTP-date"},
		{name: "retry-after negative", retryAfter: "-5", reset: ok, check: report.RateLimitRetryAfter, msg: "neither delay-seconds nor an HTTP-date"},
		{name: "retry-after 10^12", retryAfter: "1000000000000", reset: ok, check: report.RateLimitRetryAfter, msg: "out of range"},
		{name: "retry-after year 9999", retryAfter: "Fri, 31 Dec 9999 23:59:59 GMT", reset: ok, check: report.RateLimitRetryAfter, msg: "out of range"},
		{name: "reset tomorrow", retryAfter: "1", reset: "tomorrow", check: report.RateLimitReset, msg: "not a number"},
		{name: "reset 10^23", retryAfter: "1", reset: "100000000000000000000000", check: report.RateLimitReset, msg: "out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// TestRun_RemainingAboveLimit: a remaining above the limit (IETF r above
// the policy's q) fails ratelimit.remaining.
func TestRun_RemainingAboveLimit(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reset := strconv.FormatInt(time.Now().Add(2*time.Second).Unix(), 10)
		w.Header().Set("X-RateLimit-Limit", "30")
		w.Header().Set("X-RateLimit-Reset", reset)
		if i := n.Add(1); i <= 3 {
			w.Header().Set("X-RateLimit-Remaining", strconv.FormatInt(34-i, 10))
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`[]`))
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("Retry-After", "1")
		jsonError(w, http.StatusTooManyRequests)
		w.Write([]byte(`{"error":{"code":"RATE_LIMITED","message":"slow down"}}`))
	}))
	t.Cleanup(srv.Close)
	cfg := hostileConfig(t, srv.URL)
	cfg.Suites, cfg.Skip = []string{"ratelimit"}, nil
	rep := runHostile(t, cfg, 5*time.Second)
	res := resultFor(t, rep, report.RateLimitRemaining, "burst")
	if res.Status != report.StatusFail || !strings.Contains(res.Message, "above the limit 30") {
		t.Errorf("remaining = %s %q, want fail: above the limit", res.Status, res.Message)
	}
}

// TestRun_RouteWithoutList: a profile with no list route bursts on
// rate_limit.route, here a GET of an unknown id whose admitted answer is
// 404: the limit is reached and recovery is the 404 again.
func TestRun_RouteWithoutList(t *testing.T) {
	t.Parallel()
	cfg, _ := quotaTarget(t, 20, 2*time.Second, func(p *schemas.Profile) {
		p.Endpoints.List = ""
		p.RateLimit.Route = "GET /api/v1/contacts/ct_00000000000000000000"
	})
	cfg.Suites = []string{"ratelimit"}
	rep := run(t, cfg)
	if f := failures(rep); len(f) > 0 {
		t.Fatalf("failures:\n%s", strings.Join(f, "\n"))
	}
	for _, id := range []string{report.RateLimitReached, report.RateLimitRecovery} {
		if res := resultOf(t, rep, id); res.Status != report.StatusPass {
			t.Errorf("%s = %s %q", id, res.Status, res.Message)
		}
	}
}

// TestRun_NoLimiter: `rate_limit: none` sends no burst; with no 429 in the
// run every rate-limit check is skipped with the reason, and a 429 met by
// an ordinary probe fails ratelimit.reached naming the probe.
func TestRun_NoLimiter(t *testing.T) {
	t.Parallel()
	type testCase struct {
		quota int
		want  report.Status
	}
	runCase := func(t *testing.T, tc testCase) {
		cfg, got := quotaTarget(t, tc.quota, 200*time.Millisecond, func(p *schemas.Profile) { p.RateLimit.None = true })
		cfg.Suites = []string{"malformed", "ratelimit"}
		rep := run(t, cfg)
		if rep.Burst != nil || got.Load() > 40 {
			t.Errorf("a burst ran (%d requests): %+v", got.Load(), rep.Burst)
		}
		res := resultOf(t, rep, report.RateLimitReached)
		if res.Status != tc.want || !strings.Contains(res.Message, "rate_limit: none") {
			t.Errorf("reached = %s %q, want %s", res.Status, res.Message, tc.want)
		}
		if tc.want == report.StatusFail && !strings.Contains(res.Message, "probe ") {
			t.Errorf("the finding names no probe: %q", res.Message)
		}
	}
	for _, tc := range []testCase{{100000, report.StatusSkip}, {2, report.StatusFail}} {
		t.Run(strconv.Itoa(tc.quota), func(t *testing.T) { runCase(t, tc) })
	}
}

// TestRun_No429NoPass: a burst that meets no 429 still judges what the
// admitted responses' headers show (a reset in the past fails
// ratelimit.reset); what they do not show is skipped, never passed.
func TestRun_No429NoPass(t *testing.T) {
	t.Parallel()
	type testCase struct {
		fault string
		reset report.Status
	}
	runCase := func(t *testing.T, tc testCase) {
		var faults []string
		if tc.fault != "" {
			faults = append(faults, tc.fault)
		}
		cfg, _ := quotaTarget(t, 100000, time.Second, func(p *schemas.Profile) { p.RateLimit.Burst.MaxRequests = 30 }, faults...)
		cfg.Suites = []string{"ratelimit"}
		rep := run(t, cfg)
		if res := resultOf(t, rep, report.RateLimitReached); res.Status != report.StatusFail {
			t.Errorf("reached = %s %q, want a failure (no 429 in 30 requests)", res.Status, res.Message)
		}
		for _, r := range rep.Results {
			if r.Status == report.StatusPass {
				t.Errorf("%s passed without a 429: %q", r.Check, r.Message)
			}
		}
		if res := resultOf(t, rep, report.RateLimitReset); res.Status != tc.reset {
			t.Errorf("reset = %s %q, want %s", res.Status, res.Message, tc.reset)
		}
	}
	for _, tc := range []testCase{{"", report.StatusSkip}, {"reset-in-past", report.StatusFail}} {
		t.Run("fault="+tc.fault, func(t *testing.T) { runCase(t, tc) })
	}
}

// TestRun_LateSampleAdmittedIsNoEvidence: when the request sent late in
// the burst's window is admitted (the window reset before the announced,
// rounded-up reset), whether Retry-After counts down is unknown:
// ratelimit.retry-after is skipped saying so, not passed.
func TestRun_LateSampleAdmittedIsNoEvidence(t *testing.T) {
	t.Parallel()
	p, _ := schemas.Builtin("erzycall", func(string) string { return "" })
	clk := fakeClock()
	srv, err := fixtures.New(p, fixtures.WithRateLimit(20, 3*time.Second), fixtures.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	var first429 atomic.Int64 // fake unix nanos of the first 429
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		now := clk.Now().UnixNano()
		if rec.Code == http.StatusTooManyRequests {
			first429.CompareAndSwap(0, now)
			if at := first429.Load(); now-at > int64(500*time.Millisecond) {
				w.WriteHeader(http.StatusOK) // admitted early: the late sample and the recovery
				return
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(hs.Close)
	p, _ = schemas.Builtin("erzycall", srv.Keys().Getenv(nil))
	p.RateLimit.Burst.MaxWait = "4s"
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	rep := run(t, checks.Config{Contract: c, BaseURL: hs.URL, Concurrency: 4, Clock: clk, Suites: []string{"ratelimit"}})
	res := resultOf(t, rep, report.RateLimitRetryAfter)
	t.Logf("retry-after: %s %q", res.Status, res.Message)
	if res.Status != report.StatusSkip || !strings.Contains(res.Message, "no evidence") {
		t.Errorf("retry-after = %s %q, want skipped for no evidence; %s", res.Status, res.Message, summary(rep))
	}
	if res := resultOf(t, rep, report.RateLimitReached); res.Status != report.StatusPass {
		t.Errorf("reached = %s %q", res.Status, res.Message)
	}
}

// TestRun_503BackedOffAndRateAdvised: a limiter in front answering 503
// with Retry-After is waited out once like a 429 (no probe blamed for it),
// and the run, having met it on several probes, names the --rate that
// would have avoided them.
func TestRun_503BackedOffAndRateAdvised(t *testing.T) {
	t.Parallel()
	p, _ := schemas.Builtin("erzycall", func(string) string { return "" })
	clk := fakeClock()
	srv, err := fixtures.New(p, fixtures.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	var shed atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && shed.Add(1)%2 == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	p, _ = schemas.Builtin("erzycall", srv.Keys().Getenv(nil))
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	rep := run(t, checks.Config{Contract: c, BaseURL: hs.URL, Concurrency: 1, Clock: clk, Suites: []string{"malformed"}})
	if f := failures(rep); len(f) > 0 {
		t.Errorf("probes blamed for the limiter's 503s:\n%s", strings.Join(f, "\n"))
	}
	n503 := 0
	for _, b := range rep.Backoffs {
		if b.Status == http.StatusServiceUnavailable {
			n503++
		}
	}
	if n503 < 2 {
		t.Errorf("%d back-offs from 503, want every 503 waited out: %+v", n503, rep.Backoffs)
	}
	if !strings.HasPrefix(rep.RateAdvice, "--rate ") {
		t.Errorf("rate advice %q, want a --rate", rep.RateAdvice)
	}
}

// TestRun_HeadersJudgedWithoutBurst: when the burst cannot run (no list
// route and no rate_limit.route), the rate-limit headers of every other
// response are still judged: a reset in the past fails ratelimit.reset
// naming the probe that saw it; with nothing wrong in them, each check is
// skipped with the burst's reason, never passed.
func TestRun_HeadersJudgedWithoutBurst(t *testing.T) {
	t.Parallel()
	type testCase struct {
		fault string
		reset report.Status
	}
	runCase := func(t *testing.T, tc testCase) {
		cfg, _ := quotaTarget(t, 100000, time.Second, func(p *schemas.Profile) { p.Endpoints.List = "" }, faultList(tc.fault)...)
		cfg.Suites = []string{"malformed", "ratelimit"}
		rep := run(t, cfg)
		if rep.Burst != nil {
			t.Errorf("a burst ran: %+v", rep.Burst)
		}
		res := resultOf(t, rep, report.RateLimitReset)
		if res.Status != tc.reset || tc.reset == report.StatusFail && !strings.Contains(res.Message, "(probe ") {
			t.Errorf("reset = %s %q, want %s (naming the probe)", res.Status, res.Message, tc.reset)
		}
		for _, r := range rep.Results {
			if r.Suite == report.SuiteRateLimit && r.Status == report.StatusPass {
				t.Errorf("%s passed without a burst: %q", r.Check, r.Message)
			}
			if r.Suite == report.SuiteRateLimit && r.Status == report.StatusSkip && !strings.Contains(r.Message, "endpoints.list") {
				t.Errorf("%s skipped saying %q, want the burst's reason", r.Check, r.Message)
			}
		}
	}
	for _, tc := range []testCase{{"", report.StatusSkip}, {"reset-in-past", report.StatusFail}} {
		t.Run("fault="+tc.fault, func(t *testing.T) { runCase(t, tc) })
	}
}
