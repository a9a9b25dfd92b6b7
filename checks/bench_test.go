package checks_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/errprobe/errprobe/burst"
	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// BenchmarkDemoRun is one full demo-equivalent run against the reference
// server (rate limit demoRate per demoWindow), the recovery wait included.
// It reports the wall time without the wait for the window to reset
// (ms-excl-wait/op, target < 300), the wait itself (ms-wait/op) and the
// whole run (ms-total/op, target < the window + 300).
func BenchmarkDemoRun(b *testing.B) {
	for _, name := range schemas.BuiltinNames() {
		b.Run(name, func(b *testing.B) {
			var total, wait time.Duration
			for b.Loop() {
				b.StopTimer()
				cfg := target(b, name)
				b.StartTimer()
				rep, err := checks.Run(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				if _, f, _ := rep.Counts(); f > 0 {
					b.Fatalf("%s", summary(rep))
				}
				total += rep.Finished.Sub(rep.Started)
				if rep.Burst != nil {
					wait += rep.Burst.RecoveryWait
				}
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
			b.ReportMetric(ms(total-wait), "ms-excl-wait/op")
			b.ReportMetric(ms(wait), "ms-wait/op")
			b.ReportMetric(ms(total), "ms-total/op")
		})
	}
}

// BenchmarkBurst measures the burst engine against the reference server with
// its rate limit out of reach: requests/s with every response's rate-limit
// headers parsed.
func BenchmarkBurst(b *testing.B) {
	p, _ := schemas.Builtin("erzycall", func(string) string { return "" })
	srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", p, fixtures.WithRateLimit(1<<30, 3600e9))
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	_, path, _ := schemas.SplitOperation(p.Endpoints.List)
	cfg := burst.Config{
		Method: http.MethodGet, URL: srv.URL + path, Header: http.Header{"X-Api-Key": {srv.Keys.Valid}},
		MaxRequests: 20000, Concurrency: 8, Confirm: -1,
		Format: ratelimit.FormatOf(p),
	}
	cfg.Transport = wire.NewTransport(wire.TransportOptions{Concurrency: cfg.Concurrency})
	var sent int
	var rate float64
	b.ReportAllocs()
	for b.Loop() {
		st := burst.Run(context.Background(), cfg)
		sent += st.Sent
		rate += st.Rate
	}
	b.ReportMetric(rate/float64(b.N), "req/s")
	b.ReportMetric(float64(sent)/float64(b.N), "sent/op")
}
