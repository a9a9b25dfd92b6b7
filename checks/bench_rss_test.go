//go:build linux

package checks_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// hugeBodies answers every request with a 100 MB JSON-typed body (from a
// reused 64 KiB chunk, so the server costs no memory); with gzip, a
// gzip-encoded bomb of 1 GiB of zeros instead.
func hugeBodies(bomb []byte) http.HandlerFunc {
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if bomb != nil {
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(bomb)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		for range (100 << 20) / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

func gzipBomb(b testing.TB) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for range 1024 {
		_, _ = zw.Write(zero)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkRun_HugeBodies (T12) is a full suite, --concurrency 4,
// --max-requests 150, against a server whose every answer is a 100 MB body
// or a 1 GiB gzip bomb. It reports the process's peak RSS (peak-RSS-MiB:
// the test binary and the server included, goal 64 MiB + max-body ×
// concurrency = 68 MiB) and the peak live heap sampled every 5 ms
// (peak-heap-MiB). Run it alone: go test -run '^$' -bench HugeBodies ./checks/
func BenchmarkRun_HugeBodies(b *testing.B) {
	p, _ := schemas.Builtin("erzycall", func(k string) string {
		if k == "ERRPROBE_API_KEY" {
			return "SEKRETkey-0123456789abcdef"
		}
		return ""
	})
	p.RateLimit.Burst.MaxWait = "1s"
	c, err := schemas.Compile(p)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		bomb []byte
	}{{"100MB", nil}, {"gzip-bomb", gzipBomb(b)}} {
		b.Run(tc.name, func(b *testing.B) {
			srv := httptest.NewServer(hugeBodies(tc.bomb))
			defer srv.Close()
			var peakHeap atomic.Uint64
			stop := sampleHeap(&peakHeap)
			for b.Loop() {
				cfg := checks.Config{Contract: c, BaseURL: srv.URL, MaxRequests: 150, Concurrency: 4,
					MaxBody: wire.DefaultMaxBody}
				if _, err := checks.Run(context.Background(), cfg); err != nil {
					b.Fatal(err)
				}
			}
			stop()
			var ru syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
			b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-heap-MiB")
		})
	}
}

// sampleHeap records the largest live heap (objects and unswept spans)
// until the returned function is called.
func sampleHeap(peak *atomic.Uint64) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(s)
				if v := s[0].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	runtime.GC()
	return func() { close(done); wg.Wait() }
}
