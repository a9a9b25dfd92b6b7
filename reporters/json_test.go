package reporters

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// reportVariants are the reports every schema and well-formedness test
// renders: the fixed set and its edge cases.
func reportVariants() map[string]*report.Report {
	interrupted := fixedReport()
	interrupted.Interrupted = true
	dry := &report.Report{
		Tool: testTool, Version: testVer, Profile: "problem", BaseURL: testBase, DryRun: true,
		Started: started(), Finished: started(),
		Planned: []report.Request{
			labelled(authed("POST", "/v1/calls", `{"name":`), "malformed-json", "malformed.status", "envelope.*"),
			labelled(authed("GET", "/v1/calls/x", ""), "unknown-id", "resources.unknown-id", "envelope.*"),
			{Method: "POST", URL: "http://127.0.0.1:4242/token", Body: "grant_type=client_credentials"},
		},
	}
	backwards := fixedReport()
	backwards.Finished = backwards.Started.Add(-1)
	return map[string]*report.Report{
		"fixed":                fixedReport(),
		"empty":                {},
		"interrupted":          interrupted,
		"dry run":              dry,
		"clock went backwards": backwards,
		"unreachable":          unreachableReport(),
	}
}

// unreachableReport is a run whose target never answered (exit 3).
func unreachableReport() *report.Report {
	return &report.Report{
		Tool: testTool, Version: testVer, Profile: "erzycall", ProfileFile: "errprobe.yaml", BaseURL: testBase,
		Started: started(), Finished: started().Add(40_000_000),
		Error: "target unreachable: " + testBase + ": dial tcp 127.0.0.1:4242: connect: connection refused", ErrorKind: "unreachable",
	}
}

// labelled gives a planned request the probe and checks a dry run labels it with.
func labelled(req report.Request, probe string, checks ...string) report.Request {
	req.Probe, req.Checks = probe, checks
	return req
}

// TestJSON_PlannedLabels: a dry run's planned requests carry the same probe
// and checks as the text dry run's "# probe P → checks" lines.
func TestJSON_PlannedLabels(t *testing.T) {
	r := reportVariants()["dry run"]
	var buf bytes.Buffer
	if err := JSON(&buf, r, gated(r, Options{})); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Planned []struct {
			Probe  *string   `json:"probe"`
			Checks *[]string `json:"checks"`
			Curl   string    `json:"curl"`
		} `json:"planned"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if err := schemas.ValidateReport(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	extra := bytes.Replace(buf.Bytes(), []byte(`"probe":"unknown-id"`), []byte(`"probe":"unknown-id","undeclared":1`), 1)
	if bytes.Equal(extra, buf.Bytes()) {
		t.Fatalf("no planned entry of probe unknown-id:\n%s", buf.String())
	}
	if schemas.ValidateReport(extra) == nil {
		t.Error("the schema accepts a planned entry with an undeclared member")
	}
	var text bytes.Buffer
	if err := Text(&text, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if len(doc.Planned) != len(r.Planned) {
		t.Fatalf("%d planned entries, want %d", len(doc.Planned), len(r.Planned))
	}
	for i, p := range doc.Planned {
		if p.Probe == nil || p.Checks == nil {
			t.Fatalf("planned[%d] lacks probe or checks (null or missing): %s", i, buf.String())
		}
		if *p.Probe == "" {
			continue
		}
		label := plannedLabel(report.Request{Probe: *p.Probe, Checks: *p.Checks})
		if !strings.Contains(text.String(), "# "+label) {
			t.Errorf("planned[%d] labelled %q, which the text dry run does not show:\n%s", i, label, text.String())
		}
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
		mutate  func(*report.Report)
		verdict string
	}
	run := func(t *testing.T, tc testCase) {
		r := fixedReport()
		tc.mutate(r)
		doc := NewJSONDocument(r, gated(r, Options{}))
		if doc.Totals.Verdict != tc.verdict {
			t.Errorf("verdict = %q, want %q", doc.Totals.Verdict, tc.verdict)
		}
		if got := doc.Totals; got.Passed != 5 || got.Failed != 9 || got.Skipped != 2 || got.Known != 1 || got.Fixed != 1 {
			t.Errorf("totals = %+v", got)
		}
	}
	for _, tc := range []testCase{
		{name: "failing", mutate: func(*report.Report) {}, verdict: VerdictFail},
		{name: "interrupted", mutate: func(r *report.Report) { r.Interrupted = true }, verdict: VerdictInterrupted},
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

func TestJSON_ExchangesStoredOnce(t *testing.T) {
	shared := htmlExchange("GET", "/v1/calls/x", "")
	one := &report.Report{Results: []report.Result{{Check: "envelope.json", Probe: "p0", Status: report.StatusFail, Exchange: shared}}}
	many := &report.Report{}
	for i := range 100 {
		many.Results = append(many.Results, report.Result{Check: "envelope.json", Probe: fmt.Sprint("p", i), Status: report.StatusFail, Exchange: shared})
	}
	size := func(r *report.Report) (int, JSONDocument) {
		var buf bytes.Buffer
		if err := JSON(&buf, r, Options{}); err != nil {
			t.Fatal(err)
		}
		var doc JSONDocument
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		return buf.Len(), doc
	}
	n1, _ := size(one)
	n100, doc := size(many)
	if len(doc.Exchanges) != 1 {
		t.Fatalf("%d exchanges for one shared exchange", len(doc.Exchanges))
	}
	for _, r := range doc.Results {
		if r.Exchange == nil || *r.Exchange != 0 {
			t.Fatalf("result %s refers to %v, want exchange 0", r.Probe, r.Exchange)
		}
	}
	// 99 more results cost their own lines (~200 bytes each), not 99 copies of the exchange.
	if per := (n100 - n1) / 99; per > 260 {
		t.Errorf("each further result costs %d bytes", per)
	}
	if len(doc.Groups) != 1 || doc.Groups[0].Count != 100 || doc.Totals.Causes != 1 {
		t.Errorf("groups %+v, want one cause covering 100 results", doc.Groups)
	}
}

func TestJSON_BodyCap(t *testing.T) {
	body := strings.Repeat("x", 3*reportBodyCap)
	x := &report.Exchange{Response: &report.Response{Status: 500, Body: body}}
	doc := NewJSONDocument(&report.Report{Results: []report.Result{{Check: "envelope.json", Status: report.StatusFail, Exchange: x}}}, Options{})
	resp := doc.Exchanges[0].Response
	if resp.BodyLength != len(body) {
		t.Errorf("body_length %d, want %d", resp.BodyLength, len(body))
	}
	if len(resp.Body) > reportBodyCap+64 || !strings.Contains(resp.Body, "more bytes)") {
		t.Errorf("body of %d bytes kept, want it cut at %d with a marker", len(resp.Body), reportBodyCap)
	}
}
