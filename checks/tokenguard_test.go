package checks_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/fixtures"
)

// tokenFront serves the reference server in the oauth2 mode behind a
// handler that counts every request and lets token answers be rewritten.
type tokenFront struct {
	url           string
	total, tokens atomic.Int32
	rewrite       func(w http.ResponseWriter, body map[string]any) // nil: as is
}

func startTokenFront(t *testing.T, srv *fixtures.Running, rewrite func(http.ResponseWriter, map[string]any)) *tokenFront {
	t.Helper()
	f := &tokenFront{rewrite: rewrite}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.total.Add(1)
		if r.URL.Path != fixtures.TokenPath || f.rewrite == nil {
			srv.Server.ServeHTTP(w, r)
			return
		}
		f.tokens.Add(1)
		rec := httptest.NewRecorder()
		srv.Server.ServeHTTP(rec, r)
		var body map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		f.rewrite(w, body)
	})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	f.url = ts.URL
	return f
}

// TestRun_OAuth2TokenRequestsGuardedAndCounted (T3, T4, lower): token
// requests go through the run's host guard and budget. Root causes: the
// token client was a bare http.Client over the transport (no guard, no
// budget, redirects followed) with the library's auto-detected auth style
// (a failed request sent again with client_secret in the body), and
// renewal 10 s before expiry fetched a new 1-second token for every probe.
func TestRun_OAuth2TokenRequestsGuardedAndCounted(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name    string
		rewrite func(w http.ResponseWriter, body map[string]any)
		max     int
		check   func(t *testing.T, f *tokenFront, err error)
	}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		cfg, srv := authTarget(t, fixtures.AuthOAuth2, nil)
		f := startTokenFront(t, srv, tc.rewrite)
		cfg = loadAuthProfile(t, srv, strings.ReplaceAll(srv.ClientProfile(), srv.URL, f.url), nil)
		cfg.BaseURL, cfg.MaxRequests = f.url, tc.max
		cfg.Timeout = 500 * time.Millisecond
		rep, err := checks.Run(context.Background(), cfg)
		if err == nil && rep.Requests != int(f.total.Load()) {
			t.Errorf("the report counts %d requests, the server received %d", rep.Requests, f.total.Load())
		}
		tc.check(t, f, err)
	}
	short := func(w http.ResponseWriter, body map[string]any) {
		body["expires_in"] = 1
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
	}
	for _, tc := range []testCase{
		{name: "1-second tokens within --max-requests 25", rewrite: short, max: 25,
			check: func(t *testing.T, f *tokenFront, err error) {
				if err != nil || f.total.Load() < 20 {
					t.Fatalf("err %v after %d requests, want a run", err, f.total.Load())
				}
				if n := f.total.Load(); n > 25 {
					t.Errorf("the server received %d requests (%d token requests), want at most 25", n, f.tokens.Load())
				}
			}},
		{name: "1-second tokens: no renewal storm", rewrite: short, max: 1500,
			check: func(t *testing.T, f *tokenFront, err error) {
				if err != nil || f.total.Load() < 50 {
					t.Fatalf("err %v after %d requests, want a run", err, f.total.Load())
				}
				// at most one fetch per half second of run, far from one per probe
				if n, all := f.tokens.Load(), f.total.Load(); n*4 > all {
					t.Errorf("%d token requests of %d, want far fewer than one per probe", n, all)
				}
			}},
		{name: "a hanging token endpoint takes one timeout", max: 25,
			rewrite: func(w http.ResponseWriter, body map[string]any) { time.Sleep(time.Second) },
			check: func(t *testing.T, f *tokenFront, err error) {
				if err == nil || f.tokens.Load() != 1 {
					t.Errorf("err %v after %d token requests, want an error after one", err, f.tokens.Load())
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestRun_OAuth2TokenRedirectNotFollowed (T3): a token endpoint answering
// 307 to another host gets its 307 reported; the other host receives
// nothing — neither the grant nor the client secret.
func TestRun_OAuth2TokenRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no 127.0.0.2: %v", err)
	}
	var other atomic.Int32
	elsewhere := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { other.Add(1) })}}
	elsewhere.Start()
	t.Cleanup(elsewhere.Close)
	_, srv := authTarget(t, fixtures.AuthOAuth2, nil)
	f := startTokenFront(t, srv, func(w http.ResponseWriter, _ map[string]any) {
		w.Header().Set("Location", elsewhere.URL+"/oauth/token")
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	cfg := loadAuthProfile(t, srv, strings.ReplaceAll(srv.ClientProfile(), srv.URL, f.url), nil)
	cfg.BaseURL = f.url
	err = runErr(cfg)
	if err == nil || !strings.Contains(err.Error(), "the token endpoint answered 307") {
		t.Errorf("err %v, want the 307 reported", err)
	}
	if n := other.Load(); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
	if strings.Contains(err.Error(), srv.Keys.ClientSecret) {
		t.Errorf("client secret in %q", err)
	}
}

// TestRun_OAuth2HTTPTokenURLRefused (lower): an http:// token URL to
// another machine would send the client secret in clear: refused before
// anything is sent (loopback stays allowed, as the tests above use).
func TestRun_OAuth2HTTPTokenURLRefused(t *testing.T) {
	t.Parallel()
	_, srv := authTarget(t, fixtures.AuthOAuth2, nil)
	src := strings.Replace(srv.ClientProfile(), srv.URL+fixtures.TokenPath, "http://auth.example.com/token", 1)
	err := runErr(loadAuthProfile(t, srv, src, nil))
	if err == nil || !strings.Contains(err.Error(), "over http the client secret would cross the network in clear") {
		t.Errorf("err %v", err)
	}
}
