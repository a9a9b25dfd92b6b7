package checks

import (
	"fmt"
	"sort"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// checkNamed refuses a profile section (severity, accept) that names no
// check of the catalogue or of the plan (custom.NAME): file:line:col, exit 2.
func checkNamed(p *schemas.Profile, plan []probe, section, what string, ids []string) error {
	known := planChecks(plan)
	sort.Strings(ids)
	for _, id := range ids {
		if _, ok := report.Lookup(id); !ok && !known[id] {
			return p.Problem(fmt.Sprintf("no check %q%s (errprobe probes lists them)", id, what), section, id)
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
