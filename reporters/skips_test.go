package reporters

import (
	"bytes"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
)

// keylessReport is a run without a key: one check passed, many skipped for
// one reason (some quoting it), one skipped for its own.
func keylessReport() *report.Report {
	const reason = "keys.valid not set ($ERRPROBE_API_KEY is empty)"
	r := &report.Report{
		Tool: testTool, Version: testVer, Profile: "erzycall", BaseURL: testBase,
		Started: started(), Finished: started().Add(testLength), Requests: 3, Keyless: reason,
	}
	r.Results = append(r.Results, report.Result{Check: "auth.missing-key", Suite: "auth", Probe: "missing-key", Status: report.StatusPass})
	for _, p := range []string{"truncated-json", "not-json", "empty-body", "method"} {
		for _, c := range []string{"malformed.x", "envelope.schema", "envelope.json"} {
			r.Results = append(r.Results, report.Result{Check: c, Suite: strings.Split(c, ".")[0], Probe: p, Status: report.StatusSkip, Message: reason})
		}
	}
	r.Results = append(r.Results,
		report.Result{Check: "idempotency.replay", Suite: "idempotency", Probe: "replay", Status: report.StatusSkip, Message: "no evidence: 2 of 2 requests got no complete answer (not sent: " + reason + ")"},
		report.Result{Check: "resources.internal", Suite: "resources", Probe: "internal", Status: report.StatusSkip, Message: "endpoints.server_error not set"},
	)
	return r
}

func TestText_SharedSkipSaidOnce(t *testing.T) {
	t.Parallel()
	out := render(t, "text", keylessReport(), Options{})
	golden(t, "report-keyless.txt", []byte(out))
	if n := strings.Count(out, "ERRPROBE_API_KEY"); n != 2 {
		t.Errorf("the missing key is named on %d lines, want 2 (the banner and one skip line):\n%s", n, out)
	}
	if !strings.Contains(out, "(13 results of 4 checks in malformed, envelope, idempotency; -v lists each)") {
		t.Errorf("the shared skip line does not count what it stands for:\n%s", out)
	}
	if !strings.Contains(out, "resources.internal (internal)  endpoints.server_error not set") {
		t.Errorf("a skip with its own reason is not listed in its suite:\n%s", out)
	}
	verbose := render(t, "text", keylessReport(), Options{Verbose: true})
	if n := strings.Count(verbose, "ERRPROBE_API_KEY"); n != 14 {
		t.Errorf("-v names the key on %d lines, want every skip (13) and the banner", n)
	}
}

func TestText_VerdictLine(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name string
		r    *report.Report
		want string
	}
	run := func(t *testing.T, tc testCase) {
		var buf bytes.Buffer
		if err := Text(&buf, tc.r, Options{FailOn: "error"}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, tc.want) {
			t.Errorf("last line %q, want it to start with %q", last, tc.want)
		}
	}
	notRun := &report.Report{NothingTested: "no check ran: every selected check was skipped",
		Results: []report.Result{{Check: "custom.x", Suite: "custom", Status: report.StatusSkip, Message: "m"}}}
	for _, tc := range []testCase{
		{name: "pass", r: &report.Report{Results: []report.Result{{Check: "a.b", Suite: "a", Status: report.StatusPass}}}, want: "PASS at --fail-on error"},
		{name: "nothing tested", r: notRun, want: "NOT RUN"},
		{name: "no results", r: &report.Report{NothingTested: "no check ran"}, want: "NOT RUN"},
		{name: "dry run", r: reportVariants()["dry run"], want: "DRY RUN"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
	for _, name := range []string{"nothing tested", "dry run"} {
		var r *report.Report
		if name == "dry run" {
			r = reportVariants()["dry run"]
		} else {
			r = notRun
		}
		var buf bytes.Buffer
		_ = Text(&buf, r, Options{})
		if strings.Contains(buf.String(), "PASS") {
			t.Errorf("%s: PASS printed:\n%s", name, buf.String())
		}
		var md bytes.Buffer
		_ = Markdown(&md, r, Options{})
		if strings.Contains(md.String(), "✅") {
			t.Errorf("%s: Markdown shows ✅:\n%s", name, md.String())
		}
	}
}

// A shared reason that quotes a shorter shared one folds into it.
func TestSharedSkips_FoldsQuotingReasons(t *testing.T) {
	t.Parallel()
	r := keylessReport()
	for _, p := range []string{"delete", "conflict", "cross-tenant"} {
		r.Results = append(r.Results, report.Result{Check: "resources." + p, Suite: "resources", Probe: p, Status: report.StatusSkip,
			Message: "no evidence: the set-up request did not succeed: got not sent: " + r.Keyless})
	}
	got := sharedSkips(r.Results)
	if len(got) != 1 || got[0].Reason != r.Keyless || got[0].Count != 16 {
		t.Errorf("sharedSkips = %+v, want one reason (the missing key) counting 16", got)
	}
}
