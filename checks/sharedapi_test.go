package checks_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// idempotency.concurrent counts what this run created, not the change in
// the collection's size: someone else creating at the same time (here, a
// create of their own before each of ours) is no finding; the race fault,
// where our own requests create twice, still is.
func TestIdempotencyConcurrent_SharedAPI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault string
		want  report.Status
	}{
		{fault: "", want: report.StatusPass},
		{fault: "idempotency-race", want: report.StatusFail},
	} {
		t.Run("fault "+tc.fault, func(t *testing.T) {
			p, _ := schemas.Builtin("erzycall", func(string) string { return "" })
			var faults []string
			if tc.fault != "" {
				faults = append(faults, tc.fault)
			}
			srv, err := fixtures.New(p, fixtures.WithFaults(faults...), fixtures.WithRateLimit(100000, demoWindow))
			if err != nil {
				t.Fatal(err)
			}
			p, _ = schemas.Builtin("erzycall", srv.Keys().Getenv(nil))
			create := p.Endpoints.Create
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == create.Method && r.URL.Path == create.Path && r.Header.Get("Idempotency-Key") != "" {
					other, _ := http.NewRequest(create.Method, create.Path, bytes.NewBufferString(`{"name":"someone else","phone":"+14155550100"}`))
					other.Header.Set("Content-Type", "application/json")
					other.Header.Set(p.Auth.Header, r.Header.Get(p.Auth.Header))
					srv.ServeHTTP(httptest.NewRecorder(), other)
				}
				srv.ServeHTTP(w, r)
			}))
			t.Cleanup(hs.Close)
			c, _ := schemas.Compile(p)
			rep := run(t, checks.Config{Contract: c, BaseURL: hs.URL, Suites: []string{report.IdempotencyConcurrent}})
			seen := false
			for _, res := range rep.Results {
				seen = seen || res.Check == report.IdempotencyConcurrent
				if res.Check == report.IdempotencyConcurrent && res.Status != tc.want {
					t.Errorf("%s: %s (%s), want %s", res.Check, res.Status, res.Message, tc.want)
				}
			}
			if !seen {
				t.Fatalf("no %s result", report.IdempotencyConcurrent)
			}
		})
	}
}
