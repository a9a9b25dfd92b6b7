package checks

import (
	"testing"

	"github.com/errprobe/errprobe/report"
)

func TestSetupOf(t *testing.T) {
	t.Parallel()
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
