package gate

import (
	"testing"

	"github.com/errprobe/errprobe/report"
)

func gateReport() *report.Report {
	return &report.Report{Results: []report.Result{
		{Check: "auth.revoked-key", Probe: "revoked-key", Severity: report.SeverityError, Status: report.StatusFail},
		{Check: "auth.www-authenticate", Probe: "missing-key", Severity: report.SeverityWarning, Status: report.StatusFail},
		{Check: "envelope.schema", Probe: "unknown-id", Severity: report.SeverityError, Status: report.StatusPass},
		{Check: "auth.expired-key", Probe: "expired-key", Severity: report.SeverityError, Status: report.StatusSkip},
	}}
}

func TestGate_Verdicts(t *testing.T) {
	type testCase struct {
		name     string
		failOn   FailOn
		baseline []BaselineEntry
		keep     func(report.Result) bool // which results of gateReport to keep
		want     Verdict
	}
	all := func(report.Result) bool { return true }
	noErrors := func(r report.Result) bool { return r.Severity != report.SeverityError || r.Status != report.StatusFail }
	passing := func(r report.Result) bool { return r.Status != report.StatusFail }
	run := func(t *testing.T, tc testCase) {
		r := gateReport()
		var kept []report.Result
		for _, res := range r.Results {
			if tc.keep(res) {
				kept = append(kept, res)
			}
		}
		r.Results = kept
		var b *Baseline
		if tc.baseline != nil {
			b = &Baseline{Entries: tc.baseline}
		}
		if got := Decide(r, tc.failOn, b); got != tc.want {
			t.Errorf("Gate = %+v, want %+v", got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{name: "error fails on error", failOn: FailOnError, keep: all, want: Verdict{Failed: true, Errors: 1, Warnings: 1, Security: 1}},
		{name: "security finding fails on security", failOn: FailOnSecurity, keep: all, want: Verdict{Failed: true, Errors: 1, Warnings: 1, Security: 1}},
		{name: "warning only passes on security", failOn: FailOnSecurity, keep: noErrors, want: Verdict{Warnings: 1}},
		{name: "warning only passes on error", failOn: FailOnError, keep: noErrors, want: Verdict{Warnings: 1}},
		{name: "warning only fails on warning", failOn: FailOnWarning, keep: noErrors, want: Verdict{Failed: true, Warnings: 1}},
		{name: "warning only passes on never", failOn: FailOnNever, keep: noErrors, want: Verdict{Warnings: 1}},
		{name: "error passes on never", failOn: FailOnNever, keep: all, want: Verdict{Errors: 1, Warnings: 1, Security: 1}},
		{name: "all passing", failOn: FailOnWarning, keep: passing, want: Verdict{}},
		{
			name: "baseline makes failures known", failOn: FailOnWarning, keep: all,
			baseline: []BaselineEntry{{"auth.revoked-key", "revoked-key"}, {"auth.www-authenticate", "missing-key"}},
			want:     Verdict{Known: 2},
		},
		{
			name: "baseline entry with another probe does not match", failOn: FailOnError, keep: all,
			baseline: []BaselineEntry{{"auth.revoked-key", "garbage-key"}},
			want:     Verdict{Failed: true, Errors: 1, Warnings: 1, Security: 1},
		},
		{
			name: "passing baseline entry is fixed", failOn: FailOnError, keep: passing,
			baseline: []BaselineEntry{{"envelope.schema", "unknown-id"}, {"auth.expired-key", "expired-key"}},
			want:     Verdict{Fixed: 1},
		},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestGate_MarksResults(t *testing.T) {
	r := gateReport()
	b := &Baseline{Entries: []BaselineEntry{{"auth.revoked-key", "revoked-key"}, {"envelope.schema", "unknown-id"}}}
	Decide(r, FailOnError, b)
	if !r.Results[0].Known || r.Results[0].Fixed {
		t.Errorf("revoked-key: Known=%v Fixed=%v, want known", r.Results[0].Known, r.Results[0].Fixed)
	}
	if !r.Results[2].Fixed || r.Results[2].Known {
		t.Errorf("envelope.schema: Known=%v Fixed=%v, want fixed", r.Results[2].Known, r.Results[2].Fixed)
	}
	// Gating again without a baseline clears the marks.
	Decide(r, FailOnError, nil)
	if r.Results[0].Known || r.Results[2].Fixed {
		t.Error("marks survived a gate without a baseline")
	}
}

func TestParseFailOn_Values(t *testing.T) {
	for _, s := range []string{"error", "warning", "never", "security"} {
		if f, err := ParseFailOn(s); err != nil || string(f) != s {
			t.Errorf("ParseFailOn(%q) = %q, %v", s, f, err)
		}
	}
	if _, err := ParseFailOn("fatal"); err == nil {
		t.Error("ParseFailOn(fatal) succeeded")
	}
}
