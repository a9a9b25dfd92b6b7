package reporters_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/reporters"
	"github.com/errprobe/errprobe/schemas"
)

// overtaking serves h, but each odd-numbered request is answered only once
// the next request has arrived (or after 50 ms): with probes running at
// once, requests sent later are answered, and logged, first.
func overtaking(h http.Handler) http.Handler {
	var mu sync.Mutex
	n, next := 0, make(chan struct{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		close(next) // the request before this one may be answered now
		next = make(chan struct{})
		mine, odd := next, n%2 == 1
		mu.Unlock()
		if odd {
			select {
			case <-mine:
			case <-time.After(50 * time.Millisecond):
			}
		}
		h.ServeHTTP(w, r)
	})
}

// TestHAR_InSendOrder runs every suite but the burst against the reference
// server with probes at once and answers overtaking one another: the HAR
// lists its many entries in the order sent, their start times (to the
// microsecond) never going back, although the run logged them otherwise.
func TestHAR_InSendOrder(t *testing.T) {
	t.Parallel()
	p, _ := schemas.Builtin("erzycall", func(string) string { return "" })
	srv, err := fixtures.New(p, fixtures.WithRateLimit(100000, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	p, _ = schemas.Builtin("erzycall", srv.Keys().Getenv(nil))
	hs := httptest.NewServer(overtaking(srv))
	t.Cleanup(hs.Close)
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := checks.Run(ctx, checks.Config{Contract: c, BaseURL: hs.URL, Concurrency: 8, Skip: []string{report.SuiteRateLimit}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	logged := make([]int64, 0, len(r.Exchanges))
	for _, x := range r.Exchanges {
		logged = append(logged, x.Sent)
	}
	if slices.IsSorted(logged) {
		t.Fatalf("the run logged its %d exchanges in the order sent: nothing overtook, the test proves nothing", len(logged))
	}
	var buf bytes.Buffer
	if err := reporters.HAR(&buf, r, reporters.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Entries []struct {
				Started string `json:"startedDateTime"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Log.Entries) < 40 || len(doc.Log.Entries) != len(r.Exchanges) {
		t.Fatalf("%d HAR entries for %d exchanges, want at least 40, one each", len(doc.Log.Entries), len(r.Exchanges))
	}
	sent := slices.Sorted(slices.Values(logged))
	var prev time.Time
	for i, e := range doc.Log.Entries {
		at, err := time.Parse(time.RFC3339Nano, e.Started)
		if err != nil {
			t.Fatalf("entry %d: startedDateTime %q: %v", i, e.Started, err)
		}
		if at.Before(prev) {
			t.Errorf("entry %d started %s, before entry %d (%s)", i, e.Started, i-1, prev.Format(time.RFC3339Nano))
		}
		prev = at
		if want := r.Exchanges[slices.Index(logged, sent[i])].Started.UTC().Truncate(time.Microsecond); !at.Equal(want) {
			t.Errorf("entry %d started %s, want request %d's send time %s", i, e.Started, sent[i], want.Format(time.RFC3339Nano))
		}
	}
}
