package checks

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/errprobe/errprobe/burst"
	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// recoveryReserve is kept out of the burst's budget for the recovery polls.
const recoveryReserve = 10

// maxRecoveryPolls bounds the requests spent waiting for recovery.
const maxRecoveryPolls = recoveryReserve - 2

func rateLimitProbes(p *schemas.Profile) []probe {
	if p.RateLimit.None {
		return []probe{{name: "no-limiter", suite: report.SuiteRateLimit, checks: rateLimitChecks, run: probeNoLimiter}}
	}
	skip := ""
	if p.RateLimit.Route == "" {
		skip = listSkip(p) // the burst spends the list route
	}
	if skip == "" && profileKeys(p)[roleValid] == "" {
		skip = missingKey(p, roleValid)
	}
	run := probeBurst
	if skip != "" {
		// No burst, but the run's other responses still say something.
		run = func(_ context.Context, s *session, o *outcome) { s.withoutBurst(o, skip) }
	}
	return []probe{{name: "burst", suite: report.SuiteRateLimit, checks: rateLimitChecks, run: run}}
}

// rateLimitChecks are the burst's checks, in catalogue order.
var rateLimitChecks = []string{report.RateLimitReached, report.RateLimitEnvelope, report.RateLimitHeaders, report.RateLimitLimitConstant,
	report.RateLimitRemaining, report.RateLimitRemainingZero, report.RateLimitReset, report.RateLimitRetryAfter, report.RateLimitRecovery}

// maxWaitFor is the profile's max_wait, capped by Config.MaxWait.
func maxWaitFor(p *schemas.Profile, cfg Config) time.Duration {
	w := p.RateLimit.Burst.Wait()
	if cfg.MaxWait > 0 && cfg.MaxWait < w {
		w = cfg.MaxWait
	}
	return w
}

// burstCall is the request the burst repeats: rate_limit.route (its {id} a
// resource created for it) or the list endpoint.
func (s *session) burstCall(ctx context.Context, o *outcome) (call, string) {
	route := s.p.RateLimit.Route
	if route == "" {
		return s.listCall(roleValid), ""
	}
	method, path := endpoint(route)
	c := call{method: method, path: path, key: roleValid}
	if strings.Contains(path, "{id}") {
		id, ex := s.create(ctx, o, roleValid)
		if id == "" {
			return c, "no resource for rate_limit.route's {id}: create got " + describe(ex, s.code(ex))
		}
		c.path = itemPathOf(path, s.escapeID(id))
	}
	return c, ""
}

// probeBurst spends the key's quota: on a fresh window, a bounded
// concurrent burst, a 429 sampled later in the window, the header checks on
// all of it, then a wait until reset and a request that must succeed.
func probeBurst(ctx context.Context, s *session, o *outcome) {
	b := s.p.RateLimit.Burst
	call, why := s.burstCall(ctx, o)
	if why != "" {
		s.withoutBurst(o, why)
		return
	}
	req, rec, err := s.newRequest(ctx, call)
	if err != nil {
		s.withoutBurst(o, err.Error())
		return
	}
	masked := report.Exchange{Request: rec}
	s.mask.Exchange(&masked)
	rec = masked.Request // the samples' request, key masked (req keeps it)
	max := b.MaxRequests
	if left := s.budget.Left() - recoveryReserve; left < max {
		max = left
	}
	if s.cfg.DryRun {
		rec.Body = ""
		s.mu.Lock()
		s.planned = append(s.planned, rec)
		s.burstMax = max
		s.mu.Unlock()
		return
	}
	if max <= 0 {
		s.withoutBurst(o, "not run: request budget exhausted before the burst (raise --max-requests)")
		return
	}
	fresh := s.freshWindow(ctx)
	if ctx.Err() != nil {
		s.withoutBurst(o, s.cutReason(ctx))
		return
	}
	res := burst.RunJudged(ctx, burst.Config{
		Transport: s.budget, Method: req.Method, URL: req.URL.String(), Header: req.Header,
		MaxRequests: max, Concurrency: b.Concurrency, Format: ratelimit.FormatOf(s.p), MaxBody: s.cfg.MaxBody, Timeout: s.cfg.Timeout, Now: s.cfg.Now,
		Progress: func(bp burst.Progress) {
			s.progress(Progress{BurstRate: bp.Rate, Status429: bp.Status429})
		},
	}, burst.Judge{MaxWait: s.maxWait, Template: rec})
	for _, ex := range res.Samples {
		s.mask.Exchange(ex)
		o.record(ex)
		s.log(ex)
	}
	res.Stats.FreshWait = fresh
	s.burst = &res.Stats
	if res.DialFailed && res.Stats.Sent == 0 {
		s.dialFailure.CompareAndSwap(nil, res.FirstErr)
	}
	if res.Stats.Status429 == 0 && ctx.Err() != nil {
		// Cut short: how many requests it would have taken is unknown.
		s.withoutBurst(o, s.cutReason(ctx)+fmt.Sprintf(" (the burst was cut after %d requests)", res.Stats.Sent))
		return
	}
	late := ""
	if res.Stats.Status429 > 0 {
		late = s.sampleLater(ctx, o, call, &res)
	}
	if !s.judgeBurst(o, res, max, late) {
		return
	}
	if ctx.Err() != nil {
		o.skip(report.RateLimitRecovery, s.cutReason(ctx))
		return
	}
	s.recover(ctx, o, call, res)
}

// probeNoLimiter judges a run whose profile declares no limiter
// (`rate_limit: none`): no burst; a 429 met by any probe fails
// ratelimit.reached, naming the probe; without one, every check is
// skipped (nothing was limited, so nothing shows how the limiter answers).
func probeNoLimiter(_ context.Context, s *session, o *outcome) {
	const why = "rate_limit: none (the profile declares no limiter)"
	s.mu.Lock()
	ex, probe := s.limited, s.limitedProbe
	s.mu.Unlock()
	for _, c := range rateLimitChecks {
		if c == report.RateLimitReached && ex != nil {
			o.fail(c, ex, fmt.Sprintf("probe %s got 429, but %s", probe, why), "no 429", "429")
			continue
		}
		o.skip(c, why+"; no request was limited")
	}
}

// withoutBurst records the rate-limit checks when no burst ran (why): the
// header judgements on the run's other responses (a reset in the past, a
// limit that changes, a remaining above the limit or not counting, a 429
// met on the way) fail, naming the probe; every other check is skipped
// with why, never passed.
func (s *session) withoutBurst(o *outcome, why string) {
	judged := ratelimit.FormatOf(s.p).Kind != "none"
	for _, c := range rateLimitChecks {
		if f := s.withRun(c, ratelimit.Finding{}); judged && f.N > 0 {
			judgeFinding(o, c, f, nil, "")
			continue
		}
		o.skip(c, why)
	}
	s.nameLimitHeaders(o, false)
}

// judgeBurst records the burst's checks; false when no 429 was reached.
// late, when set, says the later sample got no 429 (its answer): the
// Retry-After's countdown then has no evidence.
func (s *session) judgeBurst(o *outcome, res burst.Result, max int, late string) bool {
	ev, st := &res.Evidence, res.Stats
	var first429 *report.Exchange
	for _, ex := range res.Samples {
		if ex.Response.Status == http.StatusTooManyRequests && first429 == nil {
			first429 = ex
		}
	}
	if first429 == nil {
		actual := fmt.Sprintf("%d requests: %d 2xx, %d other", st.Sent, ev.Ok, ev.Other)
		if ev.OtherStatus != 0 {
			actual += fmt.Sprintf(" (first %d)", ev.OtherStatus)
		}
		if res.FirstErr != "" {
			actual += "; " + res.FirstErr
		}
		o.fail(report.RateLimitReached, nil, fmt.Sprintf("no 429 within %d requests (cap %d)", st.Sent, max), "429 within "+fmt.Sprint(max), actual)
		s.judgeWithout429(o, ev)
		return false
	}
	o.pass(report.RateLimitReached, first429)
	s.judge429Envelope(o, res.Samples)
	kind := ratelimit.FormatOf(s.p).Kind
	if kind == "none" {
		for _, c := range []string{report.RateLimitHeaders, report.RateLimitLimitConstant, report.RateLimitRemaining, report.RateLimitRemainingZero, report.RateLimitReset} {
			o.skip(c, "rate_limit.headers is none (the profile promises no rate-limit headers)")
		}
	} else {
		headers := ev.Missing429
		if headers.N == 0 {
			headers = ev.MissingOK
		}
		if headers.N == 0 {
			headers = ev.Parse
		}
		judgeFinding(o, report.RateLimitHeaders, headers, first429, kind+" rate-limit headers on every response")
		judgeFinding(o, report.RateLimitLimitConstant, s.withRun(report.RateLimitLimitConstant, ev.LimitVaries), first429, "one limit")
		if remaining := s.withRun(report.RateLimitRemaining, ev.Remaining); ev.RemainingSeen == 0 && remaining.N == 0 {
			o.skip(report.RateLimitRemaining, "no remaining values seen")
		} else {
			judgeFinding(o, report.RateLimitRemaining, remaining, first429, "remaining falling with each admitted request")
		}
		if zero := s.withRun(report.RateLimitRemainingZero, ev.Zero); ev.RemainingSeen == 0 && zero.N == 0 {
			o.skip(report.RateLimitRemainingZero, "no remaining values seen")
		} else {
			judgeFinding(o, report.RateLimitRemainingZero, zero, first429, "remaining 0 on every 429")
		}
		judgeFinding(o, report.RateLimitReset, s.withRun(report.RateLimitReset, ev.Reset), first429, "reset in the future, within "+s.maxWait.String())
	}
	retry := ev.RetryDisagree
	if s.p.RateLimit.RetryAfter && ev.RetryMissing.N > 0 && retry.N == 0 {
		retry = ev.RetryMissing
	}
	if retry = s.withRun(report.RateLimitRetryAfter, retry); retry.N == 0 && late != "" {
		o.skip(report.RateLimitRetryAfter, "no evidence: the later request in the burst's window got "+late+", not a 429, so whether Retry-After counts down with the reset is unknown")
	} else {
		judgeFinding(o, report.RateLimitRetryAfter, retry, first429, "Retry-After agreeing with reset")
	}
	s.nameLimitHeaders(o, retry.N > 0 && retry.Msg == ev.RetryDisagree.Msg)
	return true
}

// nameLimitHeaders sets, on the rate-limit failures, the header each is
// about (Result.Header: the cause it is grouped by). A Retry-After that
// disagrees with a reset judged wrong itself is the reset's fault.
func (s *session) nameLimitHeaders(o *outcome, disagrees bool) {
	rl := s.p.RateLimit
	header := map[string]string{report.RateLimitLimitConstant: rl.LimitHeader, report.RateLimitRemaining: rl.RemainingHeader,
		report.RateLimitRemainingZero: rl.RemainingHeader, report.RateLimitReset: rl.ResetHeader, report.RateLimitRetryAfter: "Retry-After"}
	if ratelimit.FormatOf(s.p).Kind == "ietf" {
		for c := range header {
			header[c] = "RateLimit"
		}
		header[report.RateLimitRetryAfter] = "Retry-After"
	}
	resetFailed := false
	for _, r := range o.results {
		resetFailed = resetFailed || (r.Check == report.RateLimitReset && r.Status == report.StatusFail)
	}
	if disagrees && resetFailed {
		header[report.RateLimitRetryAfter] = header[report.RateLimitReset]
	}
	for i := range o.results {
		if r := &o.results[i]; r.Status == report.StatusFail && r.Header == "" {
			r.Header = header[r.Check]
		}
	}
}

// judgeWithout429 judges, when the burst met no 429, what the headers of
// admitted responses show on their own (a header value unreadable, a
// limit that changes, a remaining above the limit or not counting, a reset
// in the past), from the burst and from every response of the run. A check
// that needs a 429 (or whose headers showed nothing wrong) has no evidence:
// skipped, never passed.
func (s *session) judgeWithout429(o *outcome, ev *ratelimit.Evidence) {
	const why = "no 429 was reached"
	if ratelimit.FormatOf(s.p).Kind == "none" {
		for _, c := range rateLimitChecks[1:] {
			o.skip(c, why)
		}
		return
	}
	// Headers missing from admitted answers are no finding here: a route
	// that never limits may well carry none (the limit is elsewhere:
	// rate_limit.route); unreadable ones are.
	found := map[string]ratelimit.Finding{
		report.RateLimitHeaders:       ev.Parse,
		report.RateLimitLimitConstant: s.withRun(report.RateLimitLimitConstant, ev.LimitVaries),
		report.RateLimitRemaining:     s.withRun(report.RateLimitRemaining, ev.Remaining),
		report.RateLimitReset:         s.withRun(report.RateLimitReset, ev.Reset),
	}
	for _, c := range rateLimitChecks[1:] {
		if f := found[c]; f.N > 0 {
			judgeFinding(o, c, f, nil, "")
			continue
		}
		o.skip(c, why)
	}
	s.nameLimitHeaders(o, false)
}

func judgeFinding(o *outcome, check string, f ratelimit.Finding, pass *report.Exchange, expected string) {
	if f.N == 0 {
		o.pass(check, pass)
		return
	}
	msg := f.Msg
	if f.N > 1 {
		msg += fmt.Sprintf(" (%d responses)", f.N)
	}
	o.fail(check, f.Ex, msg, expected, f.Msg)
}

// judge429Envelope checks every distinct 429 shape: the envelope and the
// profile's rate-limit code.
func (s *session) judge429Envelope(o *outcome, samples []*report.Exchange) {
	code := s.p.RateLimit.Code
	if code == "" {
		code = s.p.ExpectCode(schemas.ExpectRateLimited)
	}
	for _, ex := range samples {
		if ex.Response.Status != http.StatusTooManyRequests {
			continue
		}
		if vs := s.contract.CheckError(toSchemaExchange(ex)); len(vs) > 0 {
			want := "the profile's error envelope"
			if code != "" {
				want = "the envelope with code " + code
			}
			o.fail(report.RateLimitEnvelope, ex, "429 body breaks the envelope: "+vs[0].Message, want, describe(ex, s.code(ex)))
			return
		}
		if got := s.code(ex); code != "" && got != code {
			o.fail(report.RateLimitEnvelope, ex, "429 carries code "+got+", want "+code, "429 "+code, describe(ex, got))
			return
		}
		// A code-less or pattern expectation (expect.rate_limited) judged as such.
		if e, ok := expect(s.p, schemas.ExpectRateLimited); ok && code == "" {
			if e = e.on(ex); !e.allows(ex.Response.Status, s.fields(ex).Codes) {
				got := describe(ex, s.code(ex))
				o.fail(report.RateLimitEnvelope, ex, "got "+got+", want "+e.String(), e.String(), got)
				return
			}
		}
	}
	o.pass(report.RateLimitEnvelope, samples[0])
}

// recover waits until the reset the last 429 announced (capped by max
// wait), then polls until a request succeeds or max wait is spent.
func (s *session) recover(ctx context.Context, o *outcome, c call, res burst.Result) {
	start := s.cfg.Now()
	deadline := start.Add(s.maxWait)
	wait := s.waitFrom(res.Evidence.Last, res.Evidence.LastAt, res.Evidence.HasLast)
	before := admittedStatus(res)
	var ex *report.Exchange
	for poll := 1; ; poll++ {
		now := s.cfg.Now()
		if until := now.Add(wait); until.After(deadline) {
			wait = deadline.Sub(now)
		}
		if !s.countdownFor(ctx, wait, "the rate-limit reset (recovery)") {
			o.skip(report.RateLimitRecovery, s.cutReason(ctx)+" (during the wait for the limit to reset)")
			return
		}
		c.noRetry = true
		ex = s.do(ctx, o, c)
		if ex.Response != nil && (ex.Response.Status/100 == 2 || ex.Response.Status == before) {
			if s.burst != nil {
				s.burst.RecoveryWait = s.cfg.Now().Sub(start)
			}
			o.pass(report.RateLimitRecovery, ex)
			return
		}
		if ex.Response == nil || ex.Response.Status != http.StatusTooManyRequests || !s.cfg.Now().Before(deadline) || poll >= maxRecoveryPolls {
			break
		}
		now = s.cfg.Now()
		rh := ratelimit.FormatOf(s.p).Parse(ex.Response.Header, now)
		wait = s.waitFrom(rh, now, true)
	}
	actual := describe(ex, s.code(ex))
	want := "2xx after reset"
	if before != 0 && before/100 != 2 {
		want = fmt.Sprintf("2xx or %d (the answer before the limit) after reset", before)
	}
	o.fail(report.RateLimitRecovery, ex, fmt.Sprintf("still %s after waiting %s for the limit to reset", actual, ratelimit.Round(s.cfg.Now().Sub(start))),
		want, actual)
}

// admittedStatus is the status the burst's route answered before the
// limit (0: none seen): on a rate_limit.route whose answer is an error (a
// GET of an unknown id, 404), recovery is that answer again, not a 2xx.
func admittedStatus(res burst.Result) int {
	for _, ex := range res.Samples {
		if ex.Response != nil && ex.Response.Status != http.StatusTooManyRequests && ex.Response.Status < 500 {
			return ex.Response.Status
		}
	}
	return 0
}

// waitFrom is the wait a 429's headers announce: until the later of
// Retry-After and a future reset; 250 ms when they say nothing usable.
func (s *session) waitFrom(rh ratelimit.Headers, at time.Time, ok bool) time.Duration {
	now := s.cfg.Now()
	wait := time.Duration(0)
	if ok && rh.HasRetryAfter {
		wait = rh.RetryAt.Sub(now)
	}
	if ok && rh.HasReset {
		if d := rh.Reset.Sub(now); d > wait {
			wait = d
		}
	}
	if wait <= 0 {
		wait = 250 * time.Millisecond
	}
	return wait
}

// countdownFor waits d for what is awaited, reporting the time left and the
// cap (max wait) through Progress.
func (s *session) countdownFor(ctx context.Context, d time.Duration, awaited string) bool {
	for left := d; left > 0; left -= 100 * time.Millisecond {
		s.progress(Progress{Wait: left, Waiting: awaited, WaitCap: s.maxWait})
		if !s.cfg.Clock.Sleep(ctx, min(left, 100*time.Millisecond)) {
			return false
		}
	}
	return ctx.Err() == nil
}

// freshWindow waits, before the burst, for the reset of a window the run's
// own requests have spent from (ratelimit.FreshWait), so the burst starts
// on a full quota. It returns the time waited.
func (s *session) freshWindow(ctx context.Context) time.Duration {
	rh, _, _ := s.seen.Latest(string(roleValid))
	start := s.cfg.Now()
	d := ratelimit.FreshWait(rh, start, s.maxWait)
	if d == 0 {
		return 0
	}
	s.countdownFor(ctx, d, "a fresh rate-limit window before the burst")
	return s.cfg.Now().Sub(start)
}

// sampleLater sends one more request late in the window the burst spent
// (ratelimit.LaterWait); its 429 is judged against the burst's last one.
// It returns what answered instead of a 429 ("" when none was sent or a
// 429 came).
func (s *session) sampleLater(ctx context.Context, o *outcome, c call, res *burst.Result) string {
	f := ratelimit.FormatOf(s.p)
	wait, ok := ratelimit.LaterWait(&res.Evidence, f, s.cfg.Now(), s.maxWait)
	if !ok || !s.countdownFor(ctx, wait, "a later 429 in the burst's window") {
		return ""
	}
	c.noRetry = true
	ex := s.do(ctx, o, c)
	if ex.Cut != "" {
		return ""
	}
	if ex.Response == nil || ex.Response.Status != http.StatusTooManyRequests {
		return describe(ex, s.code(ex))
	}
	res.Evidence.Later(f, ex, s.cfg.Now())
	return ""
}

// observeLimit feeds a response to the run's rate-limit evidence, under
// the key the call spent (the valid key also when auth replaced the
// header); keyless calls say nothing about a key's limit.
func (s *session) observeLimit(c call, ex *report.Exchange, at time.Time) {
	k := c.key
	if c.auth != nil {
		k = roleValid
	}
	if k != roleNone {
		s.seen.Observe(string(k), c.probe, ex, at)
	}
	if ex.Response != nil && ex.Response.Status == http.StatusTooManyRequests {
		s.mu.Lock()
		if s.limited == nil {
			s.limited, s.limitedProbe = ex, c.probe
		}
		s.mu.Unlock()
	}
}

// withRun adds the run's finding for check to the burst's: a finding an
// ordinary probe's response showed comes first, naming the probe (it came
// before the burst, and does not hang on how the burst's workers
// interleave); else the burst's own.
func (s *session) withRun(check string, burst ratelimit.Finding) ratelimit.Finding {
	if s.seen == nil {
		return burst
	}
	f, probe := s.seen.Finding(check)
	if f.N == 0 || probe == "" {
		return burst
	}
	f.Msg += " (probe " + probe + ")"
	return f
}
