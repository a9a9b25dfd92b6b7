package checks

import (
	"net/http"
	"testing"

	"github.com/errprobe/errprobe/report"
)

func TestReport_Groups(t *testing.T) {
	html := &report.Exchange{Response: &report.Response{Status: 400, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}}}
	html2 := &report.Exchange{Response: &report.Response{Status: 400, Header: http.Header{"Content-Type": {"text/html"}}}}
	other := &report.Exchange{Response: &report.Response{Status: 404, Header: http.Header{"Content-Type": {"application/xml"}}}}
	html404 := &report.Exchange{Response: &report.Response{Status: 404, Header: http.Header{"Content-Type": {"text/html"}}}}
	served := &report.Exchange{Response: &report.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}}}
	r := &report.Report{Results: []report.Result{
		{Check: report.EnvelopeContentType, Probe: "a", Status: report.StatusFail, Exchange: html, Message: "text/html"},
		{Check: report.EnvelopeContentType, Probe: "b", Status: report.StatusFail, Exchange: html2, Message: "text/html"},
		{Check: report.EnvelopeContentType, Probe: "c", Status: report.StatusPass, Exchange: html2},
		{Check: report.EnvelopeContentType, Probe: "d", Status: report.StatusFail, Exchange: other},
		// Another status, the same HTML: envelope.content-type looks only at the Content-Type.
		{Check: report.EnvelopeContentType, Probe: "e", Status: report.StatusFail, Exchange: html404},
		// envelope.status-match looks at status and code: two causes.
		{Check: report.EnvelopeStatusMatch, Probe: "a", Status: report.StatusFail, Exchange: html, Code: "NOT_FOUND"},
		{Check: report.EnvelopeStatusMatch, Probe: "e", Status: report.StatusFail, Exchange: html404, Code: "NOT_FOUND"},
		{Check: report.EnvelopeJSON, Probe: "a", Status: report.StatusFail, Exchange: html},
		{Check: report.ResourcesTenantBreach, Probe: "cross-tenant", Status: report.StatusFail, Exchange: served},
	}}
	gs := r.Groups()
	if len(gs) != 6 {
		t.Fatalf("%d groups, want 6: %+v", len(gs), gs)
	}
	if gs[0].Check != report.ResourcesTenantBreach || !gs[0].Security {
		t.Errorf("first group %s (security %v), want the security finding first", gs[0].Check, gs[0].Security)
	}
	if g := gs[1]; g.Check != report.EnvelopeContentType || len(g.Results) != 3 || g.Results[0] != 0 || g.Results[1] != 1 || g.Results[2] != 4 {
		t.Errorf("second group %s covers %v, want envelope.content-type over results 0, 1 and 4", g.Check, g.Results)
	}
	if s := gs[1].Signature.String(); s != "text/html" {
		t.Errorf("signature %q, want \"text/html\"", s)
	}
	if g := gs[3]; g.Check != report.EnvelopeStatusMatch || len(g.Results) != 1 || g.Signature.String() != "400 NOT_FOUND" {
		t.Errorf("status-match group %s %q covers %v, want one of 400 NOT_FOUND", g.Check, g.Signature, g.Results)
	}
}

func TestSetupOf(t *testing.T) {
	ex := func(method string, status int) *report.Exchange {
		return &report.Exchange{Request: report.Request{Method: method}, Response: &report.Response{Status: status}}
	}
	create, refused, read, failing := ex("POST", 201), ex("POST", 400), ex("GET", 200), ex("GET", 200)
	exs := []*report.Exchange{read, refused, create, failing}
	if got := setupOf(failing, exs); len(got) != 1 || got[0] != create {
		t.Errorf("setup %v, want only the 201 create (not the read, not the refused POST)", got)
	}
	if got := setupOf(create, exs); len(got) != 0 {
		t.Errorf("setup of the create itself: %v", got)
	}
	if got := setupOf(ex("GET", 200), exs); got != nil {
		t.Errorf("setup of a foreign exchange: %v", got)
	}
}
