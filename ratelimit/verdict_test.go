package ratelimit

import (
	"testing"
	"time"

	"github.com/errprobe/errprobe/report"
)

func verdictOf(t *testing.T, vs []Verdict, check string) Verdict {
	t.Helper()
	for _, v := range vs {
		if v.Check == check {
			return v
		}
	}
	t.Fatalf("no verdict for %s in %+v", check, vs)
	return Verdict{}
}

// A burst's 429s with no remaining values: the remaining checks have no
// evidence; a later sample answered otherwise leaves Retry-After without
// evidence; a run's finding comes ahead of the burst's, naming the probe.
func TestJudge_NoEvidenceIsNoPass(t *testing.T) {
	t.Parallel()
	f := Format{Kind: "legacy"}
	run := NewSeen(f, time.Minute)
	run.reset.Note("reset is 1h0m0s in the past")
	run.probeOf[&run.reset] = "unknown-id"
	ev := &Evidence{Reset: Finding{N: 2, Msg: "the burst's own"}}
	vs, disagrees := Judge(ev, run, f, true, time.Minute, "200")
	if disagrees {
		t.Error("disagrees without a Retry-After finding")
	}
	for _, c := range []string{report.RateLimitRemaining, report.RateLimitRemainingZero} {
		if v := verdictOf(t, vs, c); v.Skip != "no remaining values seen" {
			t.Errorf("%s = %+v, want skipped: no remaining values", c, v)
		}
	}
	if v := verdictOf(t, vs, report.RateLimitRetryAfter); v.Skip == "" {
		t.Errorf("retry-after = %+v, want skipped: the later sample got 200", v)
	}
	if v := verdictOf(t, vs, report.RateLimitReset); v.Finding.Msg != "reset is 1h0m0s in the past (probe unknown-id)" {
		t.Errorf("reset = %+v, want the run's finding first", v)
	}
	if v := verdictOf(t, vs, report.RateLimitLimitConstant); v.Skip != "" || v.Finding.N != 0 {
		t.Errorf("limit-constant = %+v, want a pass", v)
	}
}

// Without a 429 or without a burst, nothing passes: a check is a finding
// or skipped with the reason.
func TestJudgeWithout429AndRun_NeverPass(t *testing.T) {
	t.Parallel()
	f := Format{Kind: "legacy"}
	ev := &Evidence{Parse: Finding{N: 1, Msg: "unreadable"}}
	for name, vs := range map[string][]Verdict{
		"no 429": JudgeWithout429(ev, NewSeen(f, time.Minute), f),
		"no run": JudgeRun(NewSeen(f, time.Minute), f, "endpoints.list not set"),
	} {
		for _, v := range vs {
			if v.Skip == "" && v.Finding.N == 0 {
				t.Errorf("%s: %s passes: %+v", name, v.Check, v)
			}
		}
	}
	if v := verdictOf(t, JudgeWithout429(ev, nil, f), report.RateLimitHeaders); v.Finding.N != 1 {
		t.Errorf("headers without a 429 = %+v, want the unreadable value", v)
	}
}
