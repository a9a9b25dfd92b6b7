package checks

import (
	"fmt"
	"sort"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// applyAccept reports the failures of the profile's accepted checks as
// accepted, with the reason; an accepted check that ran and no longer
// fails is returned as stale, so the profile can be cleaned.
func applyAccept(p *schemas.Profile, rs []report.Result) (stale []string) {
	if len(p.Accept) == 0 {
		return nil
	}
	failed, passed := map[string]bool{}, map[string]bool{}
	for i := range rs {
		r := &rs[i]
		reason, ok := p.Accept[r.Check]
		if !ok {
			continue
		}
		switch r.Status {
		case report.StatusFail:
			r.Status, r.Accepted = report.StatusAccepted, reason
			failed[r.Check] = true
		case report.StatusPass:
			passed[r.Check] = true
		}
	}
	ids := make([]string, 0, len(passed))
	for id := range passed {
		if !failed[id] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		stale = append(stale, fmt.Sprintf("accepted deviation no longer seen: %s passes (accept: %q); remove it from the profile", id, p.Accept[id]))
	}
	return stale
}
