package reporters

import (
	"fmt"
	"slices"
	"strings"

	"github.com/errprobe/errprobe/report"
)

// sharedSkipMin is how many results must give one skip reason for the
// terminal report to say it once, with a count, instead of once per result.
const sharedSkipMin = 3

// maxSkipProbes: a shared skip names its probes when they are this few.
const maxSkipProbes = 4

// skipReason is one reason many results were skipped for.
type skipReason struct {
	Reason string
	Count  int
	Suites []string // in plan order
	Checks int      // distinct checks
	Probes []string // distinct probes, in plan order
}

// sharedSkips lists the skip reasons at least sharedSkipMin results give,
// in order of first appearance. A skip whose reason quotes a shared one
// ("could not create a resource: not sent: keys.valid not set …") counts
// under it: one cause, one line.
func sharedSkips(results []report.Result) []skipReason {
	counts := map[string]int{}
	for _, res := range results {
		if res.Status == report.StatusSkip {
			counts[res.Message]++
		}
	}
	var out []skipReason
	index := map[string]int{}
	seen := map[string]bool{}
	for _, res := range results {
		if res.Status == report.StatusSkip && counts[res.Message] >= sharedSkipMin && !seen[res.Message] {
			seen[res.Message] = true
			index[res.Message] = len(out)
			out = append(out, skipReason{Reason: res.Message})
		}
	}
	checks := make([]map[string]bool, len(out))
	for _, res := range results {
		i := causeOf(out, res)
		if res.Status != report.StatusSkip || i < 0 {
			continue
		}
		sr := &out[i]
		sr.Count++
		if !slices.Contains(sr.Suites, res.Suite) {
			sr.Suites = append(sr.Suites, res.Suite)
		}
		if label := probeLabel(res); label != "" && !slices.Contains(sr.Probes, label) {
			sr.Probes = append(sr.Probes, label)
		}
		if checks[i] == nil {
			checks[i] = map[string]bool{}
		}
		checks[i][res.Check] = true
	}
	kept := out[:0]
	for i := range out {
		out[i].Checks = len(checks[i])
		if out[i].Count > 0 {
			kept = append(kept, out[i])
		}
	}
	return kept
}

// causeOf is the index of the shortest shared reason res's skip reason is
// or quotes (a shared reason quoting a shorter one folds into it), -1 if
// none.
func causeOf(shared []skipReason, res report.Result) int {
	best := -1
	for i, sr := range shared {
		if strings.Contains(res.Message, sr.Reason) && (best < 0 || len(sr.Reason) < len(shared[best].Reason)) {
			best = i
		}
	}
	return best
}

func (t *textReport) isShared(res report.Result) bool {
	return causeOf(t.shared, res) >= 0
}

// skips says each shared skip reason once: how many results, of how many
// checks, in which suites; -v and the file reports list every one.
func (t *textReport) skips() {
	if t.o.Verbose || len(t.shared) == 0 {
		return
	}
	t.p.gap()
	for _, sr := range t.shared {
		where := fmt.Sprintf("%s of %s in %s", plural(sr.Count, "result"), plural(sr.Checks, "check"), strings.Join(sr.Suites, ", "))
		if n := len(sr.Probes); n > 0 && n <= maxSkipProbes {
			where = "probes " + strings.Join(sr.Probes, ", ") + ": " + where
		}
		t.p.line(t.s.skip.Sprint(markSkip+" skipped ") + oneLine(sr.Reason) + t.s.dim.Sprint("  ("+where+"; -v lists each)"))
	}
}
