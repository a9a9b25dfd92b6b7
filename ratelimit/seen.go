package ratelimit

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/errprobe/errprobe/report"
)

// Seen is the rate-limit evidence of every response outside the burst, per
// key: what the ordinary probes' responses said about the limit. Its
// findings name the probe whose response showed them. It is safe for
// concurrent use.
type Seen struct {
	format  Format
	maxWait time.Duration

	mu    sync.Mutex
	byKey map[string]*keySeen
	// findings, by the check they feed.
	limitVaries, remaining, reset, zero, retry Finding
	probeOf                                    map[*Finding]string
}

// keySeen is one key's rate-limit story.
type keySeen struct {
	limit    int64
	hasLimit bool
	// windows counts, per window (reset second), how often each remaining
	// value came back on an admitted response.
	windows map[int64]map[int64]int
	// last is the latest response's headers, for the burst's fresh window.
	last   Headers
	lastAt time.Time
	has    bool
}

// NewSeen is an empty record for responses in format f.
func NewSeen(f Format, maxWait time.Duration) *Seen {
	return &Seen{format: f, maxWait: maxWait, byKey: map[string]*keySeen{}, probeOf: map[*Finding]string{}}
}

// Observe reads the rate-limit fields of one response that key's request
// of probe got at time at. A nil Seen observes nothing.
func (e *Seen) Observe(key, probe string, ex *report.Exchange, at time.Time) {
	if e == nil || ex.Response == nil {
		return
	}
	rh := e.format.Parse(ex.Response.Header, at)
	if !rh.HasLimit && !rh.HasRemaining && !rh.HasReset && !rh.HasRetryAfter && rh.ResetErr == nil && rh.RetryAfterErr == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	k := e.byKey[key]
	if k == nil {
		k = &keySeen{windows: map[int64]map[int64]int{}}
		e.byKey[key] = k
	}
	if !k.has || !at.Before(k.lastAt) {
		k.last, k.lastAt, k.has = rh, at, true
	}
	note := func(f *Finding, msg string) {
		if f.Note(msg) {
			f.Ex, e.probeOf[f] = ex, probe
		}
	}
	e.judge(k, rh, ex.Response.Status, at, note)
}

// judge records what one response's headers rh show about key k.
func (e *Seen) judge(k *keySeen, rh Headers, status int, at time.Time, note func(*Finding, string)) {
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
		note(&e.reset, fmt.Sprintf("reset is %s in the past", Round(at.Sub(rh.Reset))))
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

// Latest is the latest headers seen for key.
func (e *Seen) Latest(key string) (Headers, time.Time, bool) {
	if e == nil {
		return Headers{}, time.Time{}, false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	k := e.byKey[key]
	if k == nil || !k.has {
		return Headers{}, time.Time{}, false
	}
	return k.last, k.lastAt, true
}

// Finding is the run's finding for check and the probe that showed it.
func (e *Seen) Finding(check string) (Finding, string) {
	if e == nil {
		return Finding{}, ""
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var f *Finding
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
		return Finding{}, ""
	}
	return *f, e.probeOf[f]
}

// Before is the run's finding for check ahead of a burst's (burst): a
// finding an ordinary probe's response showed comes first, naming the
// probe (it came before the burst, and does not hang on how the burst's
// workers interleave); else the burst's own. A nil Seen gives burst.
func (e *Seen) Before(check string, burst Finding) Finding {
	f, probe := e.Finding(check)
	if f.N == 0 || probe == "" {
		return burst
	}
	f.Msg += " (probe " + probe + ")"
	return f
}
