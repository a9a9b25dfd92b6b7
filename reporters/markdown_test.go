package reporters

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
)

func TestMarkdown_CapsDetailedFailures(t *testing.T) {
	r := bigReport()
	for i := range r.Results {
		r.Results[i].Code = fmt.Sprintf("E%d", i) // every failure its own cause
	}
	var buf bytes.Buffer
	if err := Markdown(&buf, r, gated(r, Options{})); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if n := strings.Count(out, "\n#### ✗"); n != mdMaxDetailed {
		t.Errorf("%d detailed causes, want %d", n, mdMaxDetailed)
	}
	if !strings.Contains(out, "… and ") {
		t.Error("no list of the remaining failures")
	}
	if len(out) > 65536 {
		t.Errorf("markdown is %d bytes, over a PR comment's 65536", len(out))
	}
}

func TestMdCode_Backticks(t *testing.T) {
	type testCase struct{ in, want string }
	run := func(t *testing.T, tc testCase) {
		if got := mdCode(tc.in); got != tc.want {
			t.Errorf("mdCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{"plain", "`plain`"},
		{"a`b", "``a`b``"},
		{"`x`", "`` `x` ``"},
		{"", "—"},
		{"two\nlines", "`two lines`"},
	} {
		t.Run(tc.in, func(t *testing.T) { run(t, tc) })
	}
}

func TestMarkdown_LeadsWithCauses(t *testing.T) {
	r := bigReport() // 500 results sharing the fixed report's exchanges
	out := render(t, "markdown", r, Options{})
	lines := strings.Split(out, "\n")
	// 7 causes: the revoked and the query-string key both answer 200
	// instead of 401 (no baseline matches the renamed probes).
	if len(lines) < 5 || !strings.HasPrefix(lines[4], "**7 causes, ") {
		t.Errorf("line 5 = %q, want the causes headline", lines[4])
	}
	if n := strings.Count(out, "\n#### ✗"); n != 7 {
		t.Errorf("%d detailed causes, want 7 (one per cause, not per failure)", n)
	}
	if first := strings.Index(out, "#### ✗"); first < 0 || !strings.Contains(out[first:first+40], "security") {
		t.Errorf("first cause is not the security one:\n%s", out[first:first+80])
	}
}

// Accepted deviations are listed with their reason, never dropped; stale
// acceptances are said.
func TestMarkdown_Accepted(t *testing.T) {
	r := &report.Report{Tool: "errprobe", Profile: "p", BaseURL: "http://h",
		Results: []report.Result{{Check: "auth.www-authenticate", Suite: "auth", Probe: "missing-key", Status: report.StatusAccepted,
			Accepted: "gateway strips it; OPS-12", Message: "401 without WWW-Authenticate"}},
		StaleAccepts: []string{"accepted deviation no longer seen: auth.x passes"}}
	var b strings.Builder
	if err := Markdown(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Accepted deviations: 1", "OPS-12", "no longer seen: auth.x"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, b.String())
		}
	}
}
