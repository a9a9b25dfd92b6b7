package openapi

import (
	"strings"
	"testing"

	"github.com/errprobe/errprobe/checks"
)

func TestPlan_Contacts(t *testing.T) {
	d, err := Load("testdata/contacts-3.0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Plan(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]checks.Probe{}
	for _, p := range plan.Probes {
		got[p.Name] = p
	}
	for name, want := range map[string]string{
		"GET /contacts no-credentials":                    "GET /contacts",
		"POST /contacts truncated-json":                   "POST /contacts",
		"POST /contacts content-type":                     "POST /contacts",
		"GET /contacts/{contactId} unknown-id":            "GET /contacts/ct_00000000000000000000",
		"GET /contacts/{contactId} malformed-id":          "GET /contacts/not-an-id!",
		"DELETE /contacts/{contactId} garbage-credential": "DELETE /contacts/ct_00000000000000000000",
		"/contacts/{contactId} undocumented PATCH":        "PATCH /contacts/ct_00000000000000000000",
	} {
		p, ok := got[name]
		if !ok {
			t.Errorf("no probe %q", name)
			continue
		}
		if len(p.Requests) != 1 || p.Requests[0].Method+" "+p.Requests[0].Path != want || p.Skip != "" || p.Operation == "" {
			t.Errorf("%s: %+v, want %s", name, p, want)
		}
	}
	if r := got["/contacts/{contactId} undocumented PATCH"].Requests[0].Expect.Rule; r == nil || len(r.Status) != 1 || r.Status[0] != 405 {
		t.Errorf("undocumented PATCH expects %+v, want 405", r)
	}
	if len(plan.Operations) != 4 || plan.Operations[0].Responses["429"].Schema == nil {
		t.Errorf("operations: %+v", plan.Operations)
	}
}

func TestPlan_Filter(t *testing.T) {
	d, err := Load("testdata/large-200.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for filter, want := range map[string]int{"/r07": 2, "GET /r07/{id}": 1, "/r1*": 40, "/r07,/r08/{id}": 4} {
		plan, err := Plan(d, []string{filter})
		if err != nil || len(plan.Operations) != want {
			t.Errorf("--operations %s: %d operations, %v; want %d", filter, len(plan.Operations), err, want)
		}
	}
	if _, err := Plan(d, []string{"/nope"}); err == nil || !strings.Contains(err.Error(), "--operations /nope") {
		t.Errorf("unknown filter: %v", err)
	}
}
