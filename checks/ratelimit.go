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

func rateLimitProbes(p *schemas.Profile) []Probe {
	if p.RateLimit.None {
		return []Probe{{Name: "no-limiter", Suite: report.SuiteRateLimit, Check: ratelimit.Checks[0], Also: ratelimit.Checks[1:], exec: probeNoLimiter}}
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
	return []Probe{{Name: "burst", Suite: report.SuiteRateLimit, Check: ratelimit.Checks[0], Also: ratelimit.Checks[1:], exec: run}}
}

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
	for _, c := range ratelimit.Checks {
		if c == report.RateLimitReached && ex != nil {
			o.fail(c, ex, fmt.Sprintf("probe %s got 429, but %s", probe, why), "no 429", "429")
			continue
		}
		o.skip(c, why+"; no request was limited")
	}
}

// withoutBurst records the rate-limit checks when no burst ran (why): the
// header judgements on the run's other responses (ratelimit.JudgeRun).
func (s *session) withoutBurst(o *outcome, why string) {
	s.record(o, ratelimit.JudgeRun(s.seen, ratelimit.FormatOf(s.p), why), nil, false)
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
