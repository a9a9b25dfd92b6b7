package checks_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/schemas"
)

// hostile runs erzycall's probes against h with short timeouts and returns
// the report; the run must end within limit.
func hostile(t *testing.T, h http.Handler, limit time.Duration) *checks.Report {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	keys := map[string]string{"ERRPROBE_API_KEY": "ek_live_hostile000000000001", "ERRPROBE_OTHER_TENANT_KEY": "ek_live_hostile000000000002"}
	p, err := schemas.Builtin("erzycall", func(k string) string { return keys[k] })
	if err != nil {
		t.Fatal(err)
	}
	c, _ := schemas.Compile(p)
	cfg := checks.Config{Contract: c, BaseURL: srv.URL, Timeout: 300 * time.Millisecond, MaxWait: time.Second, MaxBody: 64 << 10}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*limit)
	defer cancel()
	rep, err := checks.Run(ctx, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if d := time.Since(start); d > limit {
		t.Errorf("run took %s, want under %s", d, limit)
	}
	if rep.Interrupted {
		t.Error("run did not finish by itself")
	}
	return rep
}

func anyExchange(r *checks.Report, ok func(*checks.Exchange) bool) bool {
	for _, res := range r.Results {
		if res.Exchange != nil && ok(res.Exchange) {
			return true
		}
	}
	return false
}

func TestRun_Hostile(t *testing.T) {
	type testCase struct {
		name    string
		handler http.HandlerFunc
		limit   time.Duration
		want    func(*checks.Exchange) bool
	}
	zeros := func() []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(make([]byte, 32<<20))
		zw.Close()
		return b.Bytes()
	}()
	var otherHost atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { otherHost.Store(true) }))
	defer other.Close()
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		rep := hostile(t, tc.handler, tc.limit)
		if tc.want != nil && !anyExchange(rep, tc.want) {
			t.Errorf("no exchange shows the hostile behaviour; failures:\n%s", strings.Join(failures(rep), "\n"))
		}
	}
	cases := []testCase{
		{name: "100 MiB body", limit: 5 * time.Second, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			chunk := bytes.Repeat([]byte("x"), 1<<20)
			for i := 0; i < 100 && r.Context().Err() == nil; i++ {
				w.Write(chunk)
			}
		}, want: func(ex *checks.Exchange) bool {
			return ex.Response != nil && ex.Response.Truncated && len(ex.Response.Body) == 64<<10
		}},
		{name: "gzip bomb", limit: 5 * time.Second, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(400)
			w.Write(zeros)
		}, want: func(ex *checks.Exchange) bool {
			return ex.Response != nil && (ex.Response.Truncated || len(ex.Response.Body) == len(zeros))
		}},
		{name: "never answers", limit: 8 * time.Second, handler: func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // so the server notices the client hanging up
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}, want: func(ex *checks.Exchange) bool {
			return strings.Contains(ex.Err, "timed out") || strings.Contains(ex.Err, "timeout")
		}},
		{name: "redirect elsewhere", limit: 5 * time.Second, handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
		}, want: func(ex *checks.Exchange) bool { return ex.Response != nil && ex.Response.Status == http.StatusFound }},
		{name: "429 forever", limit: 6 * time.Second, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "999999999")
			w.Header().Set("X-RateLimit-Reset", "99999999999")
			w.WriteHeader(http.StatusTooManyRequests)
		}, want: func(ex *checks.Exchange) bool { return ex.Response != nil && ex.Response.Status == 429 }},
		{name: "10000 headers", limit: 5 * time.Second, handler: func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 10000; i++ {
				w.Header().Set(fmt.Sprintf("X-H-%d", i), strings.Repeat("v", 100))
			}
			w.WriteHeader(400)
		}, want: func(ex *checks.Exchange) bool { return ex.Err != "" }},
		{name: "invalid UTF-8 and NUL", limit: 5 * time.Second, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			w.Write([]byte("{\"error\":{\"code\":\"\xff\xfe\",\"message\":\"a\x00b\"}}"))
		}},
		{name: "deep nesting", limit: 5 * time.Second, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			w.Write([]byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000)))
		}},
	}
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) { run(t, tc) })
		}
	})
	if otherHost.Load() {
		t.Error("a redirect was followed to another host")
	}
}
