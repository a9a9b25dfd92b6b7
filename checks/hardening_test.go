package checks_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
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

// keyedConfig is erzycall aimed at base with key as the valid key.
func keyedConfig(t *testing.T, base, key string) checks.Config {
	t.Helper()
	p, err := schemas.Builtin("erzycall", func(k string) string {
		if k == "ERRPROBE_API_KEY" {
			return key
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return checks.Config{Contract: c, BaseURL: base, Timeout: 2 * time.Second, MaxWait: time.Second}
}

// reportText is the whole report as JSON: what every reporter draws from.
func reportText(t *testing.T, rep *report.Report) string {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRun_BaseURLRefused: a base URL with a query, a fragment or a port
// out of range is a set-up error naming the problem (never sent to, never
// "unreachable"), and the message hides the URL's password.
func TestRun_BaseURLRefused(t *testing.T) {
	t.Parallel()
	type testCase struct{ url, want string }
	run := func(t *testing.T, tc testCase) {
		cfg := keyedConfig(t, tc.url, "ek_live_0123456789abcdef")
		_, err := checks.Run(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("error %v, want it to contain %q", err, tc.want)
		}
		if strings.Contains(err.Error(), "PASSWORDsekret") {
			t.Errorf("password in %q", err)
		}
	}
	for _, tc := range []testCase{
		{"http://127.0.0.1:9/api?x=1", "a query string is not allowed"},
		{"http://127.0.0.1:9/api?", "a query string is not allowed"},
		{"http://127.0.0.1:9/api#frag", "a fragment (#…) is not allowed"},
		{"http://127.0.0.1:99999", "port 99999 is out of range"},
		{"http://127.0.0.1:0", "port 0 is out of range"},
		{"http://admin:PASSWORDsekret@127.0.0.1:70000", "port 70000"},
		{"ftp://127.0.0.1", "want http(s)://"},
	} {
		t.Run(tc.url, func(t *testing.T) { run(t, tc) })
	}
}

// TestRun_SecretsMasked: in a dry run's plan and report, no byte of a
// UUID-shaped key, of a URL password, or of any --header value not
// marked public appears; public header values do.
func TestRun_SecretsMasked(t *testing.T) {
	t.Parallel()
	url, _ := untouchable(t)
	url = strings.Replace(url, "http://", "http://admin:PASSWORDsekret-0123456789@", 1)
	cfg := keyedConfig(t, url, "123e4567-e89b-12d3-a456-426614174000")
	cfg.DryRun = true
	cfg.Headers = http.Header{"X-Auth": {"HDRsecret-0123456789"}, "X-Signature": {"abc"}, "X-Trace": {"trace-visible-1"}}
	cfg.PublicHeaders = []string{"x-trace"}
	rep := run(t, cfg)
	text := reportText(t, rep)
	for _, secret := range []string{"123e4567", "426614174000", "e89b", "PASSWORDsekret", "0123456789", "HDRsecret", `"abc"`} {
		if strings.Contains(text, secret) {
			i := strings.Index(text, secret)
			t.Errorf("%q in the report: …%s…", secret, text[max(0, i-40):min(len(text), i+40)])
		}
	}
	if !strings.Contains(text, "trace-visible-1") {
		t.Error("the public header's value is not shown")
	}
}

func TestMask_NoKeyMaterial(t *testing.T) {
	t.Parallel()
	type testCase struct{ in, want string }
	run := func(t *testing.T, tc testCase) {
		if got := wire.Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{"123e4567-e89b-12d3-a456-426614174000", "****"},
		{"0123456789abcdef0123456789abcdef", "****"},
		{"ek_live_abcdef0123452345", "****"},
		{"SEKRETkey-0123456789abcdef", "****"},
		{"12345678_abcdefghijklmnop", "****"},
	} {
		t.Run(tc.in, func(t *testing.T) { run(t, tc) })
	}
}

// TestRun_EchoedKeyForms: a target echoing the key URL-escaped (%20 for a
// space), JSON-escaped or in base64 has every form masked in the report.
func TestRun_EchoedKeyForms(t *testing.T) {
	t.Parallel()
	const key = "SEKRET key/0123456789<abcdef>"
	echo := `{"error":{"code":"NOT_FOUND","message":"q=SEKRET%20key%2F0123456789%3Cabcdef%3E p=SEKRET+key%2f0123456789%3cabcdef%3e j=SEKRET key/0123456789\u003cabcdef\u003e"}}`
	base := rawServer(t, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "+itoa(int64(len(echo)))+"\r\nConnection: close\r\n\r\n"+echo, false)
	cfg := keyedConfig(t, base, key)
	cfg.Suites = []string{"auth.missing-key"}
	rep := runHostile(t, cfg, 60*time.Second)
	text := reportText(t, rep)
	for _, part := range []string{"SEKRET", "0123456789"} {
		if strings.Contains(text, part) {
			i := strings.Index(text, part)
			t.Errorf("%q in the report: …%s…", part, text[max(0, i-40):min(len(text), i+40)])
		}
	}
}

// TestRun_MaxBodyNoOverflow: --max-body 2^63-1 reads whole bodies (the
// read limit used to overflow to negative and read nothing).
func TestRun_MaxBodyNoOverflow(t *testing.T) {
	t.Parallel()
	cfg := target(t, "erzycall")
	cfg.MaxBody = math.MaxInt64
	cfg.Skip = []string{"ratelimit"}
	rep := run(t, cfg)
	if f := failures(rep); len(f) > 0 {
		t.Errorf("%d failures against the reference server, e.g. %s", len(f), f[0])
	}
}

// TestRun_StatusLineKeyMasked: a target whose status line echoes the key
// ("HTTP/1.1 4<KEY> nope") makes every request fail with net/http's error
// quoting it; the burst's error text in ratelimit.reached is masked too.
func TestRun_StatusLineKeyMasked(t *testing.T) {
	t.Parallel()
	const key = "SEKRETkey-0123456789abcdef"
	base := rawServer(t, "HTTP/1.1 4"+key+" nope\r\nContent-Length: 0\r\n\r\n", false)
	cfg := keyedConfig(t, base, key)
	cfg.Suites = []string{"auth.missing-key", "ratelimit.reached"}
	cfg.MaxRequests = 40
	rep := runHostile(t, cfg, 60*time.Second)
	text := reportText(t, rep)
	for _, part := range []string{key, key[:12], key[len(key)-12:]} {
		if strings.Contains(text, part) {
			i := strings.Index(text, part)
			t.Errorf("%q in the report: …%s…", part, text[max(0, i-60):min(len(text), i+40)])
		}
	}
	if !strings.Contains(text, "ratelimit.reached") {
		t.Errorf("no ratelimit.reached result: %s", text)
	}
}

// closeReuseServer answers the first request of each connection and
// closes a reused connection after reading its request, unanswered; it
// counts every request it reads.
func closeReuseServer(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for served := 0; ; served++ {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					io.Copy(io.Discard, req.Body)
					n.Add(1)
					if served > 0 {
						return
					}
					c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"data\":[]}"))
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String(), &n
}

// TestRun_BudgetCountsTransportRetries: against a server that drops
// reused connections, http.Transport retries idempotent requests on a
// new connection and the burst redials; the server still never sees more
// than --max-requests.
func TestRun_BudgetCountsTransportRetries(t *testing.T) {
	t.Parallel()
	type testCase struct {
		max, concurrency int
	}
	run := func(t *testing.T, tc testCase) {
		base, seen := closeReuseServer(t)
		cfg := keyedConfig(t, base, "ek_live_0123456789abcdef")
		cfg.MaxRequests, cfg.Concurrency = tc.max, tc.concurrency
		cfg.Suites = nil
		rep := runHostile(t, cfg, 90*time.Second)
		if n := seen.Load(); n > int64(tc.max) {
			t.Errorf("the server saw %d requests, want at most %d (report says %d)", n, tc.max, rep.Requests)
		}
		if rep.Requests > tc.max {
			t.Errorf("report says %d requests, want at most %d", rep.Requests, tc.max)
		}
	}
	for _, tc := range []testCase{{7, 8}, {50, 8}, {200, 8}} {
		t.Run(fmt.Sprint(tc.max), func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// TestRun_NoEvidenceSkipped: checks that had nothing to judge are skipped
// with the reason, never passed: the envelope's member checks on plain-text
// error bodies, the idempotency checks when the creates got no answer.
func TestRun_NoEvidenceSkipped(t *testing.T) {
	t.Parallel()
	t.Run("plain-text error bodies", func(t *testing.T) {
		cfg := target(t, "erzycall", "error-not-json")
		cfg.Suites = []string{"resources", "envelope"}
		rep := run(t, cfg)
		notJSON := map[string]bool{} // probes whose error bodies were all plain text
		for _, r := range rep.Results {
			if r.Check == report.EnvelopeJSON && r.Status == report.StatusFail {
				notJSON[r.Probe] = true
			}
		}
		judged := 0
		for _, r := range rep.Results {
			switch r.Check {
			case report.EnvelopeSchema, report.EnvelopeCodeKnown, report.EnvelopeStatusMatch, report.EnvelopeMessage:
				if !notJSON[r.Probe] {
					continue
				}
				judged++
				if r.Status != report.StatusSkip || !strings.Contains(r.Message, "no JSON error body") {
					t.Errorf("%s %s: %s %q on a plain-text body, want skipped", r.Check, r.Probe, r.Status, r.Message)
				}
			}
		}
		if judged == 0 {
			t.Fatal("no envelope results: the test proves nothing")
		}
	})
	t.Run("creates that time out", func(t *testing.T) {
		cfg := target(t, "erzycall")
		ref := cfg.BaseURL
		hold := make(chan struct{})
		stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				io.Copy(io.Discard, r.Body) // then a client hang-up ends r's context
				select {                    // longer than the run's --timeout
				case <-hold:
				case <-r.Context().Done():
				}
				return
			}
			proxyTo(t, ref, w, r)
		}))
		t.Cleanup(stall.Close)
		t.Cleanup(func() { close(hold) }) // runs first
		cfg.BaseURL, cfg.Timeout = stall.URL, 300*time.Millisecond
		cfg.Suites = []string{"idempotency"}
		rep := run(t, cfg)
		for _, id := range []string{report.IdempotencyReplay, report.IdempotencyNoDuplicate, report.IdempotencyConcurrent} {
			for _, r := range rep.Results {
				if r.Check == id && r.Status != report.StatusSkip {
					t.Errorf("%s: %s (%s), want skipped for want of evidence", id, r.Status, r.Message)
				}
			}
		}
	})
}

// proxyTo forwards r to base (the reference server).
func proxyTo(t *testing.T, base string, w http.ResponseWriter, r *http.Request) {
	req, _ := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.RequestURI(), r.Body)
	req.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// TestRun_UnansweredCreateIsPossibleLeftover: a create slower than
// --timeout may still make a resource; the report lists it, with its
// request, among the leftovers.
func TestRun_UnansweredCreateIsPossibleLeftover(t *testing.T) {
	t.Parallel()
	cfg := target(t, "erzycall")
	ref := cfg.BaseURL
	hold := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/api/v1/contacts" {
			io.Copy(io.Discard, r.Body)
			select {
			case <-hold:
			case <-r.Context().Done():
			}
			return
		}
		proxyTo(t, ref, w, r)
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(hold) })
	cfg.BaseURL, cfg.Timeout = slow.URL, 300*time.Millisecond
	cfg.Suites = []string{"resources"}
	rep := run(t, cfg)
	var possible []string
	for _, l := range rep.Leftovers {
		if strings.HasPrefix(l, "possibly created, no answer (timed out (--timeout)): POST "+slow.URL+"/api/v1/contacts {") {
			possible = append(possible, l)
		}
	}
	if len(possible) == 0 {
		t.Fatalf("no possible leftover for the unanswered creates; leftovers: %q", rep.Leftovers)
	}
}

// TestRun_ManyHeadersCapped: of a response with 10,000 header fields the
// record keeps at most 200, always those the checks read, and counts the
// rest (each kept exchange used to cost a megabyte of header map).
func TestRun_ManyHeadersCapped(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-Request-Id", "req-1")
		h.Set("Retry-After", "1")
		for i := range 10000 {
			h.Set(fmt.Sprintf("X-H-%d", i), "v")
		}
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	cfg := keyedConfig(t, srv.URL, "ek_live_0123456789abcdef")
	cfg.Suites = []string{"auth.missing-key"}
	rep := runHostile(t, cfg, 60*time.Second)
	res := resultFor(t, rep, report.AuthMissingKey, "missing-key")
	if res.Exchange == nil || res.Exchange.Response == nil {
		t.Fatalf("no response recorded: %+v", res)
	}
	r := res.Exchange.Response
	if len(r.Header) > 200 || r.HeadersDropped != 10005-len(r.Header) {
		t.Errorf("kept %d header fields, %d dropped; want at most 200 and the rest counted", len(r.Header), r.HeadersDropped)
	}
	for _, h := range []string{"Content-Type", "X-Request-Id", "Retry-After", "Content-Length"} {
		if r.Header.Get(h) == "" {
			t.Errorf("%s not kept", h)
		}
	}
}
