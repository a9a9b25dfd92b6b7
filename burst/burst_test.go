package burst_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/burst"
)

// limiter answers 200 to the first n requests and 429 after, with legacy
// rate-limit headers.
func limiter(t *testing.T, n int64) (*httptest.Server, *atomic.Int64) {
	var seen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := seen.Add(1)
		left := max(n-i, 0)
		w.Header().Set("X-RateLimit-Limit", strconv.FormatInt(n, 10))
		w.Header().Set("X-RateLimit-Remaining", strconv.FormatInt(left, 10))
		w.Header().Set("X-RateLimit-Reset", "1")
		if i > n {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"code":"RATE_LIMITED","message":"slow down"}}`))
			return
		}
		w.Write([]byte(`[]`))
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestBurst_StopsAfterConfirmation(t *testing.T) {
	type testCase struct {
		name                  string
		limit                 int64
		max, workers, confirm int
		want429, wantMaxSent  int
	}
	run := func(t *testing.T, tc testCase) {
		srv, seen := limiter(t, tc.limit)
		var progress atomic.Int64
		st := burst.Run(context.Background(), burst.Config{
			URL: srv.URL, MaxRequests: tc.max, Concurrency: tc.workers, Confirm: tc.confirm, Format: legacy,
			Progress: func(burst.Progress) { progress.Add(1) },
		})
		if st.Sent > tc.wantMaxSent || int64(st.Sent) != seen.Load() {
			t.Errorf("sent %d (server saw %d), want at most %d", st.Sent, seen.Load(), tc.wantMaxSent)
		}
		if st.Status429 < tc.want429 {
			t.Errorf("%d × 429, want at least %d", st.Status429, tc.want429)
		}
		if tc.want429 > 0 && st.FirstLimit <= 0 {
			t.Error("no first-429 time")
		}
		if total := sum(st.PerSecond); total != st.Sent {
			t.Errorf("per-second counts add up to %d, sent %d", total, st.Sent)
		}
		if st.LatencyP50 > st.LatencyP90 || st.LatencyP90 > st.LatencyP99 || st.Rate <= 0 {
			t.Errorf("latencies %s %s %s rate %f", st.LatencyP50, st.LatencyP90, st.LatencyP99, st.Rate)
		}
		if progress.Load() == 0 {
			t.Error("no progress reported")
		}
	}
	for _, tc := range []testCase{
		{name: "limit reached", limit: 50, max: 1000, workers: 8, confirm: 5, want429: 6, wantMaxSent: 50 + 6 + 8},
		{name: "one worker exact", limit: 10, max: 1000, workers: 1, confirm: 2, want429: 3, wantMaxSent: 13},
		{name: "budget first", limit: 1000, max: 100, workers: 8, confirm: 5, wantMaxSent: 100},
		{name: "no stop on 429", limit: 10, max: 300, workers: 4, confirm: -1, want429: 290, wantMaxSent: 300},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func TestBurst_StopsOnCancel(t *testing.T) {
	srv, _ := limiter(t, 1<<40)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	st := burst.Run(ctx, burst.Config{URL: srv.URL, MaxRequests: 1 << 30, Concurrency: 4, Format: legacy})
	if d := time.Since(start); d > 10*time.Second { // a hang detector
		t.Errorf("burst ran %s after cancel", d)
	}
	if st.Sent == 0 {
		t.Error("nothing sent")
	}
}

func TestBurst_Unreachable(t *testing.T) {
	srv, _ := limiter(t, 10)
	url := srv.URL
	srv.Close()
	st := burst.Run(context.Background(), burst.Config{URL: url, MaxRequests: 1000, Concurrency: 4, Format: legacy})
	if st.Sent != 0 || st.Errors == 0 || st.Errors > 20 {
		t.Errorf("sent %d errors %d: want a few errors then stop", st.Sent, st.Errors)
	}
}

func TestBurst_DripFeedEndsAtTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("{"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	st := burst.Run(context.Background(), burst.Config{URL: srv.URL, MaxRequests: 100, Concurrency: 2, Timeout: 200 * time.Millisecond, Format: legacy})
	if d := time.Since(start); d > 10*time.Second { // a hang detector (the server never ends)
		t.Errorf("burst took %s against a dripping server", d)
	}
	if st.Errors == 0 {
		t.Errorf("no error recorded: %+v", st)
	}
}
