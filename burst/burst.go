package burst

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/wire"
)

// Config configures a rate-limit burst: Concurrency workers send the
// same request over one shared transport until the first 429 and a few more
// to confirm it, or until MaxRequests.
type Config struct {
	// Transport is shared by every worker (the run's tuned, budgeted one);
	// nil: a NewTransport sized to Concurrency.
	Transport   http.RoundTripper
	Method, URL string
	Header      http.Header
	// MaxRequests caps the burst (default 1000); Concurrency is the number
	// of workers (default 8).
	MaxRequests int
	Concurrency int
	// Confirm is how many 429s after the first are sent before stopping
	// (default 5); negative: never stop on 429 (benchmarks).
	Confirm int
	// Format says which rate-limit headers to parse on every response.
	Format ratelimit.Format
	// MaxBody caps each body read (default 1 MiB).
	MaxBody int64
	// Timeout bounds each request, body included (default 10s): a request
	// that takes longer ends the burst.
	Timeout time.Duration
	Now     func() time.Time
	// Progress is called about ten times a second from one goroutine.
	Progress func(Progress)
}

// Progress is the burst's live state.
type Progress struct {
	Sent, Status429 int
	Rate            float64
}

// Run runs one burst and returns its statistics. Memory stays flat: each
// worker keeps counters, a latency histogram and per-second counts only.
func Run(ctx context.Context, cfg Config) report.BurstStats {
	if cfg.Transport == nil {
		cfg = cfg.withDefaults()
		defer cfg.Transport.(*http.Transport).CloseIdleConnections()
	}
	return RunJudged(ctx, cfg, Judge{}).Stats
}

// Judge holds what the rate-limit checks need decided per response.
type Judge struct {
	MaxWait  time.Duration
	Template report.Request
}

// Result is a burst's statistics and the rate-limit evidence.
type Result struct {
	Stats    report.BurstStats
	Evidence ratelimit.Evidence
	Samples  []*report.Exchange // first admitted answers and each distinct 429 shape
	FirstErr string
	// DialFailed: some request could not reach the host at all.
	DialFailed bool
}

func (c Config) withDefaults() Config {
	if c.MaxRequests <= 0 {
		c.MaxRequests = 1000
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	if c.Confirm == 0 {
		c.Confirm = 5
	}
	if c.MaxBody <= 0 {
		c.MaxBody = wire.DefaultMaxBody
	}
	if c.Timeout <= 0 {
		c.Timeout = wire.DefaultTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Transport == nil {
		c.Transport = wire.NewTransport(wire.TransportOptions{Concurrency: c.Concurrency, Timeout: c.Timeout})
	}
	if c.Method == "" {
		c.Method = http.MethodGet
	}
	return c
}

// burstRun is the state the workers share.
type burstRun struct {
	cfg    Config
	judge  Judge
	start  time.Time
	issued atomic.Int64
	done   atomic.Int64
	n429   atomic.Int64
	errs   atomic.Int64
	stop   atomic.Bool
	first  atomic.Int64 // first 429, ns since start (0: none yet)
	dial   atomic.Bool  // a request could not reach the host

	mu       sync.Mutex
	samples  []*report.Exchange
	shapes   map[shapeKey]bool
	okSample int
	firstErr string
}

type shapeKey struct {
	status int
	ctype  string
	size   int
}

const maxBurstErrors = 10

func RunJudged(ctx context.Context, cfg Config, judge Judge) Result {
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b := &burstRun{cfg: cfg, judge: judge, start: cfg.Now(), shapes: map[shapeKey]bool{}}
	workers := make([]*burstWorker, cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &burstWorker{run: b, ev: ratelimit.Evidence{Workers: cfg.Concurrency}}
		workers[i] = w
		wg.Go(func() { w.loop(ctx) })
	}
	stopWatch := b.watch(workers, cancel)
	wg.Wait()
	stopWatch()
	return b.result(workers)
}

// watch reports progress and ends the burst when a request outlives the
// timeout (a server that drips its body), every 100 ms until stopped.
func (b *burstRun) watch(workers []*burstWorker, cancel func()) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if b.cfg.Progress != nil {
					b.cfg.Progress(b.progress())
				}
				b.checkStuck(workers, cancel)
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		if b.cfg.Progress != nil {
			b.cfg.Progress(b.progress())
		}
	}
}

func (b *burstRun) checkStuck(workers []*burstWorker, cancel func()) {
	now := b.cfg.Now().UnixNano()
	for _, w := range workers {
		if since := w.inflight.Load(); since != 0 && time.Duration(now-since) > b.cfg.Timeout {
			b.noteErr("request timed out after " + b.cfg.Timeout.String() + " (--timeout)")
			b.errs.Add(1)
			b.stop.Store(true)
			cancel()
			return
		}
	}
}

func (b *burstRun) progress() Progress {
	sent := b.done.Load()
	el := b.cfg.Now().Sub(b.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(sent) / el
	}
	return Progress{Sent: int(sent), Status429: int(b.n429.Load()), Rate: rate}
}

// burstWorker sends requests one after another; its counters are its own.
type burstWorker struct {
	run    *burstRun
	hist   LatencyHist
	perSec []int
	sent   int
	ev     ratelimit.Evidence
	seq    ratelimit.Seq
	body   []byte
	shapes map[shapeKey]bool
	// inflight is when the current request started (UnixNano), 0 between.
	inflight atomic.Int64
}

func (w *burstWorker) loop(ctx context.Context) {
	b := w.run
	cfg := b.cfg
	snd, err := newSender(ctx, cfg)
	if err != nil {
		b.noteErr(err.Error())
		b.stop.Store(true)
		return
	}
	defer snd.close()
	w.body = make([]byte, 0, 4096)
	w.shapes = map[shapeKey]bool{}
	for !b.stop.Load() && ctx.Err() == nil {
		if b.issued.Add(1) > int64(cfg.MaxRequests) {
			b.stop.Store(true)
			return
		}
		t0 := cfg.Now()
		w.inflight.Store(t0.UnixNano())
		resp, err := snd.send()
		if err != nil {
			w.inflight.Store(0)
			if w.failed(ctx, err) {
				return
			}
			continue
		}
		var truncated, clean bool
		w.body, truncated, clean = readBody(resp.Body, w.body[:0], cfg.MaxBody)
		snd.finish(resp, clean)
		w.inflight.Store(0)
		t1 := cfg.Now()
		b.done.Add(1)
		w.count(t0, t1)
		w.observe(resp, t1, truncated)
		if resp.StatusCode == http.StatusTooManyRequests {
			w.limited(t1)
		}
	}
}

// failed records a transport error; true when the burst is over.
func (w *burstWorker) failed(ctx context.Context, err error) bool {
	b := w.run
	if errors.Is(err, wire.ErrBudget) || ctx.Err() != nil {
		b.stop.Store(true)
		return true
	}
	b.noteErr(wire.ErrorLine(err))
	if wire.IsDialError(err) {
		b.dial.Store(true)
	}
	if b.errs.Add(1) >= maxBurstErrors {
		b.stop.Store(true)
	}
	return false
}

// limited counts a 429 and stops the burst once it is confirmed.
func (w *burstWorker) limited(at time.Time) {
	b := w.run
	n := b.n429.Add(1)
	if n == 1 {
		b.first.CompareAndSwap(0, int64(at.Sub(b.start))+1)
	}
	if b.cfg.Confirm >= 0 && n > int64(b.cfg.Confirm) {
		b.stop.Store(true)
	}
}

func (w *burstWorker) count(t0, t1 time.Time) {
	w.sent++
	w.hist.Add(t1.Sub(t0))
	sec := int(t1.Sub(w.run.start) / time.Second)
	if sec < 0 {
		sec = 0
	}
	for len(w.perSec) <= sec {
		w.perSec = append(w.perSec, 0)
	}
	w.perSec[sec]++
}

// observe parses the rate-limit headers of one response and keeps a sample
// of it when it is the first of its kind.
func (w *burstWorker) observe(resp *http.Response, at time.Time, truncated bool) {
	b := w.run
	rh := b.cfg.Format.Parse(resp.Header, at)
	kinds := w.ev.Observe(&w.seq, resp.StatusCode, rh, at, b.judge.MaxWait, b.cfg.Format.Kind)
	if resp.StatusCode == http.StatusTooManyRequests {
		k := shapeKey{resp.StatusCode, ratelimit.HeaderValue(resp.Header, "Content-Type"), len(w.body)}
		if !w.shapes[k] {
			w.shapes[k] = true
			kinds |= ratelimit.EvShape
		}
	} else if resp.StatusCode < 500 && w.sent <= 2 {
		// An admitted answer: a 2xx, or the error a rate_limit.route
		// answers (a GET of an unknown id: 404).
		kinds |= ratelimit.EvSuccess
	}
	if kinds != 0 {
		b.keep(kinds, resp, w.body, truncated, &w.ev)
	}
}

// keep stores a sample exchange for evidence the checks will cite.
func (b *burstRun) keep(kinds ratelimit.Kind, resp *http.Response, body []byte, truncated bool, ev *ratelimit.Evidence) {
	ex := &report.Exchange{Request: b.judge.Template, Response: &report.Response{
		Status: resp.StatusCode, Proto: resp.Proto, Header: resp.Header.Clone(), Body: keptBody(body, truncated), Truncated: truncated,
	}}
	if truncated {
		ex.Response.Length = int64(len(body))
	}
	ev.Attach(kinds, ex)
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case kinds&ratelimit.EvShape != 0:
		k := shapeKey{resp.StatusCode, ratelimit.HeaderValue(resp.Header, "Content-Type"), len(body)}
		if !b.shapes[k] && len(b.shapes) < 8 {
			b.shapes[k] = true
			b.samples = append(b.samples, ex)
		}
	case kinds&ratelimit.EvSuccess != 0 && b.okSample < 2:
		b.okSample++
		b.samples = append(b.samples, ex)
	}
}

func (b *burstRun) noteErr(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.firstErr == "" {
		b.firstErr = msg
	}
}

func (b *burstRun) result(workers []*burstWorker) Result {
	var hist LatencyHist
	var perSec []int
	r := Result{FirstErr: b.firstErr, DialFailed: b.dial.Load()}
	for _, w := range workers {
		hist.merge(&w.hist)
		for i, n := range w.perSec {
			for len(perSec) <= i {
				perSec = append(perSec, 0)
			}
			perSec[i] += n
		}
		r.Evidence.Merge(&w.ev)
	}
	st := &r.Stats
	st.Sent = int(b.done.Load())
	st.Status429 = int(b.n429.Load())
	st.Errors = int(b.errs.Load())
	if f := b.first.Load(); f > 0 {
		st.FirstLimit = time.Duration(f - 1)
	}
	st.Elapsed = b.cfg.Now().Sub(b.start)
	if st.Elapsed > 0 {
		st.Rate = float64(st.Sent) / st.Elapsed.Seconds()
	}
	st.PerSecond = perSec
	st.LatencyP50, st.LatencyP90, st.LatencyP99 = hist.Quantile(0.5), hist.Quantile(0.9), hist.Quantile(0.99)
	r.Samples = b.samples
	return r
}

// keptBody is what a sample keeps of a body: all of it, or the first
// wire.KeptOfTruncated bytes of one cut at MaxBody.
func keptBody(body []byte, truncated bool) string {
	if truncated && len(body) > wire.KeptOfTruncated {
		body = body[:wire.KeptOfTruncated]
	}
	return string(body)
}
