// Package clock is errprobe's time: reading it and waiting on it. The
// reference server's rate limiter, the burst and every wait of a run (the
// fresh window before the burst, Retry-After back-offs, the recovery polls,
// --rate pacing) take their time from one Clock, so a test — or the demo,
// whose server shares the process — can let a 2 s rate-limit window pass
// without waiting for it.
//
// It owns no policy: how long to wait is decided by the callers. Timeouts
// that guard against a hung peer (per-request --timeout, --max-duration)
// stay on the wall clock: they bound real waiting, which a Clock never
// replaces.
package clock

import (
	"context"
	"time"
)

// Clock tells the time and waits.
type Clock interface {
	// Now is the current time.
	Now() time.Time
	// Sleep waits d (nothing when d <= 0) or until ctx ends; false when
	// ctx ended first.
	Sleep(ctx context.Context, d time.Duration) bool
}

// Real is the wall clock.
var Real Clock = realClock{}

type realClock struct{}

var _ Clock = realClock{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Func is a clock that reads the time from now and waits on the wall
// clock (for callers that only replace the reading, as Config.Now did).
func Func(now func() time.Time) Clock { return funcClock(now) }

type funcClock func() time.Time

func (f funcClock) Now() time.Time { return f() }

func (f funcClock) Sleep(ctx context.Context, d time.Duration) bool {
	return Real.Sleep(ctx, d)
}
