package checks

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// role names a key the profile provides.
type role string

const (
	roleNone        role = ""
	roleValid       role = "valid"
	roleRevoked     role = "revoked"
	roleExpired     role = "expired"
	roleNoScope     role = "no_scope"
	roleOtherTenant role = "other_tenant"
)

// call is one request a probe wants sent.
type call struct {
	method string
	// path is relative to the base URL and may carry a query string.
	path        string
	body        string
	hasBody     bool
	contentType string
	key         role
	// auth, when set, replaces the key header: it receives the header to
	// fill and the valid key (the wrong-scheme and key-in-query probes).
	auth func(h http.Header)
	// keyAt, with auth, names where the valid key went for reproductions:
	// a header name, or "query:PARAM".
	keyAt  string
	header http.Header
	// noRetry: a 429 is evidence (the rate-limit suite), not a reason to wait.
	noRetry bool
	// probe names the probe sending it (set by session.do), for findings.
	probe string
}

// created is a resource a probe made; cleanup deletes it with its key.
type created struct {
	id  string
	key role
	by  string // probe name
}

// session is one run's shared state: the client, the budget, the masker,
// the resources to clean up and the dry-run plan.
type session struct {
	cfg      Config
	contract *schemas.Contract
	p        *schemas.Profile
	base     string
	client   *http.Client
	budget   *wire.Budget
	mask     *wire.Masker
	keys     map[role]string
	// bodies stores each distinct large response body once.
	bodies wire.Interner
	// cred, when set, supplies the valid key (OAuth2, token_command).
	cred *credential
	// keyless says why there is no valid key ("" when there is one):
	// requests that need it are not sent and their probes are skipped.
	keyless string
	maxWait time.Duration
	runID   int64
	// closeIdle releases the run's own idle connections when it ends.
	closeIdle func()
	seq       atomic.Int64
	// windDown ends interruptCleanup after the run's ctx does: the
	// clean-up stops then (a never-ending context until Run starts it).
	windDown context.Context
	// sendMu orders sends: sent counts them, each read with its start time.
	sendMu sync.Mutex
	sent   int64

	responses   atomic.Int64
	waitLeft    atomic.Int64 // ns of 429 waiting left to probes (max wait)
	dialFailure atomic.Value // string: the first dial/DNS error

	// named are the response headers the profile names (lower case).
	named map[string]bool

	mu      sync.Mutex
	created []created
	// possible are creates that got no answer: maybe made, id unknown.
	possible []string
	planned  []report.Request
	// exchanges is every exchange logged, in order (Report.Exchanges).
	exchanges []*report.Exchange
	logMu     sync.Mutex
	suite     atomic.Value // string: the suite running, for progress
	burst     *report.BurstStats

	// pacer paces every request but the burst's (--rate); nil: unpaced.
	pacer       *rate.Limiter
	backoffs    atomic.Int64
	backoffList []report.Backoff
	// burstMax is the burst's cap in a dry run (0: no burst planned).
	burstMax int
	// seen is the rate-limit evidence of every response outside the burst.
	seen *ratelimit.Seen
	// limited is the run's first 429 outside the burst and its probe (for
	// rate_limit: none, where any 429 is a finding); under mu.
	limited      *report.Exchange
	limitedProbe string
	// limitedUntil is when the first back-off's announced wait ends,
	// sentBeforeLimit the requests admitted before it; under mu.
	limitedUntil    time.Time
	sentBeforeLimit int
	// validators caches the compiled documented schemas (run --openapi).
	validators map[string]validatorOrErr
	// envelopeRead: the profile's envelope is one of the document's error
	// schemas (run --openapi with a profile init wrote from it);
	// envelopeValidation: the document gives it to 400/422 responses only.
	envelopeRead, envelopeValidation bool
}

// pace waits for the pacer's next slot; an error when ctx ends first.
func (s *session) pace(ctx context.Context) error {
	if s.pacer == nil {
		return nil
	}
	now := s.cfg.Now()
	if r := s.pacer.ReserveN(now, 1); r.DelayFrom(now) > 0 {
		d := r.DelayFrom(now)
		s.progress(Progress{Wait: d, Waiting: "pacing (--rate)"})
		if !s.cfg.Clock.Sleep(ctx, d) {
			r.CancelAt(s.cfg.Now())
			return context.Cause(ctx)
		}
	}
	return nil
}

// expandN replaces {{n}} with a run-unique 7-digit number, one per body.
func (s *session) expandN(body string) string {
	b, _ := s.expandNMarked(body)
	return b
}

// expandNMarked is expandN that also returns the number it put in the
// body ("" when the body has no {{n}}): a marker that finds the resources
// made from this body among everyone else's.
func (s *session) expandNMarked(body string) (string, string) {
	if !strings.Contains(body, "{{n}}") {
		return body, ""
	}
	n := strconv.FormatInt(1000000+(s.runID+s.seq.Add(1))%9000000, 10)
	return strings.ReplaceAll(body, "{{n}}", n), n
}

func (s *session) url(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return s.base + path
}

// key returns the key for role r: the valid one from the credential when
// one supplies it (fetched again shortly before it expires).
func (s *session) key(ctx context.Context, r role) (string, error) {
	if r == roleValid && s.cred != nil && !s.cfg.DryRun {
		return s.cred.get(ctx)
	}
	return s.keys[r], nil
}

// keyHeader returns the header name and value carrying key; with Basic
// auth the key is username:password, sent base64-encoded.
func (s *session) keyHeader(key string) (string, string) { return keyHeaderOf(s.p, key) }

func keyHeaderOf(p *schemas.Profile, key string) (string, string) {
	a := p.Auth
	name := a.Header
	if name == "" {
		name = "Authorization"
	}
	if a.Basic != nil && key != "" {
		key = base64.StdEncoding.EncodeToString([]byte(key))
	}
	if a.Scheme != "" {
		return name, a.Scheme + " " + key
	}
	return name, key
}

func (s *session) newRequest(ctx context.Context, c call) (*http.Request, report.Request, error) {
	rec := report.Request{Method: c.method, URL: s.url(c.path), Header: http.Header{}}
	var body io.Reader
	if c.hasBody {
		rec.Body = c.body
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, rec.URL, body)
	if err != nil {
		return nil, rec, err
	}
	for k, vs := range s.cfg.Headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "errprobe/"+s.cfg.Version)
	if c.hasBody && c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	switch {
	case c.auth != nil:
		c.auth(req.Header)
		if c.keyAt != "" {
			rec.KeyHeader, rec.KeyEnv = c.keyAt, s.reproEnv(roleValid)
		}
	case c.key != roleNone:
		key, err := s.key(ctx, c.key)
		if err != nil {
			return nil, rec, fmt.Errorf("not sent: %w", err)
		}
		if key == "" {
			return nil, rec, errors.New(notSentNoKey + missingKey(s.p, c.key))
		}
		name, value := s.keyHeader(key)
		req.Header.Set(name, value)
		rec.KeyHeader, rec.KeyEnv = name, s.reproEnv(c.key)
	}
	for k, vs := range req.Header {
		rec.Header[k] = append([]string(nil), vs...)
	}
	s.maskExtraHeaders(rec.Header)
	return req, rec, nil
}

// maskExtraHeaders masks, in a request's record, the --header values not
// marked public, however short (the masker only replaces longer texts).
func (s *session) maskExtraHeaders(h http.Header) {
	for k, vs := range s.cfg.Headers {
		if s.publicHeader(k) {
			continue
		}
		for i, v := range h[k] {
			for _, secret := range vs {
				if v == secret {
					h[k][i] = wire.Mask(v)
				}
			}
		}
	}
}

func (s *session) publicHeader(name string) bool {
	for _, p := range s.cfg.PublicHeaders {
		if http.CanonicalHeaderKey(p) == http.CanonicalHeaderKey(name) {
			return true
		}
	}
	return false
}

// send sends one call and records the exchange, masked. Network failures are
// recorded in Exchange.Err. A 429 on a probe that is not about rate limits
// is waited out once (Retry-After or the reset, within the run's max wait)
// and retried; a second 429 marks the exchange limited: the probe's checks
// are then not run, never failed.
func (s *session) send(ctx context.Context, c call) *report.Exchange {
	ex := s.sendFresh(ctx, c)
	if c.noRetry || !limitedAnswer(ex) {
		return ex
	}
	return s.backOff(ctx, c, ex)
}

// limitedAnswer is a limiter's answer: a 429, or a 503 with Retry-After (a
// limiter or gateway in front shedding load), either waited out once.
func limitedAnswer(ex *report.Exchange) bool {
	if ex.Response == nil {
		return false
	}
	st := ex.Response.Status
	return st == http.StatusTooManyRequests || (st == http.StatusServiceUnavailable && ex.Response.Header.Get("Retry-After") != "")
}

// sendFresh sends c once, and once more with a refreshed token when the
// answer says the token expired.
func (s *session) sendFresh(ctx context.Context, c call) *report.Exchange {
	stale, _ := s.key(ctx, c.key)
	ex := s.sendOnce(ctx, c)
	if s.expiredToken(c, ex) {
		if _, err := s.cred.refresh(ctx, stale); err == nil {
			return s.sendOnce(ctx, c)
		}
	}
	return ex
}

// backOff waits out one 429 (or 503 with Retry-After) and sends c again,
// once.
func (s *session) backOff(ctx context.Context, c call, ex *report.Exchange) *report.Exchange {
	want := ratelimit.RetryWait(s.p, ex.Response.Header, s.cfg.Now(), s.maxWait)
	s.noteLimited(want)
	wait := s.spendWait(want)
	b := report.Backoff{Request: c.method + " " + pathOnly(c.path), Wait: wait, Status: ex.Response.Status}
	if wait <= 0 || s.backoffs.Add(1) > int64(maxBackoffs) {
		b.Wait, b.Note = 0, "not retried: the run's wait allowance (max_wait) or back-off count is spent"
		s.noteBackoff(b)
		ex.Limited = true
		return ex
	}
	awaited := fmt.Sprintf("rate-limit reset after %d on %s", b.Status, b.Request)
	if !s.countdownFor(ctx, wait, awaited) {
		ex.Cut = s.cutReason(ctx)
		return ex
	}
	again := s.sendFresh(ctx, c)
	if limitedAnswer(again) {
		again.Limited = true
		b.Note = fmt.Sprintf("still %d after the wait", again.Response.Status)
	}
	s.noteBackoff(b)
	return again
}

// noteLimited remembers the run's first limited answer outside the burst:
// when its window ends (now + the announced wait) and how many requests had
// been sent by then, for the --rate that would have avoided it.
func (s *session) noteLimited(wait time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limitedUntil.IsZero() {
		s.limitedUntil, s.sentBeforeLimit = s.cfg.Now().Add(wait), s.budget.Sent()-1
	}
}

func (s *session) noteBackoff(b report.Backoff) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.backoffList = append(s.backoffList, b)
}

// maxBackoffs bounds the back-off retries of one run (the dry run counts
// them in its total).
const maxBackoffs = 20

// cutReason says why ctx ended: the run's time limit or an interrupt.
func (s *session) cutReason(ctx context.Context) string {
	if errors.Is(context.Cause(ctx), ErrMaxDuration) {
		return "not run: " + ErrMaxDuration.Error()
	}
	return "not run: interrupted"
}

func (s *session) sendOnce(ctx context.Context, c call) *report.Exchange {
	req, rec, err := s.newRequest(ctx, c)
	ex := &report.Exchange{Request: rec}
	if err != nil {
		ex.Err = err.Error()
		s.mask.Exchange(ex)
		return ex
	}
	if s.cfg.DryRun {
		s.mask.Exchange(ex)
		ex.Request.Probe, ex.Request.Checks = probeOf(ctx), checksOf(ctx)
		s.mu.Lock()
		s.planned = append(s.planned, ex.Request)
		s.mu.Unlock()
		ex.Err = "dry run: not sent"
		return ex
	}
	if err := s.pace(ctx); err != nil || ctx.Err() != nil {
		ex.Err, ex.Cut = "not sent: "+context.Cause(ctx).Error(), s.cutReason(ctx)
		return ex
	}
	rctx, cancel := s.requestContext(ctx)
	defer cancel()
	start := s.stamp(ex)
	ex.Probe = probeOf(ctx)
	resp, err := s.client.Do(req.WithContext(rctx))
	if err != nil {
		ex.Err = s.failure(ctx, err)
		s.noteFailure(err)
		switch {
		case ctx.Err() != nil:
			ex.Cut = s.cutReason(ctx) // in flight at the interrupt: interrupted, not failed
		case errors.Is(err, wire.ErrBudget):
			ex.Cut = "not run: request budget exhausted (raise --max-requests)"
		}
	} else {
		var rerr error
		ex.Response, rerr = s.readResponse(resp)
		if rerr != nil {
			ex.Err = "reading body: " + s.failure(ctx, rerr)
		}
		s.responses.Add(1)
	}
	ex.Duration = s.cfg.Now().Sub(start)
	s.mask.Exchange(ex)
	s.observeLimit(c, ex, s.cfg.Now())
	s.track(c, ex, err == nil || !neverSent(err))
	s.log(ex)
	return ex
}

// stamp marks ex as the run's next request sent, now: its place in the
// send order and its start time are read together, so the two agree
// however many probes send at once (the HAR lists entries in that order).
func (s *session) stamp(ex *report.Exchange) time.Time {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	s.sent++
	ex.Sent, ex.Started = s.sent, s.cfg.Now()
	return ex.Started
}

// interruptGrace is how long a request already sent may still take once
// the run is interrupted: enough for a quick create to say the id it made
// (so clean-up deletes it; one that does not answer in time is reported as
// a possible leftover), short enough that a run ends within about a second
// of Ctrl-C.
const interruptGrace = 300 * time.Millisecond

// requestContext bounds one request by the per-request timeout and, once
// the run's ctx ends, by interruptGrace: an interrupt stops new requests at
// once, but lets those in flight finish briefly.
func (s *session) requestContext(ctx context.Context) (context.Context, context.CancelFunc) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.Timeout)
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(min(interruptGrace, s.cfg.Timeout), cancel)
		context.AfterFunc(rctx, func() { t.Stop() })
	})
	return rctx, func() { stop(); cancel() }
}

// readResponse reads the body up to MaxBody (the rest is never read: a
// 100 MiB body costs MaxBody of memory) and keeps, of a longer one, only
// its first bytes and its size (wire.ReadBody): a run's stored exchanges
// do not each hold MaxBody until the report is written. A body that fails
// before its end (timeout, reset) is kept as far as it came, Truncated,
// with the error.
func (s *session) readResponse(resp *http.Response) (*report.Response, error) {
	defer resp.Body.Close()
	b, err := wire.ReadBody(resp.Body, s.cfg.MaxBody, resp.ContentLength, &s.bodies)
	r := &report.Response{Status: resp.StatusCode, Proto: resp.Proto, Body: b.Text, Truncated: b.Truncated, Length: b.Length}
	r.Header, r.HeadersDropped = s.keepHeaders(resp.Header)
	return r, err
}

// failure renders a request's error; once the run itself has ended (an
// interrupt, --max-duration) it says so rather than blaming --timeout.
func (s *session) failure(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return "stopped: " + context.Cause(ctx).Error()
	}
	return wire.ErrorLine(err)
}

// noteFailure remembers the first failure that means the target cannot be
// reached at all: a dial or DNS error, or a TLS certificate not trusted.
func (s *session) noteFailure(err error) {
	if wire.IsDialError(err) || wire.IsCertError(err) || wire.IsClientCertRefused(err) {
		s.dialFailure.CompareAndSwap(nil, wire.ErrorLine(err))
	}
}

func (s *session) log(ex *report.Exchange) {
	s.mu.Lock()
	s.exchanges = append(s.exchanges, ex)
	s.mu.Unlock()
	if s.cfg.Progress != nil {
		s.progress(Progress{})
	}
	if s.cfg.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.cfg.Log(*ex)
}

func (s *session) progress(p Progress) {
	if s.cfg.Progress == nil {
		return
	}
	if p.Suite == "" {
		p.Suite, _ = s.suite.Load().(string)
	}
	if p.Sent == 0 {
		p.Sent = s.budget.Sent()
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.cfg.Progress(p)
}

func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}

// spendWait takes up to d from the run's allowance for waiting out 429s
// (max wait, shared by every probe) and returns what it may wait.
func (s *session) spendWait(d time.Duration) time.Duration {
	for {
		left := s.waitLeft.Load()
		if left <= 0 {
			return 0
		}
		take := min(int64(d), left)
		if s.waitLeft.CompareAndSwap(left, left-take) {
			return time.Duration(take)
		}
	}
}
