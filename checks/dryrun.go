package checks

import (
	"fmt"

	"github.com/errprobe/errprobe/report"
)

// itemise totals what a dry run's plan may send: the probes' requests
// (listed), the back-off retries allowed, the burst's cap, the later 429
// sample and the recovery polls, and the clean-up of what the probes
// create. The total is capped by the request budget, which caps the run.
func (s *session) itemise() ([]report.PlanItem, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	probeReqs, creates := len(s.planned), 0
	if s.burstMax > 0 {
		probeReqs-- // the burst's request is listed once
	}
	for _, r := range s.planned {
		if r.Method == createMethod(s.p) && pathOnly(r.URL) == s.url(s.p.Endpoints.Create.Path) {
			creates++
		}
	}
	items := []report.PlanItem{{What: "probe requests (listed below)", Requests: probeReqs}}
	if s.maxWait > 0 {
		items = append(items, report.PlanItem{What: fmt.Sprintf("back-off retries after a 429 (at most %d, waits within max_wait %s)", maxBackoffs, s.maxWait), Requests: min(maxBackoffs, probeReqs)})
	}
	if s.burstMax > 0 {
		items = append(items,
			report.PlanItem{What: fmt.Sprintf("burst (up to %d, stops at the first 429s)", s.burstMax), Requests: s.burstMax},
			report.PlanItem{What: "burst: a later 429 sample and the recovery polls", Requests: 1 + maxRecoveryPolls})
	}
	if creates > 0 && s.p.Endpoints.Delete != "" {
		items = append(items, report.PlanItem{What: "clean-up deletes of created resources", Requests: creates})
	}
	total := 0
	for _, it := range items {
		total += it.Requests
	}
	if total > s.cfg.MaxRequests {
		items = append(items, report.PlanItem{What: fmt.Sprintf("capped by --max-requests %d", s.cfg.MaxRequests), Requests: s.cfg.MaxRequests - total})
		total = s.cfg.MaxRequests
	}
	return items, total
}
