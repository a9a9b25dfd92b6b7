package checks

import (
	"net/http"
	"slices"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// customPrefix starts the check ID of every custom probe: custom.NAME.
const customPrefix = "custom."

// customProbes turn the profile's probes: into data probes, one request
// per step, ${VAR}s expanded from the environment. A probe whose key role
// has no key, or whose ${VAR} is unset, is skipped naming the variable.
func customProbes(p *schemas.Profile) []Probe {
	keys := profileKeys(p)
	out := make([]Probe, 0, len(p.Probes))
	for _, pr := range p.Probes {
		dp := Probe{Name: pr.Name, Suite: report.SuiteCustom, Check: customPrefix + pr.Name, Severity: report.Severity(pr.Severity),
			Description: pr.Description}
		if dp.Severity == "" {
			dp.Severity = report.SeverityError
		}
		for _, st := range pr.StepList() {
			req := customRequest(st, pr.Env)
			if req.Key != schemas.KeyNone && keys[role(req.Key)] == "" && dp.Skip == "" {
				dp.Skip = missingKey(p, role(req.Key))
			}
			dp.Requests = append(dp.Requests, req)
			// a count compared across steps: alone, as the replay runs
			dp.Serial = dp.Serial || slices.Contains(st.Expect.Same, schemas.SameCount)
		}
		if len(pr.Unset) > 0 {
			dp.Skip = "$" + strings.Join(pr.Unset, ", $") + " not set (the probe's request uses ${" + pr.Unset[0] + "})"
		}
		out = append(out, dp)
	}
	return out
}

// customRequest is one step of a custom probe as a request template.
func customRequest(st schemas.ProbeStep, env map[string]string) ProbeRequest {
	rq := st.Request
	key := rq.Key
	if key == "" {
		key = schemas.KeyValid
	}
	expect := st.Expect
	req := ProbeRequest{Name: st.Name, Method: rq.Method, Path: schemas.ExpandVars(rq.Path, env), Key: key, ContentType: rq.ContentType,
		Expect: ProbeExpect{Rule: &expect}, Capture: st.Capture}
	if rq.Body != nil {
		b := schemas.ExpandVars(*rq.Body, env)
		req.Body = &b
		if req.ContentType == "" {
			req.ContentType = "application/json"
		}
	}
	if len(rq.Headers) > 0 {
		req.Headers = make(map[string]string, len(rq.Headers))
		for k, v := range rq.Headers {
			req.Headers[k] = schemas.ExpandVars(v, env)
		}
	}
	return req
}

// probeSecrets are the values of the ${VAR}s custom probes use, masked in
// every output, but for a variable used only in public headers.
func probeSecrets(p *schemas.Profile, public func(string) bool) []string {
	var out []string
	for _, pr := range p.Probes {
		for name, v := range pr.Env {
			if !onlyInPublicHeaders(pr, name, public) {
				out = append(out, v)
			}
		}
	}
	return out
}

func onlyInPublicHeaders(pr schemas.Probe, name string, public func(string) bool) bool {
	for _, st := range pr.StepList() {
		rq := st.Request
		texts := []string{rq.Path}
		if rq.Body != nil {
			texts = append(texts, *rq.Body)
		}
		for k, v := range rq.Headers {
			if !public(k) {
				texts = append(texts, v)
			}
		}
		for _, t := range texts {
			if strings.Contains(t, "${"+name+"}") {
				return false
			}
		}
	}
	return true
}

// isCustom reports a custom probe's check ID.
func isCustom(id string) bool { return strings.HasPrefix(id, customPrefix) }

// publicHeader reports a header --public-header names (its values are not masked).
func (c Config) publicHeader(name string) bool {
	for _, p := range c.PublicHeaders {
		if http.CanonicalHeaderKey(p) == http.CanonicalHeaderKey(name) {
			return true
		}
	}
	return false
}
