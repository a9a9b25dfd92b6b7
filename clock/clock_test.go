package clock

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestFake_SleepMovesTheClockAtOnce(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := NewFake(start)
	wall := time.Now()
	if !f.Sleep(context.Background(), time.Hour) {
		t.Fatal("Sleep returned false on a live context")
	}
	if d := time.Since(wall); d > time.Second {
		t.Errorf("a fake hour took %s of real time", d)
	}
	if got := f.Now().Sub(start); got < time.Hour || got > time.Hour+time.Millisecond {
		t.Errorf("after an hour's sleep the clock moved %s", got)
	}
	if f.Slept() != time.Hour {
		t.Errorf("Slept = %s, want 1h", f.Slept())
	}
}

func TestFake_ReadingsAreOrdered(t *testing.T) {
	t.Parallel()
	f := NewFake(time.Unix(0, 0))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			prev := f.Now()
			for range 1000 {
				now := f.Now()
				if !now.After(prev) {
					t.Errorf("reading %s not after %s", now, prev)
					return
				}
				prev = now
			}
		})
	}
	wg.Wait()
	if got := f.Now().Sub(time.Unix(0, 0)); got != 4005*Tick {
		t.Errorf("4005 readings moved the clock %s, want %s", got, 4005*Tick)
	}
}

func TestSleep_EndedContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, c := range map[string]Clock{"real": Real, "fake": NewFake(time.Now()), "skip": &Skip{}, "func": Func(time.Now)} {
		if c.Sleep(ctx, time.Hour) {
			t.Errorf("%s: Sleep on an ended context returned true", name)
		}
	}
	if !Real.Sleep(context.Background(), 0) {
		t.Error("real: a zero sleep on a live context returned false")
	}
}

func TestSkip_WaitsAreSkippedTimeStillRuns(t *testing.T) {
	t.Parallel()
	s := &Skip{}
	before := time.Now()
	s.Sleep(context.Background(), time.Minute)
	if d := s.Now().Sub(before); d < time.Minute {
		t.Errorf("after a skipped minute the clock moved %s", d)
	}
	if time.Since(before) > time.Second {
		t.Error("the skipped minute took real time")
	}
	if s.Skipped() != time.Minute {
		t.Errorf("Skipped = %s", s.Skipped())
	}
}

func TestReal_SleepEndsWithItsContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if Real.Sleep(ctx, time.Minute) {
		t.Error("a cancelled minute's sleep returned true")
	}
	if !Real.Sleep(context.Background(), time.Millisecond) {
		t.Error("a 1ms sleep returned false")
	}
}
