package checks

import (
	"fmt"
	"strings"

	"github.com/errprobe/errprobe/schemas"
)

// probes is every probe for a profile, in plan order; inapplicable ones
// carry their skip reason.
func probes(p *schemas.Profile) []probe {
	var all []probe
	for _, group := range [][]probe{
		malformedProbes(p), authProbes(p), resourceProbes(p),
		validationProbes(p), idempotencyProbes(p), rateLimitProbes(p),
	} {
		all = append(all, group...)
	}
	return all
}

// selection is the --suite / --skip filter over check IDs.
type selection struct {
	include, exclude map[string]bool
}

func newSelection(suites, skip []string) (selection, error) {
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
					if _, ok := Lookup(name); !ok {
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
	for _, s := range Suites() {
		if s == name {
			return true
		}
	}
	return false
}

// wants reports whether check is selected.
func (s selection) wants(check string) bool {
	c, _ := Lookup(check)
	if s.exclude[check] || s.exclude[c.Suite] {
		return false
	}
	return len(s.include) == 0 || s.include[check] || s.include[c.Suite]
}

// runs reports whether a probe is needed: one of its checks is selected,
// or the envelope checks need its error responses.
func (s selection) runs(p probe) bool {
	for _, c := range p.checks {
		if s.wants(c) {
			return true
		}
	}
	if p.suite == SuiteRateLimit {
		return false
	}
	for _, c := range perProbeEnvelope {
		if s.wants(c) {
			return true
		}
	}
	return false
}
