package ratelimit

import (
	"fmt"
	"time"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// Checks are the rate-limit suite's checks, in catalogue order.
var Checks = []string{report.RateLimitReached, report.RateLimitEnvelope, report.RateLimitHeaders, report.RateLimitLimitConstant,
	report.RateLimitRemaining, report.RateLimitRemainingZero, report.RateLimitReset, report.RateLimitRetryAfter, report.RateLimitRecovery}

// Verdict is what the evidence shows for one check: a finding fails it
// (Finding.N > 0); Skip, when set, says why there is no evidence; else it
// passes. Expected words what a pass needs.
type Verdict struct {
	Check    string
	Finding  Finding
	Skip     string
	Expected string
}

// Message words a finding: its first example, and how many responses
// showed it when more than one.
func (f Finding) Message() string {
	if f.N > 1 {
		return f.Msg + fmt.Sprintf(" (%d responses)", f.N)
	}
	return f.Msg
}

// Judge is what a burst that reached a 429 shows about the headers
// (ratelimit.headers … ratelimit.retry-after), the run's findings (run)
// ahead of the burst's own (ev). retryAfter says the profile requires
// Retry-After on a 429; late, when set, is what answered the request sent
// late in the burst's window instead of a 429: a Retry-After's countdown
// then has no evidence. disagrees says a failing Retry-After disagrees
// with the reset (the reset's fault if that fails too: CauseHeaders).
func Judge(ev *Evidence, run *Seen, f Format, retryAfter bool, maxWait time.Duration, late string) (vs []Verdict, disagrees bool) {
	if f.Kind == "none" {
		for _, c := range []string{report.RateLimitHeaders, report.RateLimitLimitConstant, report.RateLimitRemaining, report.RateLimitRemainingZero, report.RateLimitReset} {
			vs = append(vs, Verdict{Check: c, Skip: "rate_limit.headers is none (the profile promises no rate-limit headers)"})
		}
	} else {
		headers := ev.Missing429
		if headers.N == 0 {
			headers = ev.MissingOK
		}
		if headers.N == 0 {
			headers = ev.Parse
		}
		vs = append(vs,
			Verdict{Check: report.RateLimitHeaders, Finding: headers, Expected: f.Kind + " rate-limit headers on every response"},
			Verdict{Check: report.RateLimitLimitConstant, Finding: run.Before(report.RateLimitLimitConstant, ev.LimitVaries), Expected: "one limit"},
			remainingVerdict(ev, run.Before(report.RateLimitRemaining, ev.Remaining), report.RateLimitRemaining, "remaining falling with each admitted request"),
			remainingVerdict(ev, run.Before(report.RateLimitRemainingZero, ev.Zero), report.RateLimitRemainingZero, "remaining 0 on every 429"),
			Verdict{Check: report.RateLimitReset, Finding: run.Before(report.RateLimitReset, ev.Reset), Expected: "reset in the future, within " + maxWait.String()})
	}
	retry := ev.RetryDisagree
	if retryAfter && ev.RetryMissing.N > 0 && retry.N == 0 {
		retry = ev.RetryMissing
	}
	retry = run.Before(report.RateLimitRetryAfter, retry)
	if retry.N == 0 && late != "" {
		vs = append(vs, Verdict{Check: report.RateLimitRetryAfter, Skip: "no evidence: the later request in the burst's window got " + late +
			", not a 429, so whether Retry-After counts down with the reset is unknown"})
	} else {
		vs = append(vs, Verdict{Check: report.RateLimitRetryAfter, Finding: retry, Expected: "Retry-After agreeing with reset"})
	}
	return vs, retry.N > 0 && retry.Msg == ev.RetryDisagree.Msg
}

// remainingVerdict: a remaining check has no evidence when no response
// carried a remaining value and nothing was found.
func remainingVerdict(ev *Evidence, f Finding, check, expected string) Verdict {
	if ev.RemainingSeen == 0 && f.N == 0 {
		return Verdict{Check: check, Skip: "no remaining values seen"}
	}
	return Verdict{Check: check, Finding: f, Expected: expected}
}

// JudgeWithout429 is what the headers show when the burst met no 429 (every
// check after ratelimit.reached): what the admitted responses of the burst
// (ev) and of the run show on their own (a header value unreadable, a limit
// that changes, a remaining above the limit or not counting, a reset in
// the past) fails; a check that needs a 429, or whose headers showed
// nothing wrong, has no evidence: skipped, never passed. Headers missing
// from admitted answers are no finding here: a route that never limits may
// well carry none (the limit is elsewhere: rate_limit.route).
func JudgeWithout429(ev *Evidence, run *Seen, f Format) []Verdict {
	found := map[string]Finding{}
	if f.Kind != "none" {
		found = map[string]Finding{
			report.RateLimitHeaders:       ev.Parse,
			report.RateLimitLimitConstant: run.Before(report.RateLimitLimitConstant, ev.LimitVaries),
			report.RateLimitRemaining:     run.Before(report.RateLimitRemaining, ev.Remaining),
			report.RateLimitReset:         run.Before(report.RateLimitReset, ev.Reset),
		}
	}
	return judgeFound(Checks[1:], found, "no 429 was reached")
}

// JudgeRun is what the run's responses show when no burst ran (why): the
// header judgements on them (a reset in the past, a limit that changes, a
// remaining above the limit or not counting, a 429 met on the way) fail,
// naming the probe; every other check is skipped with why, never passed.
func JudgeRun(run *Seen, f Format, why string) []Verdict {
	found := map[string]Finding{}
	if f.Kind != "none" {
		for _, c := range Checks {
			found[c] = run.Before(c, Finding{})
		}
	}
	return judgeFound(Checks, found, why)
}

// judgeFound fails each check with a finding and skips the rest with why.
func judgeFound(checks []string, found map[string]Finding, why string) []Verdict {
	vs := make([]Verdict, 0, len(checks))
	for _, c := range checks {
		if f := found[c]; f.N > 0 {
			vs = append(vs, Verdict{Check: c, Finding: f})
			continue
		}
		vs = append(vs, Verdict{Check: c, Skip: why})
	}
	return vs
}

// CauseHeaders names, per check, the header a failure is about (the cause
// it is grouped by): the profile's legacy header names, or the IETF
// RateLimit field; Retry-After, unless it only disagrees with a reset
// judged wrong itself (resetBlamed), which is the reset's fault.
func CauseHeaders(p *schemas.Profile, resetBlamed bool) map[string]string {
	rl := p.RateLimit
	header := map[string]string{report.RateLimitLimitConstant: rl.LimitHeader, report.RateLimitRemaining: rl.RemainingHeader,
		report.RateLimitRemainingZero: rl.RemainingHeader, report.RateLimitReset: rl.ResetHeader, report.RateLimitRetryAfter: "Retry-After"}
	if FormatOf(p).Kind == "ietf" {
		for c := range header {
			header[c] = "RateLimit"
		}
		header[report.RateLimitRetryAfter] = "Retry-After"
	}
	if resetBlamed {
		header[report.RateLimitRetryAfter] = header[report.RateLimitReset]
	}
	return header
}
