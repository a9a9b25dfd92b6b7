package reporters

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/errprobe/errprobe/gate"
	"github.com/errprobe/errprobe/report"
)

// Marks used by the Text reporter.
const (
	markPass = "✓"
	markFail = "✗"
	markSkip = "−"
	markOK   = "≈" // an accepted deviation
)

// bodyPreview caps a response body shown in the terminal.
const bodyPreview = 300

// Text renders the terminal report: results grouped by suite, each failure
// with expected vs actual and a curl command that reproduces it, and the
// closing line "N passed, N failed, N skipped".
func Text(w io.Writer, r *report.Report, o Options) error {
	t := &textReport{p: &printer{w: w, width: o.Width}, r: r, o: o, s: newStyles(o.Color)}
	t.header()
	t.causes()
	t.planned()
	t.shared = sharedSkips(r.Results)
	for _, s := range bySuite(r) {
		t.suite(s)
	}
	if !o.Quiet {
		t.skips()
		t.burst()
	}
	t.leftovers()
	t.summary()
	return t.p.err
}

type textReport struct {
	p *printer
	r *report.Report
	o Options
	s styles
	// shown maps a cause (check and signature) to the probe whose failure
	// was shown in full; later failures of that cause are one line.
	shown map[string]string
	// shared are the skip reasons many results give, said once with a
	// count after the suites (each result listed with -v).
	shared []skipReason
}

// firstOfCause returns the probe of an earlier failure with res's cause,
// and records res as the first when there is none.
func (t *textReport) firstOfCause(res report.Result) (string, bool) {
	if t.shown == nil {
		t.shown = map[string]string{}
	}
	key := res.Check + "\x00" + fmt.Sprintf("%+v", report.SignatureOf(res))
	if p, ok := t.shown[key]; ok {
		return p, true
	}
	t.shown[key] = res.Probe
	return "", false
}

func (t *textReport) header() {
	if t.r.Interrupted {
		t.p.line(t.s.banner.Sprint(" INTERRUPTED ") + " the run was stopped; results cover only what completed")
		t.p.gap()
	}
	if t.r.NothingTested != "" && !t.r.Interrupted {
		t.p.line(t.s.banner.Sprint(" NOT RUN ") + " " + oneLine(t.r.NothingTested) + "; this run does not pass")
	}
	if t.r.Keyless != "" {
		t.p.line(t.s.banner.Sprint(" KEYLESS ") + " " + oneLine(t.r.Keyless) + ": " + KeylessDid(t.r))
		t.p.gap()
	}
	if t.r.Stopped != "" {
		t.p.line(t.s.banner.Sprint(" STOPPED ") + " " + oneLine(t.r.Stopped) + "; results cover only what completed")
		t.p.gap()
	}
	if t.o.Quiet {
		return
	}
	t.p.line(t.s.bold.Sprintf("%s %s", nonEmpty(t.r.Tool, "errprobe"), t.r.Version) +
		t.s.dim.Sprintf(" · profile %s · %s", oneLine(t.r.Profile), oneLine(t.r.BaseURL)))
}

// KeylessDid says what a run without a valid key did: ran, or in a dry
// run listed, only the probes that need no key (the text report's KEYLESS
// line and the stderr note say it alike).
func KeylessDid(r *report.Report) string {
	if r.DryRun {
		return "the dry run lists only the requests that need no key; the others would not be sent"
	}
	return "ran only the probes that need no key, the rest are skipped"
}

func (t *textReport) planned() {
	if !t.r.DryRun {
		return
	}
	t.p.gap()
	total := t.r.PlanTotal
	if total == 0 {
		total = len(t.r.Planned)
	}
	t.p.line(t.s.bold.Sprintf("dry run: %d requests at most, none sent", total))
	for _, it := range t.r.Plan {
		t.p.line(fmt.Sprintf("  %5d  %s", it.Requests, oneLine(it.What)))
	}
	for _, req := range t.r.Planned {
		if req.Probe != "" {
			t.p.line(t.s.dim.Sprint("  # " + oneLine(plannedLabel(req))))
		}
		t.p.code(indent(clean(Curl(req)), "  "))
	}
}

// plannedLabel names a planned request's probe and the checks it feeds:
// "probe unknown-id → resources.unknown-id, envelope.*".
func plannedLabel(req report.Request) string {
	label := "probe " + req.Probe
	if len(req.Checks) > 0 {
		label += " → " + strings.Join(req.Checks, ", ")
	}
	return label
}

func (t *textReport) suite(s suite) {
	c := count(s.Results)
	if t.o.Quiet && c.Failed == 0 {
		return
	}
	t.p.gap()
	t.p.line(t.s.bold.Sprint(s.Name) + t.s.dim.Sprintf("  %d passed, %d failed, %d skipped", c.Passed, c.Failed, c.Skipped))
	if t.o.Verbose {
		for _, res := range s.Results {
			t.result(res)
		}
		return
	}
	for _, g := range byCheck(s.Results) {
		t.check(g)
	}
}

// check prints one check's results: passes folded into one line, then each
// failure, skip and fix on its own.
func (t *textReport) check(results []report.Result) {
	var passed []report.Result
	for _, res := range results {
		if res.Status == report.StatusPass && !res.Fixed {
			passed = append(passed, res)
		}
	}
	if len(passed) > 0 && !t.o.Quiet {
		t.p.line("  " + t.s.pass.Sprint(markPass) + " " + oneLine(passed[0].Check) + t.s.dim.Sprint(suffix(" ", probes(passed))))
	}
	for _, res := range results {
		if res.Status != report.StatusPass || res.Fixed {
			t.result(res)
		}
	}
}

func probes(results []report.Result) string {
	if len(results) == 1 {
		if results[0].Probe == "" {
			return ""
		}
		return "(" + oneLine(results[0].Probe) + ")"
	}
	return fmt.Sprintf("(%d probes)", len(results))
}

func (t *textReport) result(res report.Result) {
	switch res.Status {
	case report.StatusFail:
		t.failure(res)
	case report.StatusAccepted:
		t.p.line("  " + t.s.skip.Sprint(markOK+" "+oneLine(title(res))) + "  accepted: " + oneLine(res.Accepted) +
			t.s.dim.Sprint(suffix("  — ", oneLine(res.Message))))
	case report.StatusSkip:
		if !t.o.Quiet && (t.o.Verbose || !t.isShared(res)) {
			t.p.line("  " + t.s.skip.Sprint(markSkip+" "+oneLine(title(res))) + t.s.dim.Sprint(suffix("  ", oneLine(res.Message))))
		}
	default:
		if t.o.Quiet {
			return
		}
		tag := ""
		if res.Fixed {
			tag = "  " + t.s.fixed.Sprint("fixed") + t.s.dim.Sprint(" (in the baseline, passes now)")
		}
		t.p.line("  " + t.s.pass.Sprint(markPass) + " " + oneLine(title(res)) + tag)
		if t.o.Verbose {
			t.exchange(res)
		}
	}
}

func (t *textReport) failure(res report.Result) {
	tags := ""
	if report.IsSecurity(res.Check) {
		tags += "  " + t.s.security.Sprint("security")
	}
	if res.Severity == report.SeverityWarning {
		tags += "  " + t.s.warn.Sprint("warning")
	}
	if res.SeverityReason != "" {
		tags += t.s.dim.Sprint(" (severity set by the profile: " + oneLine(res.SeverityReason) + ")")
	}
	if res.Known {
		tags += "  " + t.s.known.Sprint("known") + t.s.dim.Sprint(" (in the baseline)")
	}
	if first, ok := t.firstOfCause(res); ok && !t.o.Verbose {
		t.p.line("  " + t.s.fail.Sprint(markFail) + " " + oneLine(title(res)) + tags + t.s.dim.Sprint("  same cause as ("+oneLine(first)+") above"))
		return
	}
	t.p.line("  " + t.s.fail.Sprint(markFail) + " " + oneLine(title(res)) + tags)
	const pad = "      "
	if res.Message != "" {
		t.p.line(indent(clean(res.Message), pad))
	}
	if !saysBoth(res) {
		if res.Expected != "" {
			t.p.line(pad + t.s.dim.Sprint("expected: ") + oneLine(res.Expected))
		}
		if res.Actual != "" {
			t.p.line(pad + t.s.dim.Sprint("actual:   ") + oneLine(res.Actual))
		}
	}
	if res.Known && !t.o.Verbose {
		return
	}
	t.exchange(res)
}

// exchange prints the response seen and the commands that reproduce it.
func (t *textReport) exchange(res report.Result) {
	x := res.Exchange
	if x == nil {
		return
	}
	const pad = "      "
	if x.Err != "" {
		t.p.line(pad + t.s.dim.Sprint("error:    ") + oneLine(x.Err))
	}
	if resp := x.Response; resp != nil {
		t.p.line(pad + t.s.dim.Sprint("response: ") + responseLine(resp))
		if resp.Body != "" {
			t.p.line(pad + t.s.dim.Sprint("body:     ") + oneLine(truncate(resp.Body, bodyPreview)))
		}
	}
	if t.o.Verbose {
		t.p.line(pad + t.s.dim.Sprint("headers:  ") + headerLine(x))
	}
	t.p.line(pad + t.s.dim.Sprint("reproduce:"))
	t.p.code(indent(clean(Reproduce(res, t.r.Burst)), pad+"  "))
}

func responseLine(resp *report.Response) string {
	line := fmt.Sprintf("HTTP %d", resp.Status)
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		line += " · Content-Type: " + oneLine(ct)
	}
	line += fmt.Sprintf(" · %d bytes", resp.Size())
	if resp.Truncated {
		line += " (truncated)"
	}
	return line
}

func headerLine(x *report.Exchange) string {
	if x.Response == nil || len(x.Response.Header) == 0 {
		return "(none)"
	}
	var parts []string
	for _, k := range sortedKeys(x.Response.Header) {
		parts = append(parts, k+": "+strings.Join(x.Response.Header[k], ", "))
	}
	return oneLine(truncate(strings.Join(parts, " · "), 4*bodyPreview))
}

func (t *textReport) burst() {
	if len(t.r.Backoffs) > 0 {
		t.p.gap()
		t.p.line(t.s.bold.Sprint("back-off") + " " + backoffLine(t.r))
		if t.r.RateAdvice != "" {
			t.p.line("  " + t.r.RateAdvice + rateAdviceTail)
		}
	}
	b := t.r.Burst
	if b == nil {
		return
	}
	t.p.gap()
	t.p.line(t.s.bold.Sprint("burst") + " " + burstLine(b))
}

// backoffLine says how many 429s/503s outside the burst were waited out,
// and how long in all.
func backoffLine(r *report.Report) string {
	var wait time.Duration
	for _, b := range r.Backoffs {
		wait += b.Wait
	}
	return fmt.Sprintf("%s outside the burst waited out once (%ss in all)", plural(len(r.Backoffs), limitedName(r.Backoffs)), seconds(wait))
}

// rateAdviceTail follows the --rate (report.RateAdvice) that would have
// avoided the back-offs.
const rateAdviceTail = " would have avoided them: the probes outran the API's limit"

// limitedName names what the back-offs waited out: "429", "503" or
// "429/503".
func limitedName(bs []report.Backoff) string {
	seen := map[int]bool{}
	for _, b := range bs {
		seen[b.Status] = true
	}
	switch {
	case seen[503] && (seen[429] || seen[0]):
		return "429/503"
	case seen[503]:
		return "503"
	}
	return "429"
}

func burstLine(b *report.BurstStats) string {
	perSecond := fmt.Sprintf("%.1f", b.Rate)
	if b.Rate <= 0 {
		perSecond = rate(b.Sent, b.Elapsed.Seconds())
	}
	line := fmt.Sprintf("%d sent in %ss (%s/s), %d × 429", b.Sent, seconds(b.Elapsed), perSecond, b.Status429)
	if b.Errors > 0 {
		line += fmt.Sprintf(", %s", plural(b.Errors, "network error"))
	}
	if b.Status429 > 0 {
		line += fmt.Sprintf(", first after %ss", seconds(b.FirstLimit))
	}
	line += fmt.Sprintf(" · latency p50 %s p90 %s p99 %s", ms(b.LatencyP50), ms(b.LatencyP90), ms(b.LatencyP99))
	if b.RecoveryWait > 0 {
		line += fmt.Sprintf(" · recovery wait %ss", seconds(b.RecoveryWait))
	}
	if b.FreshWait > 0 {
		line += fmt.Sprintf(" · started on a fresh window after waiting %ss for the reset", seconds(b.FreshWait))
	}
	return line
}

func (t *textReport) leftovers() {
	if len(t.r.StaleAccepts) > 0 {
		t.p.gap()
		for _, l := range t.r.StaleAccepts {
			t.p.line(t.s.warn.Sprint(oneLine(l)))
		}
	}
	if len(t.r.Leftovers) == 0 {
		return
	}
	t.p.gap()
	t.p.line(t.s.warn.Sprintf("leftovers: %s could not be deleted", plural(len(t.r.Leftovers), "created resource")))
	for _, l := range t.r.Leftovers {
		t.p.line("  - " + oneLine(l))
	}
}

// summary prints the plain closing line "N passed, N failed, N skipped" and,
// on the next line, baseline marks and the verdict.
func (t *textReport) summary() {
	c := count(t.r.Results)
	t.p.gap()
	if !t.o.Quiet {
		t.p.line(t.s.dim.Sprintf("%d requests in %ss", t.r.Requests, seconds(elapsed(t.r))))
	}
	failed := strconv.Itoa(c.Failed) + " failed"
	if g := t.r.Guessed(); g > 0 {
		failed += fmt.Sprintf(" (%d on a guess, graded warning)", g)
	}
	t.p.line(fmt.Sprintf("%d passed, %s, %d skipped", c.Passed, failed, c.Skipped))
	var notes []string
	if c.Known > 0 || c.Fixed > 0 {
		notes = append(notes, fmt.Sprintf("(%d known, %d fixed)", c.Known, c.Fixed))
	}
	if c.Accepted > 0 {
		notes = append(notes, "("+plural(c.Accepted, "accepted deviation")+")")
	}
	notes = append(notes, t.verdict())
	t.p.line(strings.Join(notes, " "))
}

func (t *textReport) verdict() string {
	v := t.o.Verdict
	switch {
	case t.r.Interrupted:
		return t.s.banner.Sprint("INTERRUPTED")
	case v.Failed && t.o.FailOn == gate.FailOnSecurity:
		return t.s.fail.Sprint("FAIL") + t.s.dim.Sprintf(" at --fail-on security: %s", plural(v.Security, "new security finding"))
	case v.Failed:
		return t.s.fail.Sprint("FAIL") + t.s.dim.Sprintf(" at --fail-on %s: %s", nonEmpty(string(t.o.FailOn), "error"), plural(v.Errors, "new error")+", "+plural(v.Warnings, "new warning"))
	case t.r.DryRun:
		return t.s.banner.Sprint("DRY RUN") + t.s.dim.Sprint(" nothing was sent, nothing was tested")
	case t.r.NothingTested != "":
		return t.s.banner.Sprint("NOT RUN") + t.s.dim.Sprint(" nothing was tested; this run does not pass")
	default:
		return t.s.pass.Sprint("PASS") + t.s.dim.Sprint(suffix(" at --fail-on ", string(t.o.FailOn)))
	}
}

// byCheck groups a suite's results by check ID, checks in order of first
// appearance.
func byCheck(results []report.Result) [][]report.Result {
	var out [][]report.Result
	index := map[string]int{}
	for _, res := range results {
		i, ok := index[res.Check]
		if !ok {
			i = len(out)
			index[res.Check] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], res)
	}
	return out
}

// saysBoth reports whether the message already states both the expected and
// the actual value ("got 403 X, want 404 Y"), so the lines would repeat it.
func saysBoth(res report.Result) bool {
	return res.Expected != "" && res.Actual != "" &&
		strings.Contains(res.Message, res.Expected) && strings.Contains(res.Message, res.Actual)
}
