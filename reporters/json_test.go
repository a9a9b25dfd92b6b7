package reporters

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/schemas"
)

// reportVariants are the reports every schema and well-formedness test
// renders: the fixed set and its edge cases.
func reportVariants() map[string]*checks.Report {
	interrupted := fixedReport()
	interrupted.Interrupted = true
	dry := &checks.Report{
		Tool: testTool, Version: testVer, Profile: "problem", BaseURL: testBase, DryRun: true,
		Started: started(), Finished: started(),
		Planned: []checks.Request{authed("POST", "/v1/calls", `{"name":`), authed("GET", "/v1/calls/x", "")},
	}
	backwards := fixedReport()
	backwards.Finished = backwards.Started.Add(-1)
	return map[string]*checks.Report{
		"fixed":                fixedReport(),
		"empty":                {},
		"interrupted":          interrupted,
		"dry run":              dry,
		"clock went backwards": backwards,
	}
}

func TestJSON_MatchesSchema(t *testing.T) {
	for name, r := range reportVariants() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := JSON(&buf, r, gated(r, Options{})); err != nil {
				t.Fatal(err)
			}
			if err := schemas.ValidateReport(buf.Bytes()); err != nil {
				t.Errorf("%v\n%s", err, buf.String())
			}
		})
	}
}

func TestJSON_Totals(t *testing.T) {
	type testCase struct {
		name    string
		mutate  func(*checks.Report)
		verdict string
	}
	run := func(t *testing.T, tc testCase) {
		r := fixedReport()
		tc.mutate(r)
		doc := NewJSONDocument(r, gated(r, Options{}))
		if doc.Totals.Verdict != tc.verdict {
			t.Errorf("verdict = %q, want %q", doc.Totals.Verdict, tc.verdict)
		}
		if got := doc.Totals; got.Passed != 5 || got.Failed != 6 || got.Skipped != 2 || got.Known != 1 || got.Fixed != 1 {
			t.Errorf("totals = %+v", got)
		}
	}
	for _, tc := range []testCase{
		{name: "failing", mutate: func(*checks.Report) {}, verdict: VerdictFail},
		{name: "interrupted", mutate: func(r *checks.Report) { r.Interrupted = true }, verdict: VerdictInterrupted},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestReportSchema_RejectsDrift(t *testing.T) {
	var buf bytes.Buffer
	r := fixedReport()
	if err := JSON(&buf, r, gated(r, Options{})); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	doc["surprise"] = true
	bad, _ := json.Marshal(doc)
	if err := schemas.ValidateReport(bad); err == nil {
		t.Error("the schema accepted an unknown top-level member")
	}
}
