package gate

import (
	"fmt"

	"github.com/errprobe/errprobe/report"
)

// FailOn is the lowest severity whose failures fail the run.
type FailOn string

const (
	FailOnError   FailOn = "error"   // only error-severity failures fail the run
	FailOnWarning FailOn = "warning" // errors and warnings fail the run
	FailOnNever   FailOn = "never"   // nothing fails the run; findings are only reported
	// FailOnSecurity fails the run on new failures of checks tagged security
	// (of any severity) and on nothing else.
	FailOnSecurity FailOn = "security"
)

// ParseFailOn checks a --fail-on value.
func ParseFailOn(s string) (FailOn, error) {
	switch f := FailOn(s); f {
	case FailOnError, FailOnWarning, FailOnNever, FailOnSecurity:
		return f, nil
	}
	return "", fmt.Errorf("invalid --fail-on %q: want error, warning, security or never", s)
}

// Verdict is the gate's decision. Errors and Warnings count new failures (not
// in the baseline) by severity; Known counts failures the baseline lists;
// Fixed counts baseline entries whose check now passes.
type Verdict struct {
	Failed   bool `json:"failed"`
	Errors   int  `json:"errors"`
	Warnings int  `json:"warnings"`
	// Security counts new failures of checks tagged security (also counted
	// in Errors or Warnings).
	Security int `json:"security"`
	Known    int `json:"known"`
	Fixed    int `json:"fixed"`
	// Accepted counts failures the profile accepts (never gating).
	Accepted int `json:"accepted,omitempty"`
}

// Decide judges a report: it marks each result Known or Fixed against the
// baseline (nil for none) and decides from severities and failOn whether the
// run failed. Findings never fail a run by themselves; only the gate does.
func Decide(r *report.Report, failOn FailOn, b *Baseline) Verdict {
	var v Verdict
	for i := range r.Results {
		res := &r.Results[i]
		listed := b.Contains(res.Check, res.Probe)
		res.Known = listed && res.Status == report.StatusFail
		res.Fixed = listed && res.Status == report.StatusPass
		switch {
		case res.Status == report.StatusAccepted:
			v.Accepted++
		case res.Known:
			v.Known++
		case res.Fixed:
			v.Fixed++
		case res.Status == report.StatusFail && res.Severity == report.SeverityWarning:
			v.Warnings++
		case res.Status == report.StatusFail:
			v.Errors++
		}
		if res.Status == report.StatusFail && !res.Known && report.IsSecurity(res.Check) {
			v.Security++
		}
	}
	v.Failed = fails(failOn, v)
	return v
}

func fails(failOn FailOn, v Verdict) bool {
	switch failOn {
	case FailOnNever:
		return false
	case FailOnWarning:
		return v.Errors+v.Warnings > 0
	case FailOnSecurity:
		return v.Security > 0
	default:
		return v.Errors > 0
	}
}
