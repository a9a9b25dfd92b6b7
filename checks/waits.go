package checks

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/errprobe/errprobe/burst"
	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/report"
)

// The rate-limit suite's waits on the limiter: a fresh window before the
// burst, one more request late in the window it spent, the recovery after
// its reset. Each counts down through Progress on the run's clock, capped
// by max wait; what to wait for is ratelimit's (FreshWait, LaterWait,
// WaitFrom).

// recover waits until the reset the last 429 announced (capped by max
// wait), then polls until a request succeeds or max wait is spent.
func (s *session) recover(ctx context.Context, o *outcome, c call, res burst.Result) {
	start := s.cfg.Now()
	deadline := start.Add(s.maxWait)
	wait := ratelimit.WaitFrom(res.Evidence.Last, s.cfg.Now(), res.Evidence.HasLast)
	before := ratelimit.AdmittedStatus(res.Samples)
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
		if ex.Response != nil && ratelimit.Recovered(ex.Response.Status, before) {
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
		wait = ratelimit.WaitFrom(rh, s.cfg.Now(), true)
	}
	actual := describe(ex, s.code(ex))
	o.fail(report.RateLimitRecovery, ex, fmt.Sprintf("still %s after waiting %s for the limit to reset", actual, ratelimit.Round(s.cfg.Now().Sub(start))),
		ratelimit.RecoveryWant(before), actual)
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
