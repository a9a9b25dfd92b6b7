package checks_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// targetFile starts the reference server (erzycall) with faults and loads
// src, a profile file extending erzycall, with the server's keys and env.
func targetFile(t *testing.T, src string, env map[string]string, faults ...string) (checks.Config, error) {
	t.Helper()
	base, err := schemas.Builtin("erzycall", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	clk := fakeClock()
	srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", base,
		fixtures.WithFaults(faults...), fixtures.WithRateLimit(demoRate, demoWindow), fixtures.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	path := filepath.Join(t.TempDir(), "errprobe.yaml")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := schemas.Load(path, srv.Keys.Getenv(func(k string) string { return env[k] }))
	if err != nil {
		return checks.Config{}, err
	}
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return checks.Config{Contract: c, BaseURL: srv.URL, MaxRequests: 300, Concurrency: 4, Clock: clk,
		Suites: []string{report.SuiteCustom}}, nil
}

const stepsProfile = `extends: erzycall
probes:
  - name: delete-then-gone
    steps:
      - request: {method: POST, path: /api/v1/contacts, body: '{"name":"x","phone":"+1415{{n}}"}'}
        expect: {status: 201}
        capture: {id: body /id}
      - request: {method: DELETE, path: "/api/v1/contacts/{{id}}"}
        expect: {status: 204}
      - request: {method: GET, path: "/api/v1/contacts/{{id}}"}
        expect: {code: NOT_FOUND}
  - name: follow-location
    steps:
      - request: {method: POST, path: /api/v1/contacts, body: '{"name":"x","phone":"+1415{{n}}"}'}
        expect: {status: 201}
        capture: {where: header Location}
      - request: {method: GET, path: "{{where}}"}
        expect: {status: 200}
`

// Multi-step probes: clean they pass (the captured id and Location are
// used); a broken step fails with its own exchange and the earlier ones as
// set-up; a capture that finds nothing fails its step and sends no more.
func TestRun_StepsCaptures(t *testing.T) {
	t.Parallel()
	type testCase struct {
		fault string
		want  map[string]report.Status
		check func(t *testing.T, rep *report.Report)
	}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		cfg, err := targetFile(t, stepsProfile, nil, faultList(tc.fault)...)
		if err != nil {
			t.Fatal(err)
		}
		rep := runCfg(t, cfg)
		for id, st := range tc.want {
			if got := statusOf(rep, id); got != st {
				t.Errorf("%s = %s, want %s: %v", id, got, st, failures(rep))
			}
		}
		if tc.check != nil {
			tc.check(t, rep)
		}
	}
	for _, tc := range []testCase{
		{want: map[string]report.Status{"custom.delete-then-gone": report.StatusPass, "custom.follow-location": report.StatusPass},
			check: func(t *testing.T, rep *report.Report) {
				for _, ex := range rep.Exchanges {
					if strings.Contains(ex.Request.URL, "{{") {
						t.Errorf("a placeholder was sent: %s", ex.Request.URL)
					}
				}
			}},
		{fault: "delete-200-body", want: map[string]report.Status{"custom.delete-then-gone": report.StatusFail},
			check: func(t *testing.T, rep *report.Report) {
				r := resultOf(t, rep, "custom.delete-then-gone")
				if r.Exchange.Request.Method != http.MethodDelete || len(r.Setup) != 1 || r.Setup[0].Request.Method != http.MethodPost {
					t.Errorf("failure on %s with %d set-up requests, want the DELETE after the POST", r.Exchange.Request.Method, len(r.Setup))
				}
			}},
		{fault: "no-location", want: map[string]report.Status{"custom.follow-location": report.StatusFail},
			check: func(t *testing.T, rep *report.Report) {
				r := resultOf(t, rep, "custom.follow-location")
				if !strings.Contains(r.Message, "capture where") || !strings.Contains(r.Message, "not sent") {
					t.Errorf("message %q, want the capture and the steps not sent", r.Message)
				}
				for _, ex := range rep.Exchanges {
					if ex.Probe == "follow-location" && ex.Request.Method == http.MethodGet {
						t.Errorf("a later step was sent: %s", ex.Request.URL)
					}
				}
			}},
	} {
		t.Run("fault="+tc.fault, func(t *testing.T) { run(t, tc) })
	}
}

func runCfg(t *testing.T, cfg checks.Config) *report.Report { t.Helper(); return run(t, cfg) }

// A replay written as a custom probe: later steps compare their response
// with an earlier step's (same_as). Clean it passes; each idempotency
// fault breaks the comparison it names, with both values in the result.
func TestRun_StepsSameAs(t *testing.T) {
	t.Parallel()
	const src = `extends: erzycall
probes:
  - name: my-replay
    steps:
      - name: create
        request: {method: POST, path: /api/v1/contacts, headers: {Idempotency-Key: 'k-{{n}}'}, body: '{"name":"x","phone":"+1415{{n}}"}'}
        expect: {status: 201}
      - name: before
        request: {path: /api/v1/contacts}
        expect: {status: 200}
      - name: replay
        request: {method: POST, path: /api/v1/contacts, headers: {Idempotency-Key: 'k-{{n}}'}, body: '{"name":"x","phone":"+1415{{n}}"}'}
        expect: {same_as: create, same: [status, body, header Location, id]}
      - name: after
        request: {path: /api/v1/contacts}
        expect: {same_as: before, same: [count]}
`
	for _, tc := range []struct{ fault, msg, expected string }{
		{"", "", ""},
		{"idempotency-ignored", "step replay did not repeat step create's body", "201 {"},
		{"replay-drops-headers", "step replay did not repeat step create's Location header", "Location: /api/v1/contacts/"},
		{"idempotency-duplicate", "step after did not repeat step before's count", "count "},
	} {
		t.Run("fault="+tc.fault, func(t *testing.T) {
			t.Parallel()
			cfg, err := targetFile(t, src, nil, faultList(tc.fault)...)
			if err != nil {
				t.Fatal(err)
			}
			r := resultOf(t, run(t, cfg), "custom.my-replay")
			if tc.fault == "" {
				if r.Status != report.StatusPass {
					t.Errorf("clean: %s %q, want pass", r.Status, r.Message)
				}
				return
			}
			if r.Status != report.StatusFail || r.Message != tc.msg || !strings.HasPrefix(r.Expected, tc.expected) || r.Actual == "" {
				t.Errorf("%s: %s %q (want %q, got %q), want fail %q", tc.fault, r.Status, r.Message, r.Expected, r.Actual, tc.msg)
			}
		})
	}
}

// ${VAR} in a custom probe: expanded and masked; unset: skipped naming it.
func TestRun_ProbeEnv(t *testing.T) {
	t.Parallel()
	src := "extends: erzycall\nprobes:\n  - name: by-env\n    request: {method: GET, path: \"/api/v1/contacts/${C_ID}\", headers: {X-Tenant: \"${C_TENANT}\"}}\n    expect: {code: NOT_FOUND}\n"
	cfg, err := targetFile(t, src, map[string]string{"C_ID": "ct_00000000000000000000", "C_TENANT": "tenant-secret-42"})
	if err != nil {
		t.Fatal(err)
	}
	rep := run(t, cfg)
	if st := statusOf(rep, "custom.by-env"); st != report.StatusPass {
		t.Errorf("custom.by-env = %s: %v", st, failures(rep))
	}
	b, _ := json.Marshal(rep)
	if strings.Contains(string(b), "tenant-secret-42") {
		t.Error("the value of ${C_TENANT} is in the report")
	}
	cfg, err = targetFile(t, src, map[string]string{"C_ID": "ct_00000000000000000000"})
	if err != nil {
		t.Fatal(err)
	}
	r := resultOf(t, run(t, cfg), "custom.by-env")
	if r.Status != report.StatusSkip || !strings.Contains(r.Message, "C_TENANT") {
		t.Errorf("unset variable: %s %q, want skipped naming C_TENANT", r.Status, r.Message)
	}
}

// HEAD is judged without a body; any_of takes either alternative.
func TestRun_HeadAnyOf(t *testing.T) {
	t.Parallel()
	src := `extends: erzycall
probes:
  - name: head-missing
    request: {method: HEAD, path: /api/v1/contacts/ct_00000000000000000000}
    expect: {code: NOT_FOUND}
  - name: delete-missing
    request: {method: DELETE, path: /api/v1/contacts/ct_00000000000000000000}
    expect: {any_of: [{status: 202}, {code: NOT_FOUND}]}
`
	for _, fault := range []string{"", "wrong-status"} {
		cfg, err := targetFile(t, src, nil, faultList(fault)...)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Suites = append(cfg.Suites, report.SuiteEnvelope)
		rep := run(t, cfg)
		want := report.StatusPass
		if fault != "" {
			want = report.StatusFail
		}
		if st := statusOf(rep, "custom.delete-missing"); st != want {
			t.Errorf("%s: custom.delete-missing = %s, want %s", fault, st, want)
		}
		if fault == "" {
			if f := failures(rep); len(f) > 0 {
				t.Errorf("clean run failures (a HEAD judged as if it had a body?): %v", f)
			}
		}
	}
}

// accept: the failure is reported accepted with the reason; on a server
// that keeps the rule the acceptance is stale.
func TestRun_Accept(t *testing.T) {
	t.Parallel()
	src := "extends: erzycall\naccept:\n  auth.www-authenticate: \"gateway strips it; OPS-12\"\n"
	cfg, err := targetFile(t, src, nil, "no-www-authenticate")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Suites = []string{report.SuiteAuth}
	rep := run(t, cfg)
	r := resultOf(t, rep, report.AuthWWWAuthenticate)
	if r.Status != report.StatusAccepted || r.Accepted != "gateway strips it; OPS-12" {
		t.Errorf("www-authenticate %s %q, want accepted with the reason", r.Status, r.Accepted)
	}
	if _, f, _ := rep.Counts(); f != 0 {
		t.Errorf("%d failures: %v", f, failures(rep))
	}
	cfg, _ = targetFile(t, src, nil)
	cfg.Suites = []string{report.SuiteAuth}
	rep = run(t, cfg)
	if len(rep.StaleAccepts) != 1 || !strings.Contains(rep.StaleAccepts[0], "no longer seen: auth.www-authenticate") {
		t.Errorf("stale acceptances %q", rep.StaleAccepts)
	}
}

// Two faults in one probe: the GET's text/plain 404 and the DELETE's 500
// are each a failure of resources.unknown-id.
func TestRun_EveryFailingRequest(t *testing.T) {
	t.Parallel()
	cfg := target(t, "erzycall", "error-not-json", "delete-unknown-500")
	cfg.Suites = []string{report.SuiteResources}
	rep := run(t, cfg)
	methods := map[string]bool{}
	for _, r := range rep.Results {
		if r.Check == report.ResourcesUnknownID && r.Status == report.StatusFail {
			methods[r.Exchange.Request.Method] = true
		}
	}
	if !methods[http.MethodGet] || !methods[http.MethodDelete] {
		t.Errorf("unknown-id failures on %v, want GET and DELETE", methods)
	}
}

// Bad input is refused when the profile loads, positioned.
func TestLoad_StepsBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ src, want string }{
		{"probes: [{name: a, steps: [{request: {path: '/x/{{id}}'}, expect: {status: 404}}]}]", "{{id}} is not captured"},
		{"probes: [{name: a, request: {path: /x}, expect: {any_of: []}}]", "any_of must be a non-empty list"},
		{"probes: [{name: a, request: {path: /x, headers: {X-A: \"a\\r\\nb\"}}, expect: {status: 404}}]", "control character"},
		{"probes: [{name: a, request: {path: /x}}]", "needs expect"},
		{"probes: [{name: a, steps: [{request: {path: /x}, expect: {same_as: later}}, {name: later, request: {path: /x}, expect: {status: 404}}]}]",
			`"later" is not the name of an earlier step`},
		{"probes: [{name: a, steps: [{name: s, request: {path: /x}, expect: {status: 404}}, {name: s, request: {path: /x}, expect: {status: 404}}]}]",
			`step name "s" is used twice`},
		{"probes: [{name: a, steps: [{name: s, request: {path: /x}, expect: {status: 404}}, {request: {path: /x}, expect: {same_as: s, same: [colour]}}]}]",
			"must be status, body, id, count"},
		{"expect: {not_found: {code: NOT_FOUND, same_as: s}}", "only at the top of a probe step's expect"},
	} {
		_, err := targetFile(t, "extends: erzycall\n"+tc.src+"\n", nil)
		var pe *schemas.ProfileError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "errprobe.yaml:2:") {
			t.Errorf("%s: %v, want a positioned %q", tc.src, err, tc.want)
		}
	}
	cfg, err := targetFile(t, "extends: erzycall\naccept: {auth.nope: r}\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checks.Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), `no check "auth.nope"`) {
		t.Errorf("unknown accept: %v", err)
	}
}

// endpoints.delete_status: a 200 with the resource is a successful delete
// where the profile allows it; by default only 204 is.
func TestRun_DeleteStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		src  string
		want report.Status
	}{
		{"extends: erzycall\n", report.StatusFail},
		{"extends: erzycall\nendpoints: {delete_status: [204, 200]}\n", report.StatusPass},
	} {
		cfg, err := targetFile(t, tc.src, nil, "delete-200-body")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Suites = []string{report.SuiteResources}
		if st := statusOf(run(t, cfg), report.ResourcesDelete); st != tc.want {
			t.Errorf("%q: resources.delete = %s, want %s", tc.src, st, tc.want)
		}
	}
}

// codes.X.routes against the reference server: under wrong-status the
// unknown id's NOT_FOUND comes back 400. A profile giving NOT_FOUND 400 on
// that route passes it (status-match and the probe's own expectation); the
// same profile fails the clean server's 404 there (quoting 400 as
// expected), and one without the route fails the 400.
func TestRun_CodeRoutes(t *testing.T) {
	t.Parallel()
	const routed = "extends: erzycall\ncodes:\n  NOT_FOUND: {status: 404, routes: {'GET /api/v1/contacts/{id}': 400, 'DELETE /api/v1/contacts/{id}': 400}}\n"
	for _, tc := range []struct {
		src, fault string
		want       report.Status
		says       string // what a failure expects
	}{
		{routed, "wrong-status", report.StatusPass, ""},
		{routed, "", report.StatusFail, "400 NOT_FOUND"},
		{"extends: erzycall\n", "wrong-status", report.StatusFail, "404 NOT_FOUND"},
		{"extends: erzycall\n", "", report.StatusPass, ""},
	} {
		cfg, err := targetFile(t, tc.src, nil, faultList(tc.fault)...)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Suites = []string{report.SuiteResources, report.SuiteEnvelope}
		rep := run(t, cfg)
		for _, id := range []string{report.EnvelopeStatusMatch, report.ResourcesUnknownID} {
			var got []report.Result
			for _, r := range rep.Results {
				if r.Check == id && r.Probe == "unknown-id" {
					got = append(got, r)
				}
			}
			if len(got) == 0 {
				t.Fatalf("%q under %q: no %s result for unknown-id", tc.src, tc.fault, id)
			}
			for _, r := range got {
				if r.Status != tc.want {
					t.Errorf("%q under %q: %s = %s (%s), want %s", tc.src, tc.fault, id, r.Status, r.Message, tc.want)
				}
				// A failure quotes the status that applies on the request's
				// route, not the code's default.
				if want := tc.says; r.Status == report.StatusFail && id == report.ResourcesUnknownID &&
					(r.Expected != want || !strings.HasSuffix(r.Message, "want "+want)) {
					t.Errorf("%q under %q: %s says %q, expected %q; want %q", tc.src, tc.fault, id, r.Message, r.Expected, want)
				}
			}
		}
	}
}

// expect.idempotency_in_flight: under idempotency-in-progress the race's
// duplicates meet the first create in progress and get 409 CONFLICT (the
// fixture holds the first create until one has, so every run sees it). The
// answer passes where the profile declares it, fails without the key, with
// another status and when its header rules are broken; a clean server
// (duplicates wait and replay) passes with the key declared.
func TestRun_IdempotencyInFlight(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		src, fault string
		want       report.Status
		msg        string
	}{
		{"expect: {idempotency_in_flight: {status: 409, code: CONFLICT}}", "idempotency-in-progress", report.StatusPass, ""},
		{"expect: {idempotency_in_flight: CONFLICT}", "idempotency-in-progress", report.StatusPass, ""},
		{"", "idempotency-in-progress", report.StatusFail, "expect.idempotency_in_flight declares"},
		{"expect: {idempotency_in_flight: {status: 423}}", "idempotency-in-progress", report.StatusFail, "not the in-progress answer"},
		{"expect: {idempotency_in_flight: {status: 409, headers: {Retry-After: {required: true}}}}", "idempotency-in-progress", report.StatusFail, "Retry-After"},
		{"expect: {idempotency_in_flight: {status: 409, code: CONFLICT}}", "", report.StatusPass, ""},
	} {
		cfg, err := targetFile(t, "extends: erzycall\n"+tc.src+"\n", nil, faultList(tc.fault)...)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Suites = []string{report.IdempotencyConcurrent}
		r := resultOf(t, run(t, cfg), report.IdempotencyConcurrent)
		if r.Status != tc.want || !strings.Contains(r.Message, tc.msg) {
			t.Errorf("%q under %q: %s %q, want %s with %q", tc.src, tc.fault, r.Status, r.Message, tc.want, tc.msg)
		}
	}
}
