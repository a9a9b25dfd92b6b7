package checks

import (
	"fmt"
	"net/http"
	"time"

	"github.com/errprobe/errprobe/report"
)

// evKind flags the first occurrence of a kind of evidence in a burst, so the
// response showing it is kept as a sample.
type evKind uint16

const (
	evShape evKind = 1 << iota
	evSuccess
	evMissingOK
	evMissing429
	evLimitVaries
	evRemaining
	evReset
	evRetryMissing
	evRetryDisagree
	evParse
	evZero
)

// finding counts one kind of bad evidence and keeps its first example.
type finding struct {
	n   int
	msg string
	ex  *report.Exchange
}

func (f *finding) note(msg string) bool {
	f.n++
	if f.n == 1 {
		f.msg = msg
		return true
	}
	return false
}

func (f *finding) merge(o *finding) {
	if f.n == 0 || (f.ex == nil && o.ex != nil) {
		f.msg, f.ex = o.msg, o.ex
	}
	f.n += o.n
}

// rateSeq is one worker's previous response, for the remaining check: a
// worker's requests are sequential, so the server saw them in this order.
type rateSeq struct {
	has       bool
	remaining int64
	reset     time.Time
	hasReset  bool
}

// rateEvidence is what a burst learnt about the rate-limit headers, as
// counters and first examples only.
type rateEvidence struct {
	ok, limited, other int
	otherStatus        int
	remainingSeen      int
	limit              int64
	hasLimit           bool
	workers            int

	missingOK, missing429, limitVaries, remaining, reset finding
	retryMissing, retryDisagree, parse                   finding
	// zero: a 429 whose remaining is not 0.
	zero finding

	last    RateHeaders
	lastAt  time.Time
	hasLast bool
}

// observe judges one response and returns the kinds seen for the first time.
func (e *rateEvidence) observe(seq *rateSeq, status int, rh RateHeaders, at time.Time, maxWait time.Duration, kind string) evKind {
	var k evKind
	limited := status == http.StatusTooManyRequests
	switch {
	case limited:
		e.limited++
		if !e.hasLast || at.After(e.lastAt) {
			e.last, e.lastAt, e.hasLast = rh, at, true
		}
	case status/100 == 2:
		e.ok++
	default:
		e.other++
		if e.otherStatus == 0 {
			e.otherStatus = status
		}
		return 0
	}
	if rh.Err != nil && e.parse.note(rh.Err.Error()) {
		k |= evParse
	}
	if kind != "none" {
		k |= e.headers(status, rh, limited)
		k |= e.sequence(seq, status, rh)
		k |= e.resetWithin(rh, at, maxWait)
	}
	if limited {
		k |= e.retryAfter(rh)
		if kind != "none" && rh.HasRemaining && rh.Remaining > 0 && e.zero.note(fmt.Sprintf("429 with remaining %d", rh.Remaining)) {
			k |= evZero
		}
	}
	return k
}

func (e *rateEvidence) headers(status int, rh RateHeaders, limited bool) evKind {
	if !rh.Complete() && missingParts(rh) != "" {
		msg := fmt.Sprintf("%d response without %s", status, missingParts(rh))
		if limited && e.missing429.note(msg) {
			return evMissing429
		}
		if !limited && e.missingOK.note(msg) {
			return evMissingOK
		}
		return 0
	}
	if !rh.HasLimit {
		return 0
	}
	if !e.hasLimit {
		e.limit, e.hasLimit = rh.Limit, true
	} else if rh.Limit != e.limit && e.limitVaries.note(fmt.Sprintf("limit %d, then %d", e.limit, rh.Limit)) {
		return evLimitVaries
	}
	return 0
}

func missingParts(rh RateHeaders) string {
	var parts []string
	if !rh.HasLimit {
		parts = append(parts, "limit")
	}
	if !rh.HasRemaining {
		parts = append(parts, "remaining")
	}
	if !rh.HasReset && rh.ResetErr == nil {
		parts = append(parts, "reset")
	}
	return joinAnd(parts)
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		out += ", " + p
	}
	return out + " and " + parts[len(parts)-1]
}

// sequence checks that remaining falls with each request of one worker and
// never rises within a window.
func (e *rateEvidence) sequence(seq *rateSeq, status int, rh RateHeaders) evKind {
	if !rh.HasRemaining {
		return 0
	}
	e.remainingSeen++
	prev := *seq
	*seq = rateSeq{has: true, remaining: rh.Remaining, reset: rh.Reset, hasReset: rh.HasReset}
	if rh.HasLimit && rh.Remaining > rh.Limit {
		if e.remaining.note(fmt.Sprintf("remaining %d above the limit %d", rh.Remaining, rh.Limit)) {
			return evRemaining
		}
		return 0
	}
	if !prev.has {
		return 0
	}
	newWindow := prev.hasReset && rh.HasReset && rh.Reset.Sub(prev.reset) >= 500*time.Millisecond
	fresh := rh.HasLimit && rh.Remaining+int64(2*e.workers)+2 >= rh.Limit
	var msg string
	switch {
	case rh.Remaining > prev.remaining && !newWindow && !fresh:
		msg = fmt.Sprintf("remaining rose from %d to %d within one window", prev.remaining, rh.Remaining)
	case rh.Remaining == prev.remaining && prev.remaining > 0 && status/100 == 2 && !newWindow:
		msg = fmt.Sprintf("remaining stayed at %d across consecutive requests", rh.Remaining)
	default:
		return 0
	}
	if e.remaining.note(msg) {
		return evRemaining
	}
	return 0
}

// resetWithin checks reset is in the future (1 s of slack for whole-second
// values) and no later than max wait.
func (e *rateEvidence) resetWithin(rh RateHeaders, at time.Time, maxWait time.Duration) evKind {
	if rh.ResetErr != nil {
		if e.reset.note(rh.ResetErr.Error()) {
			return evReset
		}
		return 0
	}
	if !rh.HasReset {
		return 0
	}
	d := rh.Reset.Sub(at)
	var msg string
	switch {
	case d < -time.Second:
		msg = fmt.Sprintf("reset is %s in the past", round(-d))
	case maxWait > 0 && d > maxWait+time.Second:
		msg = fmt.Sprintf("reset is %s away, beyond max_wait %s", round(d), maxWait)
	default:
		return 0
	}
	if e.reset.note(msg) {
		return evReset
	}
	return 0
}

// retryAfter checks a 429's Retry-After is present and agrees with reset.
func (e *rateEvidence) retryAfter(rh RateHeaders) evKind {
	if rh.RetryAfterErr != nil {
		// Present but unreadable: its own finding, never "missing".
		if e.retryDisagree.note(rh.RetryAfterErr.Error()) {
			return evRetryDisagree
		}
		return 0
	}
	if !rh.HasRetryAfter {
		if e.retryMissing.note("429 without Retry-After") {
			return evRetryMissing
		}
		return 0
	}
	if rh.HasReset {
		diff := rh.RetryAt.Sub(rh.Reset)
		if diff < 0 {
			diff = -diff
		}
		if diff > 2*time.Second && e.retryDisagree.note(fmt.Sprintf("Retry-After points %s from reset", round(diff))) {
			return evRetryDisagree
		}
	}
	return 0
}

// attach gives the findings first seen in kinds their example exchange.
func (e *rateEvidence) attach(kinds evKind, ex *report.Exchange) {
	for _, x := range []struct {
		k evKind
		f *finding
	}{
		{evMissingOK, &e.missingOK}, {evMissing429, &e.missing429}, {evLimitVaries, &e.limitVaries},
		{evRemaining, &e.remaining}, {evReset, &e.reset}, {evRetryMissing, &e.retryMissing},
		{evRetryDisagree, &e.retryDisagree}, {evParse, &e.parse}, {evZero, &e.zero},
	} {
		if kinds&x.k != 0 && x.f.ex == nil {
			x.f.ex = ex
		}
	}
}

func (e *rateEvidence) merge(o *rateEvidence) {
	e.ok += o.ok
	e.limited += o.limited
	e.other += o.other
	if e.otherStatus == 0 {
		e.otherStatus = o.otherStatus
	}
	e.remainingSeen += o.remainingSeen
	if o.hasLimit {
		if e.hasLimit && o.limit != e.limit && e.limitVaries.n == 0 {
			e.limitVaries.note(fmt.Sprintf("limit %d, then %d", e.limit, o.limit))
		}
		if !e.hasLimit {
			e.limit, e.hasLimit = o.limit, true
		}
	}
	for _, x := range [][2]*finding{
		{&e.missingOK, &o.missingOK}, {&e.missing429, &o.missing429}, {&e.limitVaries, &o.limitVaries},
		{&e.remaining, &o.remaining}, {&e.reset, &o.reset}, {&e.retryMissing, &o.retryMissing},
		{&e.retryDisagree, &o.retryDisagree}, {&e.parse, &o.parse}, {&e.zero, &o.zero},
	} {
		x[0].merge(x[1])
	}
	if o.hasLast && (!e.hasLast || o.lastAt.After(e.lastAt)) {
		e.last, e.lastAt, e.hasLast = o.last, o.lastAt, true
	}
}

func round(d time.Duration) time.Duration {
	if d > time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(10 * time.Millisecond)
}
