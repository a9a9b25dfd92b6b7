package reporters

import (
	"fmt"
	"io"
	"strings"

	"github.com/errprobe/errprobe/report"
)

// markdownBodyCap caps a response body in the Markdown report.
const markdownBodyCap = 2 << 10

// mdMaxDetailed is how many failures get full detail; the rest are listed,
// so the report stays under a pull-request comment's size limit.
const mdMaxDetailed = 25

// Markdown renders a summary table and the failures, each with a curl
// command in a code fence: fit for a pull-request comment or
// $GITHUB_STEP_SUMMARY.
func Markdown(w io.Writer, r *report.Report, o Options) error {
	p := &printer{w: w}
	c := count(r.Results)
	p.line(fmt.Sprintf("## errprobe: %s %d passed, %d failed, %d skipped", mdVerdict(r, o), c.Passed, c.Failed, c.Skipped))
	p.line("")
	p.line(fmt.Sprintf("Profile %s against %s · %d requests in %ss · errprobe %s",
		mdCode(r.Profile), mdCode(r.BaseURL), r.Requests, seconds(elapsed(r)), mdText(r.Version)))
	if r.Error != "" {
		p.line("")
		p.line("> **Could not run:** " + mdText(r.Error) + ".")
		return p.err // no results to tabulate
	}
	if r.Interrupted {
		p.line("")
		p.line("> **Interrupted:** the run was stopped; results cover only what completed.")
	}
	if r.Keyless != "" {
		p.line("")
		p.line("> **No valid key:** " + mdText(r.Keyless) + "; only the probes that need no key ran.")
	}
	if r.Stopped != "" {
		p.line("")
		p.line("> **Stopped early:** " + mdText(r.Stopped) + "; results cover only what completed.")
	}
	groups := newGroups(r)
	if len(groups) > 0 {
		p.line("")
		p.line("**" + mdText(causeHeadline(r, groups)) + "**")
	}
	p.line("")
	mdTable(p, r)
	mdCauses(p, r, groups)
	mdFailures(p, r, true)
	mdFixed(p, r)
	mdAccepted(p, r)
	mdExtras(p, r)
	return p.err
}

// mdAccepted lists the accepted deviations, each with the profile's
// reason, and the acceptances no longer seen.
func mdAccepted(p *printer, r *report.Report) {
	var list []string
	for _, res := range r.Results {
		if res.Status == report.StatusAccepted {
			list = append(list, "- "+mdCode(title(res))+" — accepted: "+mdText(res.Accepted)+suffix(" — ", mdText(res.Message)))
		}
	}
	if len(list) > 0 {
		p.line("")
		p.line("### Accepted deviations: " + fmt.Sprint(len(list)))
		p.line("")
		p.line(strings.Join(list, "\n"))
	}
	for _, s := range r.StaleAccepts {
		p.line("")
		p.line("> " + mdText(s))
	}
}

func mdVerdict(r *report.Report, o Options) string {
	switch verdict(r, o.Verdict) {
	case VerdictInterrupted:
		return "⚠️ interrupted ·"
	case VerdictFail:
		return "❌"
	case VerdictNotRun:
		return "⚪ not run ·"
	case VerdictError:
		return "❌ could not run ·"
	case VerdictDryRun:
		return "📝 dry run ·"
	}
	return "✅"
}

func mdTable(p *printer, r *report.Report) {
	p.line("| Suite | Passed | Failed | Skipped | Known | Fixed |")
	p.line("|---|---:|---:|---:|---:|---:|")
	for _, s := range bySuite(r) {
		c := count(s.Results)
		p.line(fmt.Sprintf("| %s | %d | %d | %d | %d | %d |", mdCell(s.Name), c.Passed, c.Failed-c.Known, c.Skipped, c.Known, c.Fixed))
	}
}

// newGroups are the causes of new (not known) failures.
func newGroups(r *report.Report) []report.Group {
	var out []report.Group
	for _, g := range r.Groups() {
		if !g.Known {
			out = append(out, g)
		}
	}
	return out
}

// mdCauses details each cause of new failures once: the check, the shared
// signature, the probes it covers and one failure's reproduction.
func mdCauses(p *printer, r *report.Report, groups []report.Group) {
	if len(groups) == 0 {
		return
	}
	p.line("")
	p.line("### Causes: " + mdText(causeHeadline(r, groups)))
	for i, g := range groups {
		if i == mdMaxDetailed {
			p.line("")
			p.line(fmt.Sprintf("… and %d more (see the JSON or JUnit report):", len(groups)-i))
			p.line("")
			for _, g := range groups[i:] {
				p.line(fmt.Sprintf("- %s (%s) — %s", mdText(causeName(g)), mdCode(causeChecks(g)), mdText(g.Message)))
			}
			return
		}
		mdCause(p, r, g)
	}
}

func mdCause(p *printer, r *report.Report, g report.Group) {
	res := r.Results[g.Results[0]]
	tag := ""
	if g.Security {
		tag = "🔒 **security** · "
	}
	p.line("")
	p.line(fmt.Sprintf("#### ✗ %s%s — %s", tag, mdText(causeName(g)), mdText(string(g.Severity))))
	p.line("")
	p.line(fmt.Sprintf("%s · %s: %s", mdCode(causeChecks(g)), plural(len(g.Results), "failure"), mdText(causeProbes(r, g))))
	if refs := unionOf(g.Checks, report.References); len(refs) > 0 {
		p.line("")
		p.line("References: " + mdText(strings.Join(refs, "; ")))
	}
	mdFailureBody(p, r, res)
}

// mdFailures lists the baseline's known failures.
func mdFailures(p *printer, r *report.Report, known bool) {
	var list []report.Result
	for _, res := range r.Results {
		if res.Status == report.StatusFail && res.Known == known {
			list = append(list, res)
		}
	}
	if len(list) == 0 {
		return
	}
	p.line("")
	p.line(fmt.Sprintf("### Known failures (in the baseline): %d", len(list)))
	p.line("")
	for _, res := range list {
		p.line(fmt.Sprintf("- %s %s", mdCode(title(res)), mdText(res.Message)))
	}
}

// mdFailureBody is one failure's detail: message, expected and actual, the
// reproduction and the response.
func mdFailureBody(p *printer, r *report.Report, res report.Result) {
	if res.Message != "" {
		p.line("")
		p.line(mdText(res.Message))
	}
	if res.Expected != "" || res.Actual != "" {
		p.line("")
	}
	if res.Expected != "" {
		p.line("- **Expected:** " + mdCode(res.Expected))
	}
	if res.Actual != "" {
		p.line("- **Actual:** " + mdCode(res.Actual))
	}
	x := res.Exchange
	if x == nil {
		return
	}
	p.line("")
	p.line(mdFence("sh", Reproduce(res, r.Burst)))
	if x.Err != "" {
		p.line("")
		p.line("Error: " + mdCode(x.Err))
	}
	if x.Response != nil {
		p.line("")
		p.line("<details><summary>Response</summary>")
		p.line("")
		p.line(mdFence("http", rawResponse(x.Response, markdownBodyCap)))
		p.line("")
		p.line("</details>")
	}
}

func mdFixed(p *printer, r *report.Report) {
	var fixed []string
	for _, res := range r.Results {
		if res.Fixed {
			fixed = append(fixed, "- "+mdCode(title(res)))
		}
	}
	if len(fixed) == 0 {
		return
	}
	p.line("")
	p.line("### Fixed (in the baseline, passing now): " + fmt.Sprint(len(fixed)))
	p.line("")
	p.line(strings.Join(fixed, "\n"))
}

// mdExtras: the back-offs outside the burst (with the --rate that would
// have avoided them), the burst, the leftovers.
func mdExtras(p *printer, r *report.Report) {
	if len(r.Backoffs) > 0 {
		p.line("")
		line := "**Back-off:** " + mdText(backoffLine(r))
		if r.RateAdvice != "" {
			line += "; " + mdCode(r.RateAdvice) + mdText(rateAdviceTail)
		}
		p.line(line)
	}
	if r.Burst != nil {
		p.line("")
		p.line("**Burst:** " + mdText(burstLine(r.Burst)))
	}
	if len(r.Leftovers) > 0 {
		p.line("")
		p.line("**Leftovers:** " + plural(len(r.Leftovers), "created resource") + " could not be deleted:")
		p.line("")
		for _, l := range r.Leftovers {
			p.line("- " + mdCode(l))
		}
	}
}

// mdText escapes text for Markdown prose: one line, HTML and emphasis
// characters neutralised.
func mdText(s string) string {
	return mdEscaper.Replace(oneLine(s))
}

var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "#", `\#`,
)

// mdCell is text for a table cell.
func mdCell(s string) string { return mdText(s) }

// mdCode renders s as inline code, with a fence long enough for any
// backticks inside; empty text renders as an em dash.
func mdCode(s string) string {
	s = oneLine(s)
	if s == "" {
		return "—"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// mdFence renders a fenced code block whose fence outruns any inside.
func mdFence(lang, body string) string {
	fence := strings.Repeat("`", max(3, longestRun(body, '`')+1))
	return fence + lang + "\n" + strings.TrimRight(clean(body), "\n") + "\n" + fence
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}
