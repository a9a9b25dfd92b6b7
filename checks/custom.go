package checks

import (
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// customPrefix starts the check ID of every custom probe: custom.NAME.
const customPrefix = "custom."

// customProbes turn the profile's probes: into data probes. A probe whose
// key role has no key is skipped naming the variable.
func customProbes(p *schemas.Profile) []Probe {
	keys := profileKeys(p)
	out := make([]Probe, 0, len(p.Probes))
	for _, pr := range p.Probes {
		rq := pr.Request
		key := rq.Key
		if key == "" {
			key = schemas.KeyValid
		}
		req := ProbeRequest{Method: rq.Method, Path: rq.Path, Key: key, Body: rq.Body, ContentType: rq.ContentType,
			Headers: rq.Headers, Expect: ProbeExpect{Rule: &pr.Expect}}
		if req.Body != nil && req.ContentType == "" {
			req.ContentType = "application/json"
		}
		dp := Probe{Name: pr.Name, Suite: report.SuiteCustom, Check: customPrefix + pr.Name, Severity: report.Severity(pr.Severity),
			Description: pr.Description, Requests: []ProbeRequest{req}}
		if dp.Severity == "" {
			dp.Severity = report.SeverityError
		}
		if key != schemas.KeyNone && keys[role(key)] == "" {
			dp.Skip = missingKey(p, role(key))
		}
		out = append(out, dp)
	}
	return out
}

// isCustom reports a custom probe's check ID.
func isCustom(id string) bool { return strings.HasPrefix(id, customPrefix) }
