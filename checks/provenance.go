package checks

import (
	"context"
	"net/http"

	"github.com/errprobe/errprobe/report"
)

type probeKey struct{}

// withProbe tags ctx with the probe whose requests it carries, so every
// exchange (and -v line) names its probe.
func withProbe(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, probeKey{}, name)
}

type checksKey struct{}

// withChecks tags ctx with the checks its probe feeds, so a dry run can
// label each planned request with them.
func withChecks(ctx context.Context, checks []string) context.Context {
	return context.WithValue(ctx, checksKey{}, checks)
}

func checksOf(ctx context.Context) []string {
	c, _ := ctx.Value(checksKey{}).([]string)
	return c
}

func probeOf(ctx context.Context) string {
	name, _ := ctx.Value(probeKey{}).(string)
	return name
}

// notRun lists the selected checks of a probe that never ran (the run was
// interrupted or stopped first) as skipped, so every run of a profile and
// selection reports the same set of results.
func (s *session) notRun(ctx context.Context, p Probe, sel selection) []report.Result {
	if !sel.runs(p) {
		return nil
	}
	reason := "not run"
	switch interrupted, stopped := stopReason(ctx); {
	case interrupted:
		reason = "not run: interrupted"
	case stopped != "":
		reason = "not run: " + stopped
	}
	var out []report.Result
	for _, c := range p.checks() {
		if sel.wants(c) {
			r := newResult(c, p.Name, report.StatusSkip)
			r.Message = reason
			out = append(out, r)
		}
	}
	if p.Suite != report.SuiteRateLimit {
		out = append(out, s.envelopeSkips(p.Name, reason, sel.wants)...)
	}
	return out
}

// envelopeSkips are the per-probe envelope checks, skipped with reason
// (but those the profile rules out, which are skipped once for the run).
func (s *session) envelopeSkips(probe, reason string, want func(string) bool) []report.Result {
	var out []report.Result
	for _, id := range perProbeEnvelope {
		if want(id) && runSkip(s.p, id) == "" {
			r := newResult(id, probe, report.StatusSkip)
			r.Message = reason
			out = append(out, r)
		}
	}
	return out
}

// annotate fills what reports derive from a failure's evidence: the error
// code its response carried (part of its cause's signature) and the earlier
// requests of its probe that set up the state it depends on.
func (s *session) annotate(rs []report.Result, exs []*report.Exchange) {
	for i := range rs {
		r := &rs[i]
		if r.Status != report.StatusFail || r.Exchange == nil {
			continue
		}
		r.Code = s.code(r.Exchange)
		r.Setup = setupOf(r.Exchange, exs)
	}
}

// setupOf returns the exchanges before x in its probe that changed state
// (a non-GET answered 2xx: a create, a first idempotent request).
func setupOf(x *report.Exchange, exs []*report.Exchange) []*report.Exchange {
	var setup []*report.Exchange
	for _, e := range exs {
		if e == x {
			return setup
		}
		if e.Burst || e.Response == nil || e.Response.Status/100 != 2 {
			continue
		}
		switch e.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			continue
		}
		setup = append(setup, e)
	}
	return nil // x is not among the probe's exchanges
}
