package reporters

import (
	"slices"
	"time"

	"github.com/errprobe/errprobe/report"
)

// span is the time one probe ran.
type span struct{ from, to time.Time }

// suiteWallTime is the wall time of a suite's probes as run: the union of
// the spans of the probes its results came from (probes run at once count
// once), never more than the run. Results without a start (an older
// report, a test fixture) add each probe's duration once.
func suiteWallTime(r *report.Report, results []report.Result) time.Duration {
	var spans []span
	var untimed time.Duration
	seen := map[string]bool{}
	for _, res := range results {
		if res.Started.IsZero() && res.Exchange != nil && !res.Exchange.Started.IsZero() {
			// a result judged from an exchange after its probe (envelope.*)
			res.Started, res.Duration = res.Exchange.Started, res.Exchange.Duration
		}
		key := res.Probe + "\x00" + res.Started.String()
		if seen[key] {
			continue
		}
		seen[key] = true
		if res.Started.IsZero() {
			untimed += res.Duration
			continue
		}
		spans = append(spans, span{res.Started, res.Started.Add(res.Duration)})
	}
	total := union(spans) + untimed
	if run := elapsed(r); run > 0 && total > run {
		return run
	}
	return total
}

// union is the length of time covered by at least one span.
func union(spans []span) time.Duration {
	slices.SortFunc(spans, func(a, b span) int { return a.from.Compare(b.from) })
	var total time.Duration
	var cur span
	for i, s := range spans {
		switch {
		case i == 0:
			cur = s
		case !s.from.After(cur.to):
			if s.to.After(cur.to) {
				cur.to = s.to
			}
		default:
			total += cur.to.Sub(cur.from)
			cur = s
		}
	}
	if len(spans) > 0 {
		total += cur.to.Sub(cur.from)
	}
	return total
}
