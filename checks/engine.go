package checks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// cleanupTimeout bounds the clean-up of a run that was not interrupted.
const cleanupTimeout = 10 * time.Second

// interruptCleanup is when, after an interrupt (or --max-duration), the
// clean-up stops starting deletes: what it could not delete by then is
// reported as a leftover.
const interruptCleanup = time.Second

// WindDown bounds what a run still does once interrupted: requests in
// flight are cut within interruptGrace, the clean-up stops starting
// deletes interruptCleanup after the interrupt and its last deletes get
// interruptGrace; then the report is returned.
const WindDown = interruptCleanup + interruptGrace

// Run plans the probes the profile allows, sends them and returns the
// report. The error is for set-up problems only (and ErrUnreachable); a
// cancelled ctx returns the partial report with Interrupted set.
func Run(ctx context.Context, cfg Config) (*report.Report, error) {
	cfg = cfg.withDefaults()
	if cfg.MaxDuration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, cfg.MaxDuration, ErrMaxDuration)
		defer cancel()
	}
	if cfg.DryRun {
		cfg.Concurrency = 1 // the plan lists requests in a stable order
	}
	s, err := newSession(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer s.closeIdle() // the run's own connections end with it
	stopWindDown := s.windDownOn(ctx)
	defer stopWindDown()
	plan := probes(s.p, cfg.Probes)
	s.skipUndocumented(plan)
	s.envelopeRead, s.envelopeValidation = envelopeSource(s.p.Envelope, cfg.OpenAPI)
	sel, err := newSelection(cfg.Suites, cfg.Skip, planChecks(plan))
	if err != nil {
		return nil, err
	}
	if cfg.OpenAPI == nil {
		sel.exclude[report.SuiteOpenAPI] = true // its checks need the document
		sel.exclude[report.SuiteNegative] = true
	}
	if err := checkNamed(s.p, plan, "severity", "", slices.Collect(maps.Keys(s.p.Severity))); err != nil {
		return nil, err
	}
	if err := checkNamed(s.p, plan, "accept", " to accept", slices.Collect(maps.Keys(s.p.Accept))); err != nil {
		return nil, err
	}
	rep := &report.Report{Tool: "errprobe", Version: cfg.Version, Profile: s.p.Name, ProfileFile: s.p.Source, BaseURL: s.base, Started: cfg.Now(), DryRun: cfg.DryRun}
	outs := make([]*outcome, len(plan))
	if err := s.execute(ctx, plan, sel, outs); err != nil {
		return nil, err
	}
	rep.Leftovers = s.cleanup(ctx)
	rep.Leftovers = append(rep.Leftovers, s.possibleLeftovers()...)
	s.runSuite(ctx, plan, sel, outs, func(p Probe) bool { return p.Suite == report.SuiteRateLimit })
	rep.Leftovers = append(rep.Leftovers, s.cleanup(ctx)...) // the burst's own resource
	if err := s.unreachable(); err != nil {
		return nil, err
	}
	rep.Interrupted, rep.Stopped = stopReason(ctx)
	rep.Keyless = s.keyless
	rep.Finished = cfg.Now()
	rep.Requests = s.budget.Sent()
	rep.Burst = s.burst
	rep.Backoffs = s.backoffList
	rep.RateAdvice = s.rateAdvice(rep.Started)
	if cfg.DryRun {
		rep.Planned = s.planned
		rep.Plan, rep.PlanTotal = s.itemise()
		s.mask.Report(rep)
		return rep, nil
	}
	cut := ""
	if ctx.Err() != nil {
		cut = s.cutReason(ctx)
	}
	rep.Results = applySeverity(s.p, plan, s.assemble(ctx, plan, sel, outs))
	rep.Exchanges = s.exchanges
	rep.NothingTested = nothingTested(rep, cut)
	rep.StaleAccepts = applyAccept(s.p, rep.Results) // after: an accepted failure was tested
	s.mask.Report(rep)
	return rep, nil
}

// nothingTested says why no check passed or failed; "" when one did.
func nothingTested(rep *report.Report, cut string) string {
	p, f, _ := rep.Counts()
	switch {
	case p+f > 0:
		return ""
	case cut != "":
		return "no check ran: " + strings.TrimPrefix(cut, "not run: ")
	case len(rep.Results) == 0:
		return "no check ran: the selection (--suite/--skip) matches no check this profile can run"
	}
	return "no check ran: every selected check was skipped (see the reasons in the report)"
}

func newSession(ctx context.Context, cfg Config) (*session, error) {
	if cfg.Contract == nil {
		return nil, errors.New("no contract: a profile is required")
	}
	p := cfg.Contract.Profile()
	base := cfg.BaseURL
	if base == "" {
		base = p.BaseURL
	}
	if base == "" {
		return nil, errors.New("no base URL: give BASE_URL or set base_url in the profile")
	}
	u, err := wire.ParseBaseURL(base)
	if err != nil {
		return nil, err
	}
	keys := profileKeys(p)
	secrets := append(runSecrets(keys, cfg, u), authSecrets(p)...)
	secrets = append(secrets, probeSecrets(p, cfg.publicHeader)...)
	tlsCfg, err := profileTLS(p, cfg.TLS)
	if err != nil {
		return nil, err
	}
	rt := cfg.Transport
	closeIdle := func() {}
	if rt == nil {
		tr := wire.NewTransport(wire.TransportOptions{Concurrency: max(cfg.Concurrency, p.RateLimit.Burst.Concurrency), Timeout: cfg.Timeout, Proxy: cfg.Proxy, TLS: tlsCfg})
		rt, closeIdle = tr, tr.CloseIdleConnections
	}
	budget := wire.NewBudget(rt, cfg.MaxRequests) // token requests count too
	budget.Count(cfg.Sent)                        // and the --openapi URL document
	cred, err := startCredential(ctx, p, cfg, budget, keys)
	if err != nil {
		closeIdle()
		return nil, newMaskedError(err, wire.NewMasker(secrets...))
	}
	if cred != nil && !cfg.DryRun {
		secrets = append(secrets, keys[roleValid]) // the fetched token
	}
	s := &session{
		cfg: cfg, contract: cfg.Contract, p: p,
		base:      strings.TrimRight(u.String(), "/"),
		keys:      keys,
		runID:     cfg.Now().UnixNano() % 9000000,
		closeIdle: closeIdle,
	}
	s.budget = budget
	s.client = &http.Client{
		Transport:     wire.HostGuard{Next: s.budget, Base: u},
		CheckRedirect: wire.RedirectPolicy(cfg.FollowRedirects, u),
	}
	s.named = profileHeaders(p)
	s.mask = wire.NewMasker(secrets...)
	s.mask.AddLiteral(headerForms(p, keys)...)
	if cred != nil {
		cred.onNew = func(v string) {
			s.mask.Add(v)
			s.mask.AddLiteral(headerForms(p, map[role]string{roleValid: v})...)
		}
		s.cred = cred
	}
	if keys[roleValid] == "" {
		s.keyless = missingKey(p, roleValid)
	}
	if cfg.DryRun && p.Auth.OAuth2 != nil {
		s.planned = append(s.planned, tokenRequest(p.Auth.OAuth2))
	}
	s.maxWait = maxWaitFor(p, cfg)
	s.waitLeft.Store(int64(s.maxWait))
	s.seen = ratelimit.NewSeen(ratelimit.FormatOf(p), s.maxWait)
	if r := cfg.Rate; r > 0 {
		s.pacer = rate.NewLimiter(rate.Limit(r), 1)
	} else if p.RateLimit.Rate != "" {
		if r, err := schemas.ParseRate(p.RateLimit.Rate); err == nil {
			s.pacer = rate.NewLimiter(rate.Limit(r), 1)
		}
	}
	return s, nil
}

// execute runs every probe but the rate-limit suite: the first alone (to
// learn whether the target answers at all), then the independent ones
// concurrently, then the serial ones one by one.
func (s *session) execute(ctx context.Context, plan []Probe, sel selection, outs []*outcome) error {
	firstIdx := -1
	for i, p := range plan {
		if p.Suite != report.SuiteRateLimit && p.Skip == "" && sel.runs(p) && !p.Serial {
			firstIdx = i
			break
		}
	}
	if firstIdx >= 0 {
		s.suite.Store(plan[firstIdx].Suite)
		s.runProbe(ctx, plan[firstIdx], outs, firstIdx)
		if err := s.unreachable(); err != nil {
			return err
		}
	}
	s.runSuite(ctx, plan, sel, outs, func(p Probe) bool { return p.Suite != report.SuiteRateLimit && !p.Serial })
	for i, p := range plan {
		if p.Serial && p.Suite != report.SuiteRateLimit && outs[i] == nil && p.Skip == "" && sel.runs(p) && ctx.Err() == nil {
			s.suite.Store(p.Suite)
			s.runProbe(ctx, p, outs, i)
		}
	}
	return nil
}

// stopReason tells an interrupt (ctx cancelled) from the run's own time
// limit (Config.MaxDuration), which is reported as Stopped.
func stopReason(ctx context.Context) (interrupted bool, stopped string) {
	if ctx.Err() == nil {
		return false, ""
	}
	if cause := context.Cause(ctx); errors.Is(cause, ErrMaxDuration) {
		return false, cause.Error()
	}
	return true, ""
}

// unreachable returns ErrUnreachable when nothing ever answered and a
// request failed to reach the host at all.
func (s *session) unreachable() error {
	msg, ok := s.dialFailure.Load().(string)
	if !ok || s.responses.Load() > 0 || (s.burst != nil && s.burst.Sent > 0) {
		return nil
	}
	return fmt.Errorf("%w: %s: %s", ErrUnreachable, s.mask.String(s.base), s.mask.String(msg))
}

// runSuite runs the matching probes not yet run, Concurrency at a time.
func (s *session) runSuite(ctx context.Context, plan []Probe, sel selection, outs []*outcome, match func(Probe) bool) {
	sem := make(chan struct{}, s.cfg.Concurrency)
	var wg sync.WaitGroup
	for i, p := range plan {
		if !match(p) || outs[i] != nil || p.Skip != "" || !sel.runs(p) {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		s.suite.Store(p.Suite)
		wg.Go(func() {
			defer func() { <-sem }()
			s.runProbe(ctx, p, outs, i)
		})
	}
	wg.Wait()
}

func (s *session) runProbe(ctx context.Context, p Probe, outs []*outcome, i int) {
	o := &outcome{probe: p.Name}
	start := s.cfg.Now()
	p.run(withChecks(withProbe(ctx, p.Name), p.checks()), s, o)
	d := s.cfg.Now().Sub(start)
	for j := range o.results {
		o.results[j].Duration, o.results[j].Started = d, start
	}
	for _, ex := range o.exchanges {
		if ex.Probe == "" {
			ex.Probe = p.Name
		}
		if p.Suite == report.SuiteRateLimit && ex.Started.IsZero() {
			ex.Burst = true // a burst sample: sent by the burst engine, not send
		}
	}
	outs[i] = o
}

// cleanup deletes every resource the run created, each with the key that
// created it, and returns those it could not delete.
func (s *session) cleanup(ctx context.Context) []string {
	if s.cfg.DryRun {
		return nil
	}
	s.suite.Store("cleanup")
	ctx, cancel := context.WithTimeout(withProbe(context.WithoutCancel(ctx), "cleanup"), cleanupTimeout)
	defer cancel()
	if s.windDown != nil {
		stop := context.AfterFunc(s.windDown, cancel) // an interrupt cuts it short
		defer stop()
	}
	s.mu.Lock()
	todo := s.created // each is deleted or listed as a leftover, once
	s.created = nil
	s.mu.Unlock()
	left := make([]string, len(todo))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(max(s.cfg.Concurrency, 1), len(todo)) {
		wg.Go(func() {
			for i := range work {
				left[i] = s.deleteCreated(ctx, todo[i])
			}
		})
	}
	for i := range todo {
		work <- i
	}
	close(work)
	wg.Wait()
	return slices.DeleteFunc(left, func(l string) bool { return l == "" })
}

// deleteCreated deletes one resource the run created, with the key that
// created it: "" when it is gone, else the leftover line saying why not.
func (s *session) deleteCreated(ctx context.Context, c created) string {
	if s.p.Endpoints.Delete == "" {
		return fmt.Sprintf("%s (no delete endpoint in the profile)", c.id)
	}
	const cut = "%s (not deleted: the clean-up was cut short after the run was stopped)"
	if ctx.Err() != nil {
		return fmt.Sprintf(cut, c.id)
	}
	ex := s.send(ctx, s.deleteCall(c.id, c.key))
	if ex.Response != nil && (ex.Response.Status/100 == 2 || ex.Response.Status == http.StatusNotFound) {
		s.untrack(c.id)
		return ""
	}
	if ex.Response == nil && ctx.Err() != nil {
		return fmt.Sprintf(cut, c.id)
	}
	return fmt.Sprintf("%s (DELETE: %s)", c.id, describe(ex, s.code(ex)))
}

// windDownOn starts the wind-down clock: interruptCleanup after ctx ends
// (an interrupt, --max-duration), s.windDown ends and with it any clean-up.
func (s *session) windDownOn(ctx context.Context) (stop func() bool) {
	wd, end := context.WithCancel(context.Background())
	s.windDown = wd
	return context.AfterFunc(ctx, func() { time.AfterFunc(interruptCleanup, end) })
}

// assemble puts results in plan order: each probe's own checks, then the
// envelope checks of its error responses; the run-level envelope checks and
// the skipped probes' checks in place.
func (s *session) assemble(ctx context.Context, plan []Probe, sel selection, outs []*outcome) []report.Result {
	var results, rateResults []report.Result
	var errs []*report.Exchange
	for i, p := range plan {
		var rs []report.Result
		switch o := outs[i]; {
		case p.Skip != "":
			for _, c := range p.checks() {
				if sel.wants(c) && !(c == report.AuthWWWAuthenticate) {
					r := newResult(c, p.Name, report.StatusSkip)
					r.Message = p.Skip
					rs = append(rs, r)
				}
			}
		case o == nil:
			rs = s.notRun(ctx, p, sel)
		default:
			unsent := cmp.Or(unsentReason(o), sentNothing(o))
			for _, r := range o.results {
				if !sel.wants(r.Check) {
					continue
				}
				// Evidence with unsent requests proves nothing either way.
				if unsent != "" && r.Status != report.StatusSkip {
					r.Status, r.Message, r.Expected, r.Actual, r.Exchange = report.StatusSkip, unsent, "", "", nil
				}
				rs = append(rs, r)
			}
			if unsent == "" {
				rs = append(rs, s.envelopeResults(p.Name, s.expectationGuess(p), o.exchanges, sel.wants)...)
				rs = append(rs, s.documentedResults(p.Name, o.exchanges, sel.wants)...)
			} else {
				rs = append(rs, s.envelopeSkips(p.Name, unsent, sel.wants)...)
			}
			s.markInferred(rs)
			s.annotate(rs, o.exchanges)
			errs = append(errs, o.exchanges...)
		}
		s.nameOperations(rs, p.Operation)
		if p.Suite == report.SuiteRateLimit {
			rateResults = append(rateResults, rs...)
		} else {
			results = append(results, rs...)
		}
	}
	results = append(results, s.runSkips(sel.wants)...)
	if sel.wants(report.EnvelopeRequestIDUniq) {
		results = append(results, s.uniqueRequestIDs(errs))
	}
	if sel.wants(report.EnvelopeConsistent) {
		results = append(results, s.consistentShape(errs))
	}
	return append(results, rateResults...)
}

// unsentReason says why some of a probe's requests were never sent (an
// interrupt, the request budget), so its failures are not findings.
func unsentReason(o *outcome) string {
	for _, ex := range o.exchanges {
		switch {
		case ex.Cut != "":
			return ex.Cut
		case ex.Limited:
			return "not run: rate limited (429 again after waiting out the limit once; see backoffs)"
		case ex.Response != nil:
		case strings.Contains(ex.Err, "context canceled"):
			return "interrupted"
		case strings.Contains(ex.Err, "--max-duration"):
			return "not run: " + ErrMaxDuration.Error()
		case strings.HasPrefix(ex.Err, notSentNoKey):
			return strings.TrimPrefix(ex.Err, notSentNoKey)
		case strings.Contains(ex.Err, "budget exhausted"):
			return "request budget exhausted (raise --max-requests)"
		}
	}
	return ""
}

// sentNothing is why a probe sent no request at all, when it says so: the
// skip reason its own results share (the burst without a key skips every
// check "keys.valid not set"). Its envelope checks are skipped for the same
// reason, not for "no error response".
func sentNothing(o *outcome) string {
	if len(o.exchanges) > 0 || len(o.results) == 0 {
		return ""
	}
	why := o.results[0].Message
	for _, r := range o.results {
		if r.Status != report.StatusSkip || r.Message != why {
			return ""
		}
	}
	return why
}
