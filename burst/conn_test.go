package burst

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/wire"
)

var burstLegacy = ratelimit.Format{Kind: "legacy", LimitHeader: "X-Ratelimit-Limit", RemainingHeader: "X-Ratelimit-Remaining", ResetHeader: "X-Ratelimit-Reset", Reset: "auto"}

// connCounting is a test server that counts requests and new connections.
func connCounting(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
	var reqs, conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqs.Add(1)
		h(w, r)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &reqs, &conns
}

func TestConnSender_Responses(t *testing.T) {
	type testCase struct {
		name      string
		handler   http.HandlerFunc
		maxBody   int64
		wantBody  string
		wantTrunc bool
		// maxConns bounds the connections 200 requests over 4 workers took.
		maxConns int64
	}
	run := func(t *testing.T, tc testCase) {
		srv, reqs, conns := connCounting(t, tc.handler)
		res := RunJudged(context.Background(), Config{
			URL: srv.URL, MaxRequests: 200, Concurrency: 4, Confirm: -1, Format: burstLegacy, MaxBody: tc.maxBody,
		}, Judge{})
		st := res.Stats
		if st.Sent != 200 || st.Errors != 0 || reqs.Load() != 200 {
			t.Fatalf("sent %d, errors %d (%s), server saw %d: want 200, 0, 200", st.Sent, st.Errors, res.FirstErr, reqs.Load())
		}
		if n := conns.Load(); n > tc.maxConns {
			t.Errorf("%d connections, want at most %d", n, tc.maxConns)
		}
		if len(res.Samples) == 0 {
			t.Fatal("no sample kept")
		}
		got := res.Samples[0].Response
		if got.Body != tc.wantBody || got.Truncated != tc.wantTrunc || got.Header.Get("X-Ratelimit-Limit") != "100" {
			t.Errorf("sample body %q truncated %v headers %v; want %q %v", got.Body, got.Truncated, got.Header, tc.wantBody, tc.wantTrunc)
		}
	}
	rate := func(w http.ResponseWriter) {
		w.Header().Set("X-RateLimit-Limit", "100")
		w.Header().Set("X-RateLimit-Remaining", "100")
		w.Header().Set("X-RateLimit-Reset", "1")
	}
	for _, tc := range []testCase{
		{name: "keep-alive", maxConns: 4, wantBody: `{"data":[]}`, handler: func(w http.ResponseWriter, r *http.Request) {
			rate(w)
			w.Write([]byte(`{"data":[]}`))
		}},
		{name: "chunked", maxConns: 4, wantBody: "abcdef", handler: func(w http.ResponseWriter, r *http.Request) {
			rate(w)
			w.Write([]byte("abc"))
			w.(http.Flusher).Flush()
			w.Write([]byte("def"))
		}},
		{name: "connection close", maxConns: 200, wantBody: "ok", handler: func(w http.ResponseWriter, r *http.Request) {
			rate(w)
			w.Header().Set("Connection", "close")
			w.Write([]byte("ok"))
		}},
		{name: "body over max is cut and its connection dropped", maxBody: 10, maxConns: 200, wantBody: "0123456789", wantTrunc: true,
			handler: func(w http.ResponseWriter, r *http.Request) {
				rate(w)
				w.Write([]byte(strings.Repeat("0123456789", 1000)))
			}},
		{name: "early hints first", maxConns: 4, wantBody: "ok", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Link", "</a.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			rate(w)
			w.Write([]byte("ok"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestConnSender_IdleCloseRetried: a server that closes each connection
// after one answer, without saying so, costs a redial, not an error.
func TestConnSender_IdleCloseRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var served atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				served.Add(1)
				c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-RateLimit-Limit: 5\r\nX-RateLimit-Remaining: 5\r\nX-RateLimit-Reset: 1\r\n\r\nok"))
			}()
		}
	}()
	st := Run(context.Background(), Config{URL: "http://" + ln.Addr().String() + "/", MaxRequests: 50, Concurrency: 2, Confirm: -1, Format: burstLegacy})
	if st.Sent != 50 || st.Errors != 0 || served.Load() != 50 {
		t.Errorf("sent %d errors %d served %d: want 50 0 50", st.Sent, st.Errors, served.Load())
	}
}

// TestConnSender_HugeHeadersEndTheRequest: headers beyond the transport's
// MaxResponseHeaderBytes fail the request instead of filling memory.
func TestConnSender_HugeHeadersEndTheRequest(t *testing.T) {
	srv, _, _ := connCounting(t, func(w http.ResponseWriter, r *http.Request) {
		for i := range 64 {
			w.Header().Set("X-Pad-"+string(rune('a'+i%26))+string(rune('a'+i/26)), strings.Repeat("x", 1000))
		}
	})
	tr := wire.NewTransport(wire.TransportOptions{Concurrency: 1})
	tr.MaxResponseHeaderBytes = 4 << 10
	defer tr.CloseIdleConnections()
	res := RunJudged(context.Background(), Config{Transport: tr, URL: srv.URL, MaxRequests: 5, Concurrency: 1, Confirm: -1, Format: burstLegacy, MaxBody: 1024}, Judge{})
	if st := res.Stats; st.Sent != 0 || st.Errors != 5 || !strings.Contains(res.FirstErr, "headers exceeded 4096 bytes") {
		t.Errorf("sent %d errors %d (%s): want every request failed on its headers", st.Sent, st.Errors, res.FirstErr)
	}
}

func TestNewSender_Choice(t *testing.T) {
	type testCase struct {
		name   string
		url    string
		rt     http.RoundTripper
		direct bool
	}
	run := func(t *testing.T, tc testCase) {
		cfg := Config{URL: tc.url, Transport: tc.rt}.withDefaults()
		s, err := newSender(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.close()
		if _, ok := s.(*connSender); ok != tc.direct {
			t.Errorf("direct = %v, want %v", ok, tc.direct)
		}
	}
	proxy := func(*http.Request) (*url.URL, error) { return url.Parse("http://proxy:3128") }
	noProxy := func(*http.Request) (*url.URL, error) { return nil, nil }
	for _, tc := range []testCase{
		{name: "plain http", url: "http://127.0.0.1:1/x", rt: wire.NewTransport(wire.TransportOptions{}), direct: true},
		{name: "through the budget", url: "http://127.0.0.1:1/x", rt: wire.NewBudget(wire.NewTransport(wire.TransportOptions{}), 5), direct: true},
		{name: "proxy not used for host", url: "http://127.0.0.1:1/x", rt: wire.NewTransport(wire.TransportOptions{Proxy: noProxy}), direct: true},
		{name: "proxy", url: "http://127.0.0.1:1/x", rt: wire.NewTransport(wire.TransportOptions{Proxy: proxy})},
		{name: "https", url: "https://127.0.0.1:1/x", rt: wire.NewTransport(wire.TransportOptions{})},
		{name: "other round tripper", url: "http://127.0.0.1:1/x", rt: wrapped{wire.NewTransport(wire.TransportOptions{})}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestConnSender_Budget: the run's budget counts every request the direct
// path sends.
func TestConnSender_Budget(t *testing.T) {
	srv, reqs, _ := connCounting(t, func(w http.ResponseWriter, r *http.Request) {})
	b := wire.NewBudget(wire.NewTransport(wire.TransportOptions{Concurrency: 4}), 37)
	st := Run(context.Background(), Config{Transport: b, URL: srv.URL, MaxRequests: 1000, Concurrency: 4, Confirm: -1, Format: burstLegacy, Timeout: 5 * time.Second})
	if st.Sent != 37 || reqs.Load() != 37 || b.Sent() != 37 {
		t.Errorf("sent %d, server saw %d, budget counted %d: want 37", st.Sent, reqs.Load(), b.Sent())
	}
}

// wrapped is a RoundTripper the burst cannot see through.
type wrapped struct{ http.RoundTripper }

// TestBurst_ParsesEveryResponse: one bad rate-limit header among 3,000
// responses is found, whichever path the burst takes: headers are parsed
// on every response, not on a sample.
func TestBurst_ParsesEveryResponse(t *testing.T) {
	type testCase struct {
		name string
		rt   func() http.RoundTripper
	}
	run := func(t *testing.T, tc testCase) {
		var n atomic.Int64
		srv, _, _ := connCounting(t, func(w http.ResponseWriter, r *http.Request) {
			remaining := "100"
			if n.Add(1) == 1777 {
				remaining = "lots"
			}
			w.Header().Set("X-RateLimit-Limit", "100")
			w.Header().Set("X-RateLimit-Remaining", remaining)
			w.Header().Set("X-RateLimit-Reset", "1")
		})
		rt := tc.rt()
		res := RunJudged(context.Background(), Config{Transport: rt, URL: srv.URL, MaxRequests: 3000, Concurrency: 8, Confirm: -1, Format: burstLegacy}, Judge{})
		if res.Stats.Sent != 3000 || res.Evidence.Parse.N != 1 || !strings.Contains(res.Evidence.Parse.Msg, `"lots"`) {
			t.Errorf("sent %d, %d parse findings (%q): want 3000 and the one bad header", res.Stats.Sent, res.Evidence.Parse.N, res.Evidence.Parse.Msg)
		}
	}
	for _, tc := range []testCase{
		{name: "direct", rt: func() http.RoundTripper { return wire.NewTransport(wire.TransportOptions{Concurrency: 8}) }},
		{name: "round tripper", rt: func() http.RoundTripper { return wrapped{wire.NewTransport(wire.TransportOptions{Concurrency: 8})} }},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
