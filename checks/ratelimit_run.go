package checks

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/report"
)

// runEvidence is the rate-limit evidence of every response outside the
// burst, per key: what the ordinary probes' responses said about the limit.
// Its findings name the probe whose response showed them.
type runEvidence struct {
	format  ratelimit.Format
	maxWait time.Duration

	mu    sync.Mutex
	byKey map[role]*keyEvidence
	// findings, by the check they feed.
	limitVaries, remaining, reset, zero, retry ratelimit.Finding
	probeOf                                    map[*ratelimit.Finding]string
}

// keyEvidence is one key's rate-limit story.
type keyEvidence struct {
	limit    int64
	hasLimit bool
	// windows counts, per window (reset second), how often each remaining
	// value came back on an admitted response.
	windows map[int64]map[int64]int
	// last is the latest response's headers, for the burst's fresh window.
	last   ratelimit.Headers
	lastAt time.Time
	has    bool
}

func newRunEvidence(f ratelimit.Format, maxWait time.Duration) *runEvidence {
	return &runEvidence{format: f, maxWait: maxWait, byKey: map[role]*keyEvidence{}, probeOf: map[*ratelimit.Finding]string{}}
}

// keyOf is the key a call spent: the valid key also when auth replaced
// the header.
func keyOf(c call) role {
	if c.auth != nil {
		return roleValid
	}
	return c.key
}

// observe reads one response's rate-limit fields.
func (e *runEvidence) observe(c call, ex *report.Exchange, at time.Time) {
	if e == nil || ex.Response == nil || keyOf(c) == roleNone {
		return
	}
	rh := e.format.Parse(ex.Response.Header, at)
	if !rh.HasLimit && !rh.HasRemaining && !rh.HasReset && !rh.HasRetryAfter && rh.ResetErr == nil && rh.RetryAfterErr == nil {
		return
	}
	status := ex.Response.Status
	e.mu.Lock()
	defer e.mu.Unlock()
	k := e.byKey[keyOf(c)]
	if k == nil {
		k = &keyEvidence{windows: map[int64]map[int64]int{}}
		e.byKey[keyOf(c)] = k
	}
	if !k.has || !at.Before(k.lastAt) {
		k.last, k.lastAt, k.has = rh, at, true
	}
	note := func(f *ratelimit.Finding, msg string) {
		if f.Note(msg) {
			f.Ex, e.probeOf[f] = ex, c.probe
		}
	}
	if rh.HasLimit {
		if k.hasLimit && rh.Limit != k.limit {
			note(&e.limitVaries, fmt.Sprintf("limit %d, then %d", k.limit, rh.Limit))
		}
		k.limit, k.hasLimit = rh.Limit, true
	}
	switch {
	case rh.ResetErr != nil:
		note(&e.reset, rh.ResetErr.Error())
	case rh.HasReset && rh.Reset.Sub(at) < -time.Second:
		note(&e.reset, fmt.Sprintf("reset is %s in the past", ratelimit.Round(at.Sub(rh.Reset))))
	}
	if rh.HasRemaining && rh.HasLimit && rh.Remaining > rh.Limit {
		note(&e.remaining, fmt.Sprintf("remaining %d above the limit %d", rh.Remaining, rh.Limit))
	}
	if status == http.StatusTooManyRequests {
		if rh.HasRemaining && rh.Remaining > 0 {
			note(&e.zero, fmt.Sprintf("429 with remaining %d", rh.Remaining))
		}
		if rh.RetryAfterErr != nil {
			note(&e.retry, rh.RetryAfterErr.Error())
		}
		return
	}
	if rh.HasRemaining && rh.HasReset && rh.Remaining > 0 {
		w := rh.Reset.Round(time.Second).Unix()
		if k.windows[w] == nil {
			k.windows[w] = map[int64]int{}
		}
		k.windows[w][rh.Remaining]++
		if n := k.windows[w][rh.Remaining]; n == sameRemaining {
			note(&e.remaining, fmt.Sprintf("remaining stayed at %d across %d requests of one window", rh.Remaining, n))
		}
	}
}

// sameRemaining is how many admitted responses of one key and window with
// the same remaining value prove it is not counting (a counting server
// gives every request its own value).
const sameRemaining = 3

// latest is the latest headers seen for key r.
func (e *runEvidence) latest(r role) (ratelimit.Headers, time.Time, bool) {
	if e == nil {
		return ratelimit.Headers{}, time.Time{}, false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	k := e.byKey[r]
	if k == nil || !k.has {
		return ratelimit.Headers{}, time.Time{}, false
	}
	return k.last, k.lastAt, true
}

// finding is the run's finding for check and the probe that showed it.
func (e *runEvidence) finding(check string) (ratelimit.Finding, string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var f *ratelimit.Finding
	switch check {
	case report.RateLimitLimitConstant:
		f = &e.limitVaries
	case report.RateLimitRemaining:
		f = &e.remaining
	case report.RateLimitReset:
		f = &e.reset
	case report.RateLimitRemainingZero:
		f = &e.zero
	case report.RateLimitRetryAfter:
		f = &e.retry
	default:
		return ratelimit.Finding{}, ""
	}
	return *f, e.probeOf[f]
}

// withRun adds the run's finding for check to the burst's: the burst's own
// comes first; else the run's, naming the probe that showed it.
func (s *session) withRun(check string, burst ratelimit.Finding) ratelimit.Finding {
	if burst.N > 0 || s.seen == nil {
		return burst
	}
	f, probe := s.seen.finding(check)
	if f.N > 0 && probe != "" {
		f.Msg += " (probe " + probe + ")"
	}
	return f
}
