package reporters

import (
	"fmt"
	"strings"

	"github.com/errprobe/errprobe/report"
)

// maxCauseProbes is how many probes a cause line names before "and N more".
const maxCauseProbes = 4

// causeHeadline is the line reports lead with: "6 causes, 68 failed checks
// (2 security)".
func causeHeadline(r *report.Report, groups []report.Group) string {
	failed, sec := 0, 0
	for _, g := range groups {
		failed += len(g.Results)
		if g.Security {
			sec++
		}
	}
	line := plural(len(groups), "cause") + ", " + plural(failed, "failed check")
	if sec > 0 {
		line += fmt.Sprintf(" (%d security)", sec)
	}
	return line
}

// causeProbes names a group's probes (and operations where the results
// carry one): "not-json, empty-body and 3 more".
func causeProbes(r *report.Report, g report.Group) string {
	names := groupProbes(r, g)
	if len(names) > maxCauseProbes {
		return strings.Join(names[:maxCauseProbes], ", ") + fmt.Sprintf(" and %d more", len(names)-maxCauseProbes)
	}
	return strings.Join(names, ", ")
}

// causeName is a group's behaviour, or, for a group made before causes
// spanned checks, its check and signature.
func causeName(g report.Group) string {
	if g.Cause != "" {
		return g.Cause
	}
	return g.Check + " · " + g.Signature.String()
}

// causeChecks names a group's checks: "envelope.json, malformed.not-json",
// "… and 3 more checks" past maxCauseProbes (JSON lists them all).
func causeChecks(g report.Group) string {
	names := g.Checks
	if len(names) == 0 {
		return g.Check
	}
	if len(names) > maxCauseProbes {
		return strings.Join(names[:maxCauseProbes], ", ") + fmt.Sprintf(" and %d more checks", len(names)-maxCauseProbes)
	}
	return strings.Join(names, ", ")
}

// causes prints the groups of failures before the per-suite detail.
func (t *textReport) causes() {
	groups := t.r.Groups()
	if len(groups) == 0 {
		return
	}
	t.p.gap()
	t.p.line(t.s.bold.Sprint(causeHeadline(t.r, groups)))
	for _, g := range groups {
		mark := t.s.fail.Sprint(markFail)
		if g.Known {
			mark = t.s.known.Sprint(markFail)
		}
		tag := ""
		if g.Security {
			tag = t.s.security.Sprint("security") + " "
		}
		line := "  " + mark + " " + tag + oneLine(causeName(g)) + t.s.dim.Sprint(" · "+oneLine(causeChecks(g)))
		line += t.s.dim.Sprintf(" · %s: %s", plural(len(g.Results), "failure"), oneLine(causeProbes(t.r, g)))
		if g.Known {
			line += "  " + t.s.known.Sprint("known")
		}
		t.p.line(line)
		if g.Message != "" {
			t.p.line("      " + oneLine(truncate(g.Message, 2*bodyPreview)))
		}
	}
}
