package checks_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// TestRun_CleanWithPromises: the reference server keeps every promise
// promiseMore adds, so every new check passes on it (and none is skipped).
func TestRun_CleanWithPromises(t *testing.T) {
	t.Parallel()
	rep := run(t, targetWith(t, "erzycall", promiseMore))
	if _, f, _ := rep.Counts(); f > 0 {
		t.Errorf("%s", summary(rep))
	}
	for _, id := range []string{report.ResourcesConflict, report.ResourcesInternal, report.ResourcesCreateHeaders,
		report.IdempotencyReplayHdrs, report.EnvelopeHeaders, report.MalformedMethodAllow} {
		if st := statusOf(rep, id); st != report.StatusPass {
			t.Errorf("%s = %s, want pass", id, st)
		}
	}
}

func statusOf(rep *report.Report, id string) report.Status {
	var st report.Status
	for _, r := range rep.Results {
		if r.Check != id {
			continue
		}
		if r.Status == report.StatusFail || st == "" {
			st = r.Status
		}
	}
	return st
}

func resultOf(t *testing.T, rep *report.Report, id string) report.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Check == id {
			return r
		}
	}
	t.Fatalf("no result for %s; %s", id, summary(rep))
	return report.Result{}
}

// TestRun_CustomProbes: a profile's probes run through the same engine as
// the built-ins, each with its own result id, severity and skip reason.
func TestRun_CustomProbes(t *testing.T) {
	t.Parallel()
	body := `{"name":"x","phone":"+1415{{n}}"}`
	rep := run(t, targetWith(t, "erzycall", func(p *schemas.Profile) {
		p.Probes = []schemas.Probe{
			{Name: "unknown-contact", Request: schemas.ProbeRequest{Path: "/api/v1/contacts/ct_00000000000000000000"},
				Expect: schemas.Expectation{Code: "NOT_FOUND"}},
			{Name: "wrong", Request: schemas.ProbeRequest{Path: "/api/v1/contacts/ct_00000000000000000000"},
				Expect: schemas.Expectation{Code: "CONFLICT"}, Severity: "warning"},
			{Name: "no-key", Request: schemas.ProbeRequest{Method: "POST", Path: "/api/v1/contacts", Key: "none", Body: &body},
				Expect: schemas.Expectation{Status: schemas.Statuses{401}, Headers: map[string]schemas.HeaderRule{"WWW-Authenticate": {Pattern: "X-API-Key"}}}},
			{Name: "revoked", Request: schemas.ProbeRequest{Path: "/api/v1/contacts", Key: "revoked"},
				Expect: schemas.Expectation{Code: "KEY_REVOKED"}},
		}
		p.Auth.Keys.Revoked = ""
	}))
	for _, tc := range []struct {
		id, status string
		severity   report.Severity
		msg        string
	}{
		{"custom.unknown-contact", "pass", report.SeverityError, ""},
		{"custom.wrong", "fail", report.SeverityWarning, "want 409 CONFLICT"},
		{"custom.no-key", "pass", report.SeverityError, ""},
		{"custom.revoked", "skip", report.SeverityError, "ERRPROBE_REVOKED_KEY"},
	} {
		r := resultOf(t, rep, tc.id)
		if string(r.Status) != tc.status || r.Severity != tc.severity || r.Suite != report.SuiteCustom || !strings.Contains(r.Message, tc.msg) {
			t.Errorf("%s: %s %s %s %q, want %s %s custom %q", tc.id, r.Status, r.Severity, r.Suite, r.Message, tc.status, tc.severity, tc.msg)
		}
	}
}

// TestRun_NoListRoute: without endpoints.list the auth probes read the item
// route, the unknown route matches no template, and nothing fails.
func TestRun_NoListRoute(t *testing.T) {
	t.Parallel()
	cfg := targetWith(t, "erzycall", func(p *schemas.Profile) { p.Endpoints.List = "" })
	rep := run(t, cfg)
	if _, f, _ := rep.Counts(); f > 0 {
		t.Errorf("%s", summary(rep))
	}
	r := resultOf(t, rep, report.ResourcesUnknownRoute)
	if r.Status != report.StatusPass || r.Exchange == nil || strings.HasPrefix(pathOf(r.Exchange.Request.URL), "/api/v1/contacts/") {
		t.Errorf("unknown-route %s at %v", r.Status, r.Exchange)
	}
	if st := statusOf(rep, report.AuthMissingKey); st != report.StatusPass {
		t.Errorf("auth.missing-key = %s without a list route", st)
	}
}

func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			return u[j:]
		}
	}
	return u
}

// TestRun_SeverityOverride: a profile lowers a check with a reason the
// result carries; a 404-for-wrong-method API says so in expect, and is then
// not asked for a 405 (malformed.method-allow skipped).
func TestRun_SeverityOverride(t *testing.T) {
	t.Parallel()
	rep := run(t, targetWith(t, "erzycall", func(p *schemas.Profile) {
		p.Severity = map[string]schemas.SeverityOverride{report.AuthWWWAuthenticate: {Level: "warning", Reason: "gateway strips it"}}
		p.Expect[schemas.ExpectMethodNotAllowed] = schemas.Expectation{Status: schemas.Statuses{http.StatusNotFound}}
	}, "no-www-authenticate", "method-404"))
	r := resultOf(t, rep, report.AuthWWWAuthenticate)
	if r.Severity != report.SeverityWarning || r.SeverityReason != "gateway strips it" {
		t.Errorf("www-authenticate severity %s %q", r.Severity, r.SeverityReason)
	}
	if st := statusOf(rep, report.MalformedMethod); st != report.StatusPass {
		t.Errorf("malformed.method = %s: the API documents 404", st)
	}
	// The profile documents 404, not 405: RFC 9110's 405 is not asked for.
	if r := resultOf(t, rep, report.MalformedMethodAllow); r.Status != report.StatusSkip || !strings.Contains(r.Message, "expect.method_not_allowed") {
		t.Errorf("method-allow %s %q, want skipped naming expect.method_not_allowed", r.Status, r.Message)
	}
}

// TestRun_ExtraProbes: probes built outside (as an OpenAPI reader does) and
// handed in through Config.Probes run through the same engine.
func TestRun_ExtraProbes(t *testing.T) {
	t.Parallel()
	cfg := target(t, "erzycall")
	cfg.Probes = []checks.Probe{{Name: "get-contact-404", Suite: report.SuiteCustom, Check: "custom.get-contact-404",
		Requests: []checks.ProbeRequest{{Path: "/api/v1/contacts/ct_00000000000000000000", Key: "valid",
			Expect: checks.ProbeExpect{Situations: []string{schemas.ExpectNotFound}}}}}}
	cfg.Suites = []string{"custom.get-contact-404"}
	rep := run(t, cfg)
	if r := resultOf(t, rep, "custom.get-contact-404"); r.Status != report.StatusPass {
		t.Errorf("extra probe %s %q", r.Status, r.Message)
	}
}

// TestRun_SeverityUnknownCheck: an override naming no check is a profile
// error positioned at the key (exit 2 in cmd).
func TestRun_SeverityUnknownCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := dir + "/p.yaml"
	if err := os.WriteFile(path, []byte("extends: erzycall\nseverity:\n  auth.www-authenticat: {level: warning, reason: x}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := schemas.Load(path, func(string) string { return "k" })
	if err != nil {
		t.Fatal(err)
	}
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = checks.Run(context.Background(), checks.Config{Contract: c, BaseURL: "http://127.0.0.1:9", DryRun: true})
	var pe *schemas.ProfileError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "p.yaml:3:3:") || !strings.Contains(err.Error(), `no check "auth.www-authenticat"`) {
		t.Errorf("err = %v, want a positioned profile error", err)
	}
}
