package checks

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/errprobe/errprobe/burst"
	"github.com/errprobe/errprobe/ratelimit"
)

// freshWindow waits, before the burst, for the reset of a window the run's
// own requests have spent from (bounded by max wait), so the burst starts
// on a full quota. It returns the time waited (0: the window was fresh, or
// the headers said nothing usable).
func (s *session) freshWindow(ctx context.Context) time.Duration {
	rh, _, ok := s.seen.latest(roleValid)
	if !ok || !rh.HasReset {
		return 0
	}
	start := s.cfg.Now()
	if rh.HasRemaining && rh.HasLimit && rh.Remaining*10 >= rh.Limit*9 && rh.Reset.Sub(start) >= freshEnough {
		return 0 // nine tenths of the quota left, and time for a later sample: as good as fresh
	}
	d := rh.Reset.Sub(start) + 50*time.Millisecond
	if d <= 50*time.Millisecond || d > s.maxWait {
		return 0
	}
	s.countdownFor(ctx, d, "a fresh rate-limit window before the burst")
	return s.cfg.Now().Sub(start)
}

// freshEnough is how much of a window must be left for a burst started in it
// to leave laterSampleMin for the later sample: closer to the reset, the
// burst waits for a fresh window even with most of the quota left.
const freshEnough = laterSampleMin + 500*time.Millisecond

// laterSampleMin is how far the reset must be after the burst's last 429
// for a second 429 later in the same window to be worth a request; the
// sample is sent laterSampleLead before the reset.
const (
	laterSampleMin  = 600 * time.Millisecond
	laterSampleLead = 400 * time.Millisecond
)

// sampleLater sends one more request late in the window the burst spent
// (laterSampleLead before its reset): its 429 shows whether the reset counts down,
// whether remaining is 0, and whether Retry-After follows the reset or is a
// constant window.
func (s *session) sampleLater(ctx context.Context, o *outcome, c call, res *burst.Result) {
	ev := &res.Evidence
	if !ev.HasLast {
		return
	}
	prev, prevAt := ev.Last, ev.LastAt
	end := prev.Reset
	if !prev.HasReset {
		if !prev.HasRetryAfter {
			return
		}
		end = prev.RetryAt
	}
	f := ratelimit.FormatOf(s.p)
	// A delta reset (IETF t=, reset: delta) is whole seconds rounded up: the
	// true reset may be up to a second earlier, so the sample goes just
	// before the earliest it can be.
	delta := f.Kind == "ietf" || f.Reset == "delta"
	if delta && prev.HasReset {
		end = end.Add(-time.Second)
	}
	lead, least := laterSampleLead, laterSampleMin
	if delta {
		lead, least = 50*time.Millisecond, 300*time.Millisecond
	}
	left := end.Sub(s.cfg.Now())
	if left < least || left > s.maxWait {
		return
	}
	if !s.countdownFor(ctx, left-lead, "a later 429 in the burst's window") {
		return
	}
	c.noRetry = true
	ex := s.do(ctx, o, c)
	if ex.Response == nil || ex.Response.Status != http.StatusTooManyRequests {
		return
	}
	at := s.cfg.Now()
	rh := f.Parse(ex.Response.Header, at)
	note := func(fd *ratelimit.Finding, msg string) {
		if fd.Note(msg) {
			fd.Ex = ex
		}
	}
	if f.Kind != "none" && rh.HasReset && prev.HasReset {
		if moved := rh.Reset.Sub(prev.Reset); moved > 1500*time.Millisecond {
			note(&ev.Reset, fmt.Sprintf("reset did not count down between 429s: %s away, then %s away %s later",
				ratelimit.Round(prev.Reset.Sub(prevAt)), ratelimit.Round(rh.Reset.Sub(at)), ratelimit.Round(at.Sub(prevAt))))
		}
	}
	if f.Kind != "none" && rh.HasRemaining && rh.Remaining > 0 {
		note(&ev.Zero, fmt.Sprintf("429 with remaining %d", rh.Remaining))
	}
	if rh.RetryAfterErr != nil {
		note(&ev.RetryDisagree, rh.RetryAfterErr.Error())
		return
	}
	if !rh.HasRetryAfter || !prev.HasRetryAfter || !rh.HasReset {
		return
	}
	ra, raPrev := rh.RetryAt.Sub(at), prev.RetryAt.Sub(prevAt)
	// A Retry-After that did not count down while the reset did, and now
	// points past the reset by more than rounding (whole seconds from the
	// same instant for a delta reset; an epoch reset is rounded on its
	// own): the window's length, not the time left.
	slack := 1100 * time.Millisecond
	if delta {
		slack = 500 * time.Millisecond
	}
	if ra >= raPrev && rh.RetryAt.Sub(rh.Reset) > slack {
		note(&ev.RetryDisagree, fmt.Sprintf("Retry-After stayed %s while the reset counted down to %s: a constant window, not the time left",
			ratelimit.Round(ra), ratelimit.Round(rh.Reset.Sub(at))))
	}
}
