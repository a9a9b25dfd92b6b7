package checks

import (
	"fmt"
	"net/http"

	"github.com/errprobe/errprobe/burst"
	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// The rate-limit suite's verdicts: what ratelimit judged from the evidence
// (Judge, JudgeWithout429, JudgeRun) recorded as results, each failure
// naming the header it is about; the 429 bodies judged against the
// envelope.

// judgeBurst records the burst's checks; false when no 429 was reached.
// late, when set, says the later sample got no 429 (its answer): the
// Retry-After's countdown then has no evidence.
func (s *session) judgeBurst(o *outcome, res burst.Result, max int, late string) bool {
	ev, st := &res.Evidence, res.Stats
	var first429 *report.Exchange
	for _, ex := range res.Samples {
		if ex.Response.Status == http.StatusTooManyRequests && first429 == nil {
			first429 = ex
		}
	}
	if first429 == nil {
		actual := fmt.Sprintf("%d requests: %d 2xx, %d other", st.Sent, ev.Ok, ev.Other)
		if ev.OtherStatus != 0 {
			actual += fmt.Sprintf(" (first %d)", ev.OtherStatus)
		}
		if res.FirstErr != "" {
			actual += "; " + res.FirstErr
		}
		o.fail(report.RateLimitReached, nil, fmt.Sprintf("no 429 within %d requests (cap %d)", st.Sent, max), "429 within "+fmt.Sprint(max), actual)
		s.record(o, ratelimit.JudgeWithout429(ev, s.seen, ratelimit.FormatOf(s.p)), nil, false)
		return false
	}
	o.pass(report.RateLimitReached, first429)
	s.judge429Envelope(o, res.Samples)
	vs, disagrees := ratelimit.Judge(ev, s.seen, ratelimit.FormatOf(s.p), s.p.RateLimit.RetryAfter, s.maxWait, late)
	s.record(o, vs, first429, disagrees)
	return true
}

// record records the verdicts on the rate-limit checks: a finding fails
// its check, naming the header it is about; a verdict without evidence is
// skipped; the rest pass on the exchange pass.
func (s *session) record(o *outcome, vs []ratelimit.Verdict, pass *report.Exchange, disagrees bool) {
	for _, v := range vs {
		if v.Skip != "" {
			o.skip(v.Check, v.Skip)
			continue
		}
		judgeFinding(o, v.Check, v.Finding, pass, v.Expected)
	}
	s.nameLimitHeaders(o, disagrees)
}

// nameLimitHeaders sets, on the rate-limit failures, the header each is
// about (Result.Header: the cause it is grouped by). A Retry-After that
// disagrees with a reset judged wrong itself is the reset's fault.
func (s *session) nameLimitHeaders(o *outcome, disagrees bool) {
	resetFailed := false
	for _, r := range o.results {
		resetFailed = resetFailed || (r.Check == report.RateLimitReset && r.Status == report.StatusFail)
	}
	header := ratelimit.CauseHeaders(s.p, disagrees && resetFailed)
	for i := range o.results {
		if r := &o.results[i]; r.Status == report.StatusFail && r.Header == "" {
			r.Header = header[r.Check]
		}
	}
}

// judgeFinding fails check with f's first example, or passes it on pass.
func judgeFinding(o *outcome, check string, f ratelimit.Finding, pass *report.Exchange, expected string) {
	if f.N == 0 {
		o.pass(check, pass)
		return
	}
	o.fail(check, f.Ex, f.Message(), expected, f.Msg)
}

// judge429Envelope checks every distinct 429 shape: the envelope and the
// profile's rate-limit code.
func (s *session) judge429Envelope(o *outcome, samples []*report.Exchange) {
	code := s.p.RateLimit.Code
	if code == "" {
		code = s.p.ExpectCode(schemas.ExpectRateLimited)
	}
	for _, ex := range samples {
		if ex.Response.Status != http.StatusTooManyRequests {
			continue
		}
		if vs := s.contract.CheckError(toSchemaExchange(ex)); len(vs) > 0 {
			want := "the profile's error envelope"
			if code != "" {
				want = "the envelope with code " + code
			}
			o.fail(report.RateLimitEnvelope, ex, "429 body breaks the envelope: "+vs[0].Message, want, describe(ex, s.code(ex)))
			return
		}
		if got := s.code(ex); code != "" && got != code {
			o.fail(report.RateLimitEnvelope, ex, "429 carries code "+got+", want "+code, "429 "+code, describe(ex, got))
			return
		}
		// A code-less or pattern expectation (expect.rate_limited) judged as such.
		if e, ok := expect(s.p, schemas.ExpectRateLimited); ok && code == "" {
			if e = e.on(ex); !e.allows(ex.Response.Status, s.fields(ex).Codes) {
				got := describe(ex, s.code(ex))
				o.fail(report.RateLimitEnvelope, ex, "got "+got+", want "+e.String(), e.String(), got)
				return
			}
		}
	}
	o.pass(report.RateLimitEnvelope, samples[0])
}
