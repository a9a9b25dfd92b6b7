package reporters

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"testing"
	"unicode/utf8"

	"github.com/errprobe/errprobe/report"
)

// hostileReport is a report whose one failure carries arbitrary text from a
// hostile target: message, values, URL, header and response body.
func hostileReport(msg, body string) *report.Report {
	r := fixedReport()
	r.Results = []report.Result{{
		Check: "envelope.no-leak", Suite: "envelope", Severity: report.SeverityError, Probe: msg, Status: report.StatusFail,
		Message: msg, Expected: body, Actual: msg + body,
		Exchange: &report.Exchange{
			Request: report.Request{Method: "POST", URL: testBase + "/" + msg, Body: body,
				Header: http.Header{"X-Fuzz": {msg}}, KeyHeader: "X-Fuzz", KeyEnv: "ERRPROBE_API_KEY"},
			Response: &report.Response{Status: 500, Header: http.Header{"X-Echo": {msg}}, Body: body},
			Err:      msg,
		},
	}}
	r.Leftovers = []string{msg}
	return r
}

func fuzzSeeds(f *testing.F) {
	f.Add("plain message", `{"error":{"code":"X"}}`)
	f.Add("nul \x00 bell \x07 esc \x1b[31m", "\xff\xfe invalid utf-8 \xc3\x28")
	f.Add("]]> cdata end", "<![CDATA[ ]]> ]]]]><![CDATA[>")
	f.Add("\uFFFE\uFFFF nonchars \u0085 C1", "\ud7ff\ue000 edges \U0010FFFF")
	f.Add("quotes ' \" & < >", "\r\n\t whitespace")
}

func FuzzJUnit(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, msg, body string) {
		var buf bytes.Buffer
		if err := JUnit(&buf, hostileReport(msg, body), Options{}); err != nil {
			t.Fatal(err)
		}
		out := buf.Bytes()
		if !utf8.Valid(out) {
			t.Fatal("JUnit output is not valid UTF-8")
		}
		if err := wellFormed(out); err != nil {
			t.Fatalf("JUnit output is not well-formed XML: %v\n%s", err, out)
		}
		var doc junitTestsuites
		if err := xml.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 1 || doc.Suites[0].Cases[0].Failure == nil {
			t.Fatalf("structure lost: %+v", doc)
		}
	})
}

func FuzzJSON(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, msg, body string) {
		var buf bytes.Buffer
		if err := JSON(&buf, hostileReport(msg, body), Options{}); err != nil {
			t.Fatal(err)
		}
		out := buf.Bytes()
		if !utf8.Valid(out) || !json.Valid(out) {
			t.Fatalf("JSON output is not valid:\n%s", out)
		}
		var doc JSONDocument
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Results) != 1 || doc.Results[0].Exchange == nil || len(doc.Exchanges) != 1 || doc.Exchanges[0].Response == nil {
			t.Fatalf("structure lost: %+v", doc.Results)
		}
	})
}
