package checks

import (
	"fmt"
	"sort"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// checkNamed refuses a profile section (severity, accept) that names no
// check of the catalogue or of the plan (custom.NAME): file:line:col, exit 2.
func checkNamed(p *schemas.Profile, plan []Probe, section, what string, ids []string) error {
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
// profile's severity overrides, whose reason the result carries; a failure
// resting on a guess is a warning unless the profile states its severity.
func applySeverity(p *schemas.Profile, plan []Probe, rs []report.Result) []report.Result {
	own := map[string]report.Severity{}
	for _, pr := range plan {
		if pr.Severity != "" {
			own[pr.Check] = pr.Severity
		}
	}
	for i := range rs {
		r := &rs[i]
		if sv, ok := own[r.Check]; ok {
			r.Severity = sv
		}
		o, stated := p.Severity[r.Check]
		if stated {
			r.Severity, r.SeverityReason = report.Severity(o.Level), o.Reason
		}
		if r.Guess != "" && r.Severity == report.SeverityError && !stated {
			// A guess never gates, unless the profile states the check's
			// severity: then the team has said the expectation holds.
			r.Severity = report.SeverityWarning
		}
	}
	return rs
}
