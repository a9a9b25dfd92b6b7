package clock

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Fake is a clock that moves only when it is read or waited on: each Now
// moves it by one tick (so durations are never zero and readings are
// ordered), and Sleep(d) moves it d forward at once. Time does not pass
// while requests are in flight: a burst of any size, on a machine of any
// speed, lands in one rate-limit window, and the wait for the next window
// costs nothing. Tests share one Fake between the reference server
// (fixtures.WithClock) and the run (checks.Config.Clock).
type Fake struct {
	mu    sync.Mutex
	t     time.Time
	slept time.Duration
}

var _ Clock = (*Fake)(nil)

// Tick is how far a Fake moves per reading.
const Tick = time.Microsecond

// NewFake is a Fake clock at start.
func NewFake(start time.Time) *Fake {
	return &Fake{t: start}
}

// Now moves the clock by Tick and returns the new time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(Tick)
	return f.t
}

// Sleep moves the clock d forward and returns at once; false when ctx has
// ended. Concurrent sleepers each move it: every one returns at least d
// after it began waiting, which is all a sleep promises.
func (f *Fake) Sleep(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	if d > 0 {
		f.Advance(d)
		f.mu.Lock()
		f.slept += d
		f.mu.Unlock()
	}
	return true
}

// Advance moves the clock by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

// Slept is how far the sleeps have moved the clock: the time a real clock
// would have waited.
func (f *Fake) Slept() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.slept
}

// Skip is the wall clock with the waits taken out: Now is the real time
// plus every wait skipped so far, and Sleep adds its d to that and returns
// at once. Requests take their real time (a burst's rate is its real rate);
// only waiting is free. The demo runs on it, its server sharing the clock.
type Skip struct {
	offset atomic.Int64
}

var _ Clock = (*Skip)(nil)

// Now is the wall clock plus the waits skipped.
func (s *Skip) Now() time.Time {
	return time.Now().Add(time.Duration(s.offset.Load()))
}

// Sleep skips d and returns at once; false when ctx has ended.
func (s *Skip) Sleep(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	if d > 0 {
		s.offset.Add(int64(d))
	}
	return true
}

// Skipped is the total of the waits skipped.
func (s *Skip) Skipped() time.Duration {
	return time.Duration(s.offset.Load())
}
