package reporters

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// harReport is the fixed report with the run's exchanges recorded: two
// probes' requests, a burst sample and a network failure.
func harReport() *report.Report {
	r := fixedReport()
	sent := htmlExchange("POST", "/v1/calls", "hello")
	sent.Started, sent.Probe = started().Add(10_000_000), "not-json"
	sample := &report.Exchange{Request: authed("GET", "/v1/calls", ""), Response: jsonResponse(429, `{"error":{"code":"RATE_LIMITED"}}`), Probe: "burst", Burst: true}
	failed := &report.Exchange{Request: authed("GET", "/v1/calls/x?expand=1", ""), Err: "connection reset", Started: started().Add(20_000_000), Probe: "unknown-id"}
	binary := &report.Exchange{Request: authed("GET", "/v1/blob", ""), Response: &report.Response{Status: 500, Body: "\xff\xfe"}, Started: started().Add(30_000_000)}
	r.Exchanges = []*report.Exchange{sent, failed, sample, binary}
	return r
}

func TestHAR_Golden(t *testing.T) {
	golden(t, "report.har", []byte(render(t, "har", harReport(), Options{})))
}

func TestHAR_ValidAndMasked(t *testing.T) {
	for name, r := range map[string]*report.Report{"exchanges": harReport(), "results only": fixedReport(), "empty": {}} {
		t.Run(name, func(t *testing.T) {
			out := render(t, "har", r, Options{})
			if err := schemas.ValidateHAR([]byte(out)); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if strings.Contains(out, testKey) || strings.Contains(out, testKey[len(testKey)-12:]) {
				t.Error("HAR holds bytes of the key")
			}
		})
	}
}

func TestHAR_Entries(t *testing.T) {
	var doc harDocument
	if err := json.Unmarshal([]byte(render(t, "har", harReport(), Options{})), &doc); err != nil {
		t.Fatal(err)
	}
	es := doc.Log.Entries
	if len(es) != 4 {
		t.Fatalf("%d entries, want one per exchange (4)", len(es))
	}
	if b := es[2].Burst; b == nil || b.Sent != 40 || b.Status429 != 20 {
		t.Errorf("burst sample carries %+v, want the burst's counts (40 sent, 20 × 429)", b)
	}
	if es[1].Response.Status != 0 || es[1].Error != "connection reset" {
		t.Errorf("network failure: status %d error %q", es[1].Response.Status, es[1].Error)
	}
	if q := es[1].Request.QueryString; len(q) != 1 || q[0].Name != "expand" {
		t.Errorf("queryString %+v", q)
	}
	if c := es[3].Response.Content; c.Encoding != "base64" || c.Text != "//4=" {
		t.Errorf("binary body as %+v, want base64", c)
	}
}

// The schema is a real check: it rejects a log without entries' timings.
func TestValidateHAR_Rejects(t *testing.T) {
	var buf bytes.Buffer
	if err := HAR(&buf, harReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(buf.String(), `"timings"`, `"timing"`, 1)
	if err := schemas.ValidateHAR([]byte(bad)); err == nil {
		t.Error("accepted an entry without timings")
	}
}
