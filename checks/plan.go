package checks

import (
	"fmt"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// probes is every probe for a profile, in plan order; inapplicable ones
// carry their skip reason. Every one is a Probe: the built-ins, the
// profile's custom probes and extra ones such as OpenAPI-derived probes
// from Config.Probes run through the one engine, runData; only the
// idempotency race and the burst run their own code (Probe.exec).
func probes(p *schemas.Profile, extra []Probe) []Probe {
	var all []Probe
	for _, group := range [][]Probe{
		malformedProbes(p), authProbes(p), resourceProbes(p),
		validationProbes(p), idempotencyProbes(p), customProbes(p), extra, rateLimitProbes(p),
	} {
		all = append(all, group...)
	}
	return all
}

// selection is the --suite / --skip filter over check IDs.
type selection struct {
	include, exclude map[string]bool
}

// planChecks are the check IDs of the plan's custom and extra probes.
func planChecks(plan []Probe) map[string]bool {
	ids := map[string]bool{}
	for _, p := range plan {
		for _, c := range p.checks() {
			ids[c] = true
		}
	}
	return ids
}

func newSelection(suites, skip []string, known map[string]bool) (selection, error) {
	sel := selection{include: map[string]bool{}, exclude: map[string]bool{}}
	for _, pair := range []struct {
		flag  string
		names []string
		into  map[string]bool
	}{{"--suite", suites, sel.include}, {"--skip", skip, sel.exclude}} {
		for _, raw := range pair.names {
			for _, name := range strings.Split(raw, ",") {
				name = strings.TrimSpace(name)
				if name == "" {
					continue
				}
				if !isSuite(name) {
					if _, ok := report.Lookup(name); !ok && !known[name] {
						return sel, fmt.Errorf("%s %s: no such suite or check (errprobe probes lists them)", pair.flag, name)
					}
				}
				pair.into[name] = true
			}
		}
	}
	return sel, nil
}

func isSuite(name string) bool {
	for _, s := range report.Suites() {
		if s == name {
			return true
		}
	}
	return false
}

// wants reports whether check is selected.
func (s selection) wants(check string) bool {
	c, ok := report.Lookup(check)
	if !ok && isCustom(check) {
		c.Suite = report.SuiteCustom
	}
	if s.exclude[check] || s.exclude[c.Suite] {
		return false
	}
	return len(s.include) == 0 || s.include[check] || s.include[c.Suite]
}

// runs reports whether a probe is needed: one of its checks is selected,
// or the envelope checks need its error responses.
func (s selection) runs(p Probe) bool {
	for _, c := range p.checks() {
		if s.wants(c) {
			return true
		}
	}
	if p.Suite == report.SuiteRateLimit {
		return false
	}
	for _, c := range perProbeEnvelope {
		if s.wants(c) {
			return true
		}
	}
	for _, c := range []string{report.OpenAPIStatus, report.OpenAPISchema, report.OpenAPIHeaders, report.OpenAPIWWWAuthenticate, report.OpenAPIAllow} {
		if s.wants(c) {
			return true
		}
	}
	return false
}
