package checks_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// hostileKey is the valid key the hostile targets are probed with.
const hostileKey = "ek_live_hostile000000000001"

// hostileConfig aims erzycall's probes at base with a short timeout.
func hostileConfig(t *testing.T, base string) checks.Config {
	t.Helper()
	keys := map[string]string{"ERRPROBE_API_KEY": hostileKey}
	p, err := schemas.Builtin("erzycall", func(k string) string { return keys[k] })
	if err != nil {
		t.Fatal(err)
	}
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return checks.Config{Contract: c, BaseURL: base, Timeout: 300 * time.Millisecond, MaxWait: time.Second,
		Suites: []string{"auth.missing-key", "envelope.json", "envelope.code-known"},
		Skip:   []string{"malformed", "resources", "validation", "idempotency"}}
}

// runHostile runs cfg and fails the test if the run takes longer than
// limit or does not finish by itself.
func runHostile(t *testing.T, cfg checks.Config, limit time.Duration) *report.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*limit)
	defer cancel()
	start := time.Now()
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

// resultFor returns the result of check on probe.
func resultFor(t *testing.T, r *report.Report, check, probe string) report.Result {
	t.Helper()
	for _, res := range r.Results {
		if res.Check == check && res.Probe == probe {
			return res
		}
	}
	t.Fatalf("no %s result for probe %s; results:\n%s", check, probe, strings.Join(failures(r), "\n"))
	return report.Result{}
}

// rawServer answers every connection with reply (after reading the
// request), then resets it (SO_LINGER 0); hold keeps it open, unanswered,
// until the test ends.
func rawServer(t *testing.T, reply string, hold bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil {
					return
				}
				if hold {
					<-done
					return
				}
				conn.Write([]byte(reply))
				conn.(*net.TCPConn).SetLinger(0)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// onlyUnkeyed serves hostile to requests that carry no key (the
// missing-key probe, whose result each case judges) and a plain JSON 401 to
// the other auth probes: one hostile response proves the case, and the
// others cost no 100 MiB body or 10,000 headers each (a third of the
// package's CPU under -race before).
func onlyUnkeyed(hostile http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, keyed := r.Header["X-Api-Key"]; keyed || r.Header.Get("Authorization") != "" || r.URL.RawQuery != "" {
			jsonError(w, http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"code":"UNAUTHORIZED","message":"no"}}`))
			return
		}
		hostile(w, r)
	}
}

func jsonError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
}

// hostileCase is one hostile target and the exact outcome it must give: the
// result of check on probe "missing-key", with its message and the
// exchange's error.
type hostileCase struct {
	name    string
	handler http.HandlerFunc // or url
	url     func(t *testing.T) string
	check   string
	status  report.Status
	message string // substring of the result's message
	exErr   string // the exchange's error: exact, or prefix with a trailing "…"
	body    func(t *testing.T, r *report.Response)
	// alone runs the missing-key probe only (slow targets).
	alone bool
}

func TestRun_Hostile(t *testing.T) {
	t.Parallel()
	bomb := func() []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(make([]byte, 64<<20))
		zw.Close()
		return b.Bytes()
	}()
	var hugeMax atomic.Int64 // the most MiB written for one request
	run := func(t *testing.T, tc hostileCase) {
		t.Parallel()
		base := ""
		if tc.url != nil {
			base = tc.url(t)
		} else {
			srv := httptest.NewServer(onlyUnkeyed(tc.handler))
			t.Cleanup(srv.Close)
			base = srv.URL
		}
		cfg := hostileConfig(t, base)
		if tc.alone {
			cfg.Suites = []string{report.AuthMissingKey}
		} else {
			// Only the slow-server cases test the per-request timeout; the
			// others must not meet it on a loaded machine under -race.
			cfg.Timeout = 5 * time.Second
		}
		// The bound catches a hang, not slowness: parallel cases share two
		// cores with the race detector.
		rep := runHostile(t, cfg, 60*time.Second)
		res := resultFor(t, rep, tc.check, "missing-key")
		if res.Status != tc.status || !strings.Contains(res.Message, tc.message) {
			t.Errorf("%s = %s %q, want %s containing %q", tc.check, res.Status, res.Message, tc.status, tc.message)
		}
		if res.Exchange == nil {
			t.Fatalf("%s carries no exchange", tc.check)
		}
		got := res.Exchange.Err
		if want, prefix := strings.CutSuffix(tc.exErr, "…"); (prefix && !strings.HasPrefix(got, want)) || (!prefix && got != want) {
			t.Errorf("exchange error = %q, want %q", got, tc.exErr)
		}
		if tc.body != nil {
			if res.Exchange.Response == nil {
				t.Fatal("no response recorded")
			}
			tc.body(t, res.Exchange.Response)
		}
	}
	cases := []hostileCase{
		{name: "100 MiB body is read to --max-body", handler: func(w http.ResponseWriter, r *http.Request) {
			jsonError(w, 401)
			chunk := bytes.Repeat([]byte("x"), 1<<20)
			for i := int64(1); i <= 100; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
				if i > hugeMax.Load() {
					hugeMax.Store(i)
				}
			}
		}, check: report.EnvelopeJSON, status: report.StatusFail, message: "body is not JSON: invalid character 'x'",
			body: func(t *testing.T, r *report.Response) {
				// T12: read to --max-body, but only its first bytes kept
				if !r.Truncated || len(r.Body) != wire.KeptOfTruncated || r.Size() != wire.DefaultMaxBody {
					t.Errorf("body %d bytes kept of %d, truncated %v; want %d of %d, truncated", len(r.Body), r.Size(), r.Truncated, wire.KeptOfTruncated, wire.DefaultMaxBody)
				}
			}},
		{name: "gzip bomb stays compressed", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			jsonError(w, 401)
			w.Write(bomb)
		}, check: report.EnvelopeJSON, status: report.StatusFail, message: `body is not JSON: invalid character '\x1f' looking for beginning of value`,
			body: func(t *testing.T, r *report.Response) {
				if len(r.Body) != len(bomb) || r.Truncated {
					t.Errorf("body %d bytes (truncated %v), want the %d compressed bytes as sent", len(r.Body), r.Truncated, len(bomb))
				}
			}},
		{name: "one byte a second times out", handler: func(w http.ResponseWriter, r *http.Request) {
			jsonError(w, 401)
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for range 30 {
				w.Write([]byte("{"))
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-tick.C:
				}
			}
		}, check: report.AuthMissingKey, status: report.StatusFail, message: "got 401 (no error code, application/json)",
			exErr: "reading body: timed out (--timeout)", alone: true},
		{name: "accepts and never answers", url: func(t *testing.T) string { return rawServer(t, "", true) },
			check: report.AuthMissingKey, status: report.StatusFail, message: "got timed out (--timeout)", exErr: "timed out (--timeout)", alone: true},
		{name: "connection reset mid-body", url: func(t *testing.T) string {
			return rawServer(t, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"error\":{", false)
		}, check: report.EnvelopeJSON, status: report.StatusFail, message: "body is not JSON: unexpected end of JSON input",
			exErr: "reading body: read tcp …", body: func(t *testing.T, r *report.Response) {
				if !r.Truncated || r.Body != `{"error":{` {
					t.Errorf("body %q (truncated %v), want the 10 bytes before the reset, truncated", r.Body, r.Truncated)
				}
			}},
		{name: "invalid Content-Length", url: func(t *testing.T) string {
			return rawServer(t, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}", false)
		}, check: report.AuthMissingKey, status: report.StatusFail, message: `bad Content-Length "abc"`,
			exErr: `net/http: HTTP/1.x transport connection broken: bad Content-Length "abc"`},
		{name: "invalid UTF-8 in the code", handler: func(w http.ResponseWriter, r *http.Request) {
			jsonError(w, 401)
			w.Write([]byte("{\"error\":{\"code\":\"UNAUTHORIZED\xff\xfe\",\"message\":\"no key\"}}"))
		}, check: report.EnvelopeCodeKnown, status: report.StatusFail, message: "is not in the code table"},
		{name: "NUL byte in a JSON string", handler: func(w http.ResponseWriter, r *http.Request) {
			jsonError(w, 401)
			w.Write([]byte("{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"no\x00key\"}}"))
		}, check: report.EnvelopeJSON, status: report.StatusFail, message: `body is not JSON: invalid character '\x00' in string literal`},
		{name: "JSON nested 100000 deep", handler: func(w http.ResponseWriter, r *http.Request) {
			jsonError(w, 401)
			w.Write([]byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000)))
		}, check: report.EnvelopeJSON, status: report.StatusFail, message: "body is not JSON: invalid character '[' exceeded max depth"},
		{name: "10000 response headers", handler: func(w http.ResponseWriter, r *http.Request) {
			for i := range 10000 {
				w.Header().Set(fmt.Sprintf("X-H-%d", i), strings.Repeat("v", 100))
			}
			jsonError(w, 401)
		}, check: report.AuthMissingKey, status: report.StatusFail, message: "server response headers exceeded 1048576 bytes",
			exErr: "net/http: HTTP/1.x transport connection broken: net/http: server response headers exceeded 1048576 bytes; aborted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
	t.Cleanup(func() {
		// What the client never read stays in socket buffers: a few MiB.
		if n := hugeMax.Load(); n >= 100 {
			t.Errorf("a 100 MiB body was read to its end (%d MiB written)", n)
		}
	})
}

// TestRun_HostileRateLimit: a 429 whose Retry-After and reset are years
// away is waited out only for the max wait, and the reset is reported.
func TestRun_HostileRateLimit(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "999999999")
		w.Header().Set("X-RateLimit-Limit", "10")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", "4102444800") // 2100-01-01
		jsonError(w, http.StatusTooManyRequests)
		w.Write([]byte(`{"error":{"code":"RATE_LIMITED","message":"slow down"}}`))
	}))
	t.Cleanup(srv.Close)
	type testCase struct {
		name   string
		suites []string
		check  string
		probe  string
		status report.Status
		msg    string
	}
	run := func(t *testing.T, tc testCase) {
		cfg := hostileConfig(t, srv.URL)
		cfg.Suites, cfg.Skip = tc.suites, nil
		rep := runHostile(t, cfg, 30*time.Second)
		res := resultFor(t, rep, tc.check, tc.probe)
		if res.Status != tc.status || !strings.Contains(res.Message, tc.msg) {
			t.Errorf("%s = %s %q, want %s containing %q", tc.check, res.Status, res.Message, tc.status, tc.msg)
		}
		if rep.Burst != nil && rep.Burst.RecoveryWait > time.Second+100*time.Millisecond {
			t.Errorf("recovery wait %s beyond the max wait 1s", rep.Burst.RecoveryWait)
		}
	}
	for _, tc := range []testCase{
		{name: "burst", suites: []string{"ratelimit"}, check: report.RateLimitReset, probe: "burst", status: report.StatusFail, msg: "beyond max_wait 1s"},
		// Still 429 after the one back-off: not run, never the probe's own failure.
		{name: "probe retry", suites: []string{"auth.missing-key"}, check: report.AuthMissingKey, probe: "missing-key", status: report.StatusSkip, msg: "rate limited"},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// TestRun_HostileRedirects: redirects are recorded, not followed; with
// FollowRedirects only within the base URL's origin, and the key never
// reaches another host (here: another port on 127.0.0.1).
func TestRun_HostileRedirects(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name   string
		follow bool
		hops   int32 // same-origin hops the target must see
	}
	run := func(t *testing.T, tc testCase) {
		var elsewhere atomic.Int32
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			elsewhere.Add(1)
			if strings.Contains(fmt.Sprint(r.Header, r.URL), hostileKey) {
				t.Errorf("the API key reached another host: %s %v", r.URL, r.Header)
			}
		}))
		t.Cleanup(other.Close)
		var hops atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/hop/") {
				hops.Add(1)
				http.Redirect(w, r, other.URL+"/steal?k="+hostileKey, http.StatusFound)
				return
			}
			http.Redirect(w, r, "/hop"+r.URL.Path, http.StatusTemporaryRedirect)
		}))
		t.Cleanup(srv.Close)
		cfg := hostileConfig(t, srv.URL)
		cfg.Suites, cfg.Skip, cfg.FollowRedirects = []string{"resources.unknown-id"}, nil, tc.follow
		rep := runHostile(t, cfg, 30*time.Second)
		res := resultFor(t, rep, report.ResourcesUnknownID, "unknown-id")
		if res.Status != report.StatusFail || res.Exchange == nil || res.Exchange.Response == nil {
			t.Fatalf("unknown-id = %s %q, want a failure showing the redirect", res.Status, res.Message)
		}
		wantStatus := map[bool]int{false: http.StatusTemporaryRedirect, true: http.StatusFound}[tc.follow]
		if got := res.Exchange.Response.Status; got != wantStatus {
			t.Errorf("recorded status %d, want %d", got, wantStatus)
		}
		// unknown-id sends one request per item method (GET, DELETE).
		if hops.Load() != 2*tc.hops || elsewhere.Load() != 0 {
			t.Errorf("same-origin hops %d (want %d), requests to the other host %d (want 0)", hops.Load(), 2*tc.hops, elsewhere.Load())
		}
		if loc := res.Exchange.Response.Header.Get("Location"); strings.Contains(loc, hostileKey) {
			t.Errorf("Location header not masked: %s", loc)
		}
	}
	for _, tc := range []testCase{
		{name: "not followed by default", follow: false, hops: 0},
		{name: "followed within the origin only", follow: true, hops: 1},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
