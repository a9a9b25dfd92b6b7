package checks

import (
	"net/http"
	"testing"
)

func TestReport_Groups(t *testing.T) {
	html := &Exchange{Response: &Response{Status: 400, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}}}
	html2 := &Exchange{Response: &Response{Status: 400, Header: http.Header{"Content-Type": {"text/html"}}}}
	other := &Exchange{Response: &Response{Status: 404, Header: http.Header{"Content-Type": {"application/xml"}}}}
	html404 := &Exchange{Response: &Response{Status: 404, Header: http.Header{"Content-Type": {"text/html"}}}}
	served := &Exchange{Response: &Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}}}
	r := &Report{Results: []Result{
		{Check: EnvelopeContentType, Probe: "a", Status: StatusFail, Exchange: html, Message: "text/html"},
		{Check: EnvelopeContentType, Probe: "b", Status: StatusFail, Exchange: html2, Message: "text/html"},
		{Check: EnvelopeContentType, Probe: "c", Status: StatusPass, Exchange: html2},
		{Check: EnvelopeContentType, Probe: "d", Status: StatusFail, Exchange: other},
		// Another status, the same HTML: envelope.content-type looks only at the Content-Type.
		{Check: EnvelopeContentType, Probe: "e", Status: StatusFail, Exchange: html404},
		// envelope.status-match looks at status and code: two causes.
		{Check: EnvelopeStatusMatch, Probe: "a", Status: StatusFail, Exchange: html, Code: "NOT_FOUND"},
		{Check: EnvelopeStatusMatch, Probe: "e", Status: StatusFail, Exchange: html404, Code: "NOT_FOUND"},
		{Check: EnvelopeJSON, Probe: "a", Status: StatusFail, Exchange: html},
		{Check: ResourcesTenantBreach, Probe: "cross-tenant", Status: StatusFail, Exchange: served},
	}}
	gs := r.Groups()
	if len(gs) != 6 {
		t.Fatalf("%d groups, want 6: %+v", len(gs), gs)
	}
	if gs[0].Check != ResourcesTenantBreach || !gs[0].Security {
		t.Errorf("first group %s (security %v), want the security finding first", gs[0].Check, gs[0].Security)
	}
	if g := gs[1]; g.Check != EnvelopeContentType || len(g.Results) != 3 || g.Results[0] != 0 || g.Results[1] != 1 || g.Results[2] != 4 {
		t.Errorf("second group %s covers %v, want envelope.content-type over results 0, 1 and 4", g.Check, g.Results)
	}
	if s := gs[1].Signature.String(); s != "text/html" {
		t.Errorf("signature %q, want \"text/html\"", s)
	}
	if g := gs[3]; g.Check != EnvelopeStatusMatch || len(g.Results) != 1 || g.Signature.String() != "400 NOT_FOUND" {
		t.Errorf("status-match group %s %q covers %v, want one of 400 NOT_FOUND", g.Check, g.Signature, g.Results)
	}
}

func TestSetupOf(t *testing.T) {
	ex := func(method string, status int) *Exchange {
		return &Exchange{Request: Request{Method: method}, Response: &Response{Status: status}}
	}
	create, refused, read, failing := ex("POST", 201), ex("POST", 400), ex("GET", 200), ex("GET", 200)
	exs := []*Exchange{read, refused, create, failing}
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
