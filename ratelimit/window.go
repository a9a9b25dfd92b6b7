package ratelimit

import (
	"fmt"
	"time"

	"github.com/errprobe/errprobe/report"
)

// FreshWait is how long to wait, before a burst, for the reset of a window
// the run's own requests have spent from (latest headers rh, now), so the
// burst starts on a full quota: 0 when the window is as good as fresh, the
// headers say nothing usable, or the wait would pass maxWait.
func FreshWait(rh Headers, now time.Time, maxWait time.Duration) time.Duration {
	if !rh.HasReset {
		return 0
	}
	if rh.HasRemaining && rh.HasLimit && rh.Remaining*10 >= rh.Limit*9 && rh.Reset.Sub(now) >= freshEnough {
		return 0 // nine tenths of the quota left, and time for a later sample: as good as fresh
	}
	d := rh.Reset.Sub(now) + 50*time.Millisecond
	if d <= 50*time.Millisecond || d > maxWait {
		return 0
	}
	return d
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

// LaterWait is how long after now to send one more request late in the
// window the burst spent (laterSampleLead before its reset, as its last 429
// ev.Last said): its 429 shows whether the reset counts down, whether
// remaining is 0, and whether Retry-After follows the reset or is a
// constant window. ok is false when no sample is worth sending.
func LaterWait(ev *Evidence, f Format, now time.Time, maxWait time.Duration) (time.Duration, bool) {
	if !ev.HasLast {
		return 0, false
	}
	prev := ev.Last
	end := prev.Reset
	if !prev.HasReset {
		if !prev.HasRetryAfter {
			return 0, false
		}
		end = prev.RetryAt
	}
	// A delta reset (IETF t=, reset: delta) is whole seconds rounded up: the
	// true reset may be up to a second earlier, so the sample goes just
	// before the earliest it can be.
	delta := f.delta()
	if delta && prev.HasReset {
		end = end.Add(-time.Second)
	}
	lead, least := laterSampleLead, laterSampleMin
	if delta {
		lead, least = 50*time.Millisecond, 300*time.Millisecond
	}
	left := end.Sub(now)
	if left < least || left > maxWait {
		return 0, false
	}
	return left - lead, true
}

func (f Format) delta() bool { return f.Kind == "ietf" || f.Reset == "delta" }

// Later judges the later sample's 429 ex, received at, against the burst's
// last 429 (ev.Last), adding what it shows to ev.
func (ev *Evidence) Later(f Format, ex *report.Exchange, at time.Time) {
	prev, prevAt := ev.Last, ev.LastAt
	rh := f.Parse(ex.Response.Header, at)
	note := func(fd *Finding, msg string) {
		if fd.Note(msg) {
			fd.Ex = ex
		}
	}
	if f.Kind != "none" && rh.HasReset && prev.HasReset {
		if moved := rh.Reset.Sub(prev.Reset); moved > 1500*time.Millisecond {
			note(&ev.Reset, fmt.Sprintf("reset did not count down between 429s: %s away, then %s away %s later",
				Round(prev.Reset.Sub(prevAt)), Round(rh.Reset.Sub(at)), Round(at.Sub(prevAt))))
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
	if f.delta() {
		slack = 500 * time.Millisecond
	}
	if ra >= raPrev && rh.RetryAt.Sub(rh.Reset) > slack {
		note(&ev.RetryDisagree, fmt.Sprintf("Retry-After stayed %s while the reset counted down to %s: a constant window, not the time left",
			Round(ra), Round(rh.Reset.Sub(at))))
	}
}
