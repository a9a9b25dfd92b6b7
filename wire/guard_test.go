package wire

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
)

// TestHostGuard_RefusesOtherOrigins: only the base URL's scheme and host
// (port included) get through; nothing else reaches the budget or the
// network.
func TestHostGuard_RefusesOtherOrigins(t *testing.T) {
	var seen atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { seen.Add(1) }))
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL + "/api")
	tr := NewTransport(TransportOptions{})
	t.Cleanup(tr.CloseIdleConnections)
	b := NewBudget(tr, 10)
	g := HostGuard{Next: b, Base: base}
	type testCase struct {
		name, url string
		ok        bool
	}
	run := func(t *testing.T, tc testCase) {
		req, _ := http.NewRequest(http.MethodGet, tc.url, nil)
		resp, err := g.RoundTrip(req)
		if resp != nil {
			resp.Body.Close()
		}
		if tc.ok != (err == nil) || (!tc.ok && !errors.Is(err, ErrOffHost)) {
			t.Errorf("RoundTrip(%s) err = %v, want ok %v", tc.url, err, tc.ok)
		}
	}
	other := "http://127.0.0.2" + srv.URL[len("http://127.0.0.1"):]
	for _, tc := range []testCase{
		{"base", srv.URL + "/api/x", true},
		{"other port", "http://127.0.0.1:1/api/x", false},
		{"other host", other + "/api/x", false},
		{"other scheme", "https" + srv.URL[len("http"):] + "/api/x", false},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
	if b.Sent() != 1 || seen.Load() != 1 {
		t.Errorf("budget counted %d, server saw %d; want only the base request", b.Sent(), seen.Load())
	}
}
