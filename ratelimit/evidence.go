package ratelimit

import (
	"fmt"
	"net/http"
	"time"

	"github.com/errprobe/errprobe/report"
)

// Kind flags the first occurrence of a kind of evidence in a burst, so the
// response showing it is kept as a sample.
type Kind uint16

const (
	EvShape Kind = 1 << iota
	EvSuccess
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

// Finding counts one kind of bad evidence and keeps its first example.
type Finding struct {
	N   int
	Msg string
	Ex  *report.Exchange
}

func (f *Finding) Note(msg string) bool {
	f.N++
	if f.N == 1 {
		f.Msg = msg
		return true
	}
	return false
}

func (f *Finding) merge(o *Finding) {
	if f.N == 0 || (f.Ex == nil && o.Ex != nil) {
		f.Msg, f.Ex = o.Msg, o.Ex
	}
	f.N += o.N
}

// Seq is one worker's previous response, for the remaining check: a
// worker's requests are sequential, so the server saw them in this order.
type Seq struct {
	has       bool
	remaining int64
	reset     time.Time
	hasReset  bool
}

// Evidence is what a burst learnt about the rate-limit headers, as
// counters and first examples only.
type Evidence struct {
	Ok, limited, Other int
	OtherStatus        int
	RemainingSeen      int
	limit              int64
	hasLimit           bool
	Workers            int

	MissingOK, Missing429, LimitVaries, Remaining, Reset Finding
	RetryMissing, RetryDisagree, Parse                   Finding
	// Zero: a 429 whose remaining is not 0.
	Zero Finding

	Last    Headers
	LastAt  time.Time
	HasLast bool
}

// Observe judges one response and returns the kinds seen for the first time.
func (e *Evidence) Observe(seq *Seq, status int, rh Headers, at time.Time, maxWait time.Duration, kind string) Kind {
	var k Kind
	limited := status == http.StatusTooManyRequests
	switch {
	case limited:
		e.limited++
		if !e.HasLast || at.After(e.LastAt) {
			e.Last, e.LastAt, e.HasLast = rh, at, true
		}
	case status/100 == 2:
		e.Ok++
	default:
		e.Other++
		if e.OtherStatus == 0 {
			e.OtherStatus = status
		}
		return 0
	}
	if rh.Err != nil && e.Parse.Note(rh.Err.Error()) {
		k |= evParse
	}
	if kind != "none" {
		k |= e.headers(status, rh, limited)
		k |= e.sequence(seq, status, rh)
		k |= e.resetWithin(rh, at, maxWait)
	}
	if limited {
		k |= e.retryAfter(rh)
		if kind != "none" && rh.HasRemaining && rh.Remaining > 0 && e.Zero.Note(fmt.Sprintf("429 with remaining %d", rh.Remaining)) {
			k |= evZero
		}
	}
	return k
}

func (e *Evidence) headers(status int, rh Headers, limited bool) Kind {
	if !rh.Complete() && missingParts(rh) != "" {
		msg := fmt.Sprintf("%d response without %s", status, missingParts(rh))
		if limited && e.Missing429.Note(msg) {
			return evMissing429
		}
		if !limited && e.MissingOK.Note(msg) {
			return evMissingOK
		}
		return 0
	}
	if !rh.HasLimit {
		return 0
	}
	if !e.hasLimit {
		e.limit, e.hasLimit = rh.Limit, true
	} else if rh.Limit != e.limit && e.LimitVaries.Note(fmt.Sprintf("limit %d, then %d", e.limit, rh.Limit)) {
		return evLimitVaries
	}
	return 0
}

func missingParts(rh Headers) string {
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
func (e *Evidence) sequence(seq *Seq, status int, rh Headers) Kind {
	if !rh.HasRemaining {
		return 0
	}
	e.RemainingSeen++
	prev := *seq
	*seq = Seq{has: true, remaining: rh.Remaining, reset: rh.Reset, hasReset: rh.HasReset}
	if rh.HasLimit && rh.Remaining > rh.Limit {
		if e.Remaining.Note(fmt.Sprintf("remaining %d above the limit %d", rh.Remaining, rh.Limit)) {
			return evRemaining
		}
		return 0
	}
	if !prev.has {
		return 0
	}
	newWindow := prev.hasReset && rh.HasReset && rh.Reset.Sub(prev.reset) >= 500*time.Millisecond
	fresh := rh.HasLimit && rh.Remaining+int64(2*e.Workers)+2 >= rh.Limit
	var msg string
	switch {
	case rh.Remaining > prev.remaining && !newWindow && !fresh:
		msg = fmt.Sprintf("remaining rose from %d to %d within one window", prev.remaining, rh.Remaining)
	case rh.Remaining == prev.remaining && prev.remaining > 0 && status/100 == 2 && !newWindow:
		msg = fmt.Sprintf("remaining stayed at %d across consecutive requests", rh.Remaining)
	default:
		return 0
	}
	if e.Remaining.Note(msg) {
		return evRemaining
	}
	return 0
}

// resetWithin checks reset is in the future (1 s of slack for whole-second
// values) and no later than max wait.
func (e *Evidence) resetWithin(rh Headers, at time.Time, maxWait time.Duration) Kind {
	if rh.ResetErr != nil {
		if e.Reset.Note(rh.ResetErr.Error()) {
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
		msg = fmt.Sprintf("reset is %s in the past", Round(-d))
	case maxWait > 0 && d > maxWait+time.Second:
		msg = fmt.Sprintf("reset is %s away, beyond max_wait %s", Round(d), maxWait)
	default:
		return 0
	}
	if e.Reset.Note(msg) {
		return evReset
	}
	return 0
}

// retryAfter checks a 429's Retry-After is present and agrees with reset.
func (e *Evidence) retryAfter(rh Headers) Kind {
	if rh.RetryAfterErr != nil {
		// Present but unreadable: its own finding, never "missing".
		if e.RetryDisagree.Note(rh.RetryAfterErr.Error()) {
			return evRetryDisagree
		}
		return 0
	}
	if !rh.HasRetryAfter {
		if e.RetryMissing.Note("429 without Retry-After") {
			return evRetryMissing
		}
		return 0
	}
	if rh.HasReset {
		diff := rh.RetryAt.Sub(rh.Reset)
		if diff < 0 {
			diff = -diff
		}
		if diff > 2*time.Second && e.RetryDisagree.Note(fmt.Sprintf("Retry-After points %s from reset", Round(diff))) {
			return evRetryDisagree
		}
	}
	return 0
}

// Attach gives the findings first seen in kinds their example exchange.
func (e *Evidence) Attach(kinds Kind, ex *report.Exchange) {
	for _, x := range []struct {
		k Kind
		f *Finding
	}{
		{evMissingOK, &e.MissingOK}, {evMissing429, &e.Missing429}, {evLimitVaries, &e.LimitVaries},
		{evRemaining, &e.Remaining}, {evReset, &e.Reset}, {evRetryMissing, &e.RetryMissing},
		{evRetryDisagree, &e.RetryDisagree}, {evParse, &e.Parse}, {evZero, &e.Zero},
	} {
		if kinds&x.k != 0 && x.f.Ex == nil {
			x.f.Ex = ex
		}
	}
}

func (e *Evidence) Merge(o *Evidence) {
	e.Ok += o.Ok
	e.limited += o.limited
	e.Other += o.Other
	if e.OtherStatus == 0 {
		e.OtherStatus = o.OtherStatus
	}
	e.RemainingSeen += o.RemainingSeen
	if o.hasLimit {
		if e.hasLimit && o.limit != e.limit && e.LimitVaries.N == 0 {
			e.LimitVaries.Note(fmt.Sprintf("limit %d, then %d", e.limit, o.limit))
		}
		if !e.hasLimit {
			e.limit, e.hasLimit = o.limit, true
		}
	}
	for _, x := range [][2]*Finding{
		{&e.MissingOK, &o.MissingOK}, {&e.Missing429, &o.Missing429}, {&e.LimitVaries, &o.LimitVaries},
		{&e.Remaining, &o.Remaining}, {&e.Reset, &o.Reset}, {&e.RetryMissing, &o.RetryMissing},
		{&e.RetryDisagree, &o.RetryDisagree}, {&e.Parse, &o.Parse}, {&e.Zero, &o.Zero},
	} {
		x[0].merge(x[1])
	}
	if o.HasLast && (!e.HasLast || o.LastAt.After(e.LastAt)) {
		e.Last, e.LastAt, e.HasLast = o.Last, o.LastAt, true
	}
}

func Round(d time.Duration) time.Duration {
	if d > time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(10 * time.Millisecond)
}
