package checks

import (
	"fmt"
	"sort"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// checkSeverities refuses a profile severity override naming no check of
// the catalogue or the plan.
func checkSeverities(p *schemas.Profile, plan []probe) error {
	known := planChecks(plan)
	ids := make([]string, 0, len(p.Severity))
	for id := range p.Severity {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if _, ok := report.Lookup(id); !ok && !known[id] {
			return p.Problem(fmt.Sprintf("no check %q (errprobe probes lists them)", id), "severity", id)
		}
	}
	return nil
}

// applySeverity sets each result's severity: a custom probe's own, then the
// profile's severity overrides, whose reason the result carries.
func applySeverity(p *schemas.Profile, plan []probe, rs []report.Result) []report.Result {
	own := map[string]report.Severity{}
	for _, pr := range plan {
		if pr.severity != "" && len(pr.checks) > 0 {
			own[pr.checks[0]] = pr.severity
		}
	}
	for i := range rs {
		r := &rs[i]
		if sv, ok := own[r.Check]; ok {
			r.Severity = sv
		}
		if o, ok := p.Severity[r.Check]; ok {
			r.Severity, r.SeverityReason = report.Severity(o.Level), o.Reason
		}
		if r.Guess != "" && r.Severity == report.SeverityError {
			r.Severity = report.SeverityWarning // a guess never gates
		}
	}
	return rs
}
