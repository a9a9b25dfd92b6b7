package checks

import "fmt"

// itemise totals what a dry run's plan may send: the probes' requests
// (listed), the back-off retries allowed, the burst's cap, the later 429
// sample and the recovery polls, and the clean-up of what the probes
// create. The total is capped by the request budget, which caps the run.
func (s *session) itemise() ([]PlanItem, int) {
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
	items := []PlanItem{{"probe requests (listed below)", probeReqs}}
	if s.maxWait > 0 {
		items = append(items, PlanItem{fmt.Sprintf("back-off retries after a 429 (at most %d, waits within max_wait %s)", maxBackoffs, s.maxWait), min(maxBackoffs, probeReqs)})
	}
	if s.burstMax > 0 {
		items = append(items,
			PlanItem{fmt.Sprintf("burst (up to %d, stops at the first 429s)", s.burstMax), s.burstMax},
			PlanItem{"burst: a later 429 sample and the recovery polls", 1 + maxRecoveryPolls})
	}
	if creates > 0 && s.p.Endpoints.Delete != "" {
		items = append(items, PlanItem{"clean-up deletes of created resources", creates})
	}
	total := 0
	for _, it := range items {
		total += it.Requests
	}
	if total > s.cfg.MaxRequests {
		items = append(items, PlanItem{fmt.Sprintf("capped by --max-requests %d", s.cfg.MaxRequests), s.cfg.MaxRequests - total})
		total = s.cfg.MaxRequests
	}
	return items, total
}
