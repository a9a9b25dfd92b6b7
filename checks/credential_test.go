package checks_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/clock"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// authTarget starts the reference server in an auth mode and returns a
// Config from the profile the server writes for it (serve --write-profile),
// loaded with the server's credentials plus env.
func authTarget(t *testing.T, mode string, env map[string]string, faults ...string) (checks.Config, *fixtures.Running) {
	t.Helper()
	base, _ := schemas.Builtin("erzycall", nil)
	clk := fakeClock()
	srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", base, fixtures.WithAuth(mode),
		fixtures.WithFaults(faults...), fixtures.WithRateLimit(demoRate, demoWindow), fixtures.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	serverClocks.Store(srv, clk)
	t.Cleanup(func() { serverClocks.Delete(srv) })
	return loadAuthProfile(t, srv, srv.ClientProfile(), env), srv
}

// serverClocks is each authTarget server's fake clock, which the runs
// against it share (loadAuthProfile).
var serverClocks sync.Map // *fixtures.Running → *clock.Fake

func loadAuthProfile(t *testing.T, srv *fixtures.Running, src string, env map[string]string) checks.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "errprobe.yaml")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	keys := srv.Keys.Getenv(nil)
	p, err := schemas.Load(path, func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return keys(k)
	})
	if err != nil {
		t.Fatal(err)
	}
	p.RateLimit.Burst.MaxWait = "3s"
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	cfg := checks.Config{Contract: c, BaseURL: srv.URL, MaxRequests: 1500, Concurrency: 4}
	if clk, ok := serverClocks.Load(srv); ok {
		cfg.Clock = clk.(*clock.Fake)
	}
	return cfg
}

func runErr(cfg checks.Config) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := checks.Run(ctx, cfg)
	return err
}

func TestRun_AuthModes(t *testing.T) {
	t.Parallel()
	type testCase struct {
		mode   string
		probes []string // auth probes the mode's matrix must include
	}
	run := func(t *testing.T, tc testCase) {
		cfg, _ := authTarget(t, tc.mode, nil)
		rep := run(t, cfg)
		if f := failures(rep); len(f) > 0 {
			t.Fatalf("clean server, failures:\n%s", strings.Join(f, "\n"))
		}
		ran := map[string]bool{}
		for _, r := range rep.Results {
			keyed := strings.HasPrefix(r.Check, report.SuiteAuth+".") || strings.HasPrefix(r.Check, report.SuiteRateLimit+".")
			if keyed && r.Status == report.StatusSkip {
				t.Errorf("%s %s skipped: %s", r.Check, r.Probe, r.Message)
			}
			ran[r.Probe] = true
		}
		for _, p := range tc.probes {
			if !ran[p] {
				t.Errorf("no result for probe %s", p)
			}
		}
		faulty, _ := authTarget(t, tc.mode, nil, "missing-key-200")
		faulty.Suites = []string{report.AuthMissingKey} // the one probe that proves it
		if failed := failedChecks(run(t, faulty)); !failed[report.AuthMissingKey] {
			t.Errorf("missing-key-200 not caught by %s in mode %s", report.AuthMissingKey, tc.mode)
		}
	}
	for _, tc := range []testCase{
		{mode: fixtures.AuthBasic, probes: []string{"missing-key", "wrong-password", "unknown-user", "wrong-scheme", "revoked-key", "expired-key"}},
		{mode: fixtures.AuthOAuth2, probes: []string{"missing-key", "garbage-key", "revoked-key", "expired-key"}},
		{mode: fixtures.AuthMTLS, probes: []string{"missing-key", "garbage-key"}},
	} {
		t.Run(tc.mode, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// TestRun_AuthSecretsMasked: the password, client secret and the tokens the
// run fetched appear nowhere in the report.
func TestRun_AuthSecretsMasked(t *testing.T) {
	t.Parallel()
	token := regexp.MustCompile(`at_[0-9a-f]{32}`)
	for _, mode := range []string{fixtures.AuthBasic, fixtures.AuthOAuth2} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			cfg, srv := authTarget(t, mode, nil)
			var logged strings.Builder
			cfg.Log = func(ex report.Exchange) { b, _ := json.Marshal(ex); logged.Write(b) }
			rep := run(t, cfg)
			b, _ := json.Marshal(rep)
			all := string(b) + logged.String()
			for _, secret := range []string{srv.Keys.Password, srv.Keys.ClientSecret, srv.Keys.Valid} {
				if secret != "" && strings.Contains(all, secret) {
					t.Errorf("a secret (%d bytes) appears in the report or log", len(secret))
				}
			}
			if m := token.FindString(all); m != "" {
				t.Errorf("an access token appears in the report or log")
			}
		})
	}
}

func TestRun_BasicWrongSchemeSendsPasswordAsBearer(t *testing.T) {
	t.Parallel()
	cfg, _ := authTarget(t, fixtures.AuthBasic, nil)
	cfg.Suites = []string{report.AuthWrongScheme}
	rep := run(t, cfg)
	for _, r := range rep.Results {
		if r.Check != report.AuthWrongScheme {
			continue
		}
		if r.Status != report.StatusPass {
			t.Fatalf("wrong-scheme: %s %s", r.Status, r.Message)
		}
		if got := r.Exchange.Request.Header.Get("Authorization"); !strings.HasPrefix(got, "Bearer ") {
			t.Errorf("wrong-scheme sent Authorization %q, want Bearer <password, masked>", got)
		}
		return
	}
	t.Fatal("no wrong-scheme result")
}

func TestRun_OAuth2TokenEndpointFails(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name        string
		edit        func(src string) string
		env         map[string]string
		want        string
		unreachable bool
	}
	run := func(t *testing.T, tc testCase) {
		_, srv := authTarget(t, fixtures.AuthOAuth2, nil)
		cfg := loadAuthProfile(t, srv, tc.edit(srv.ClientProfile()), tc.env)
		err := runErr(cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("err %v, want %q", err, tc.want)
		}
		if got := errors.Is(err, checks.ErrUnreachable); got != tc.unreachable {
			t.Errorf("ErrUnreachable %v, want %v", got, tc.unreachable)
		}
		for _, secret := range []string{srv.Keys.ClientSecret, tc.env["ERRPROBE_CLIENT_SECRET"]} {
			if secret != "" && strings.Contains(err.Error(), secret) {
				t.Errorf("the client secret is in the error %q", err)
			}
		}
	}
	same := func(s string) string { return s }
	for _, tc := range []testCase{
		{name: "wrong secret", edit: same, env: map[string]string{"ERRPROBE_CLIENT_SECRET": "cs_not_the_secret_0123456789"},
			want: "auth.oauth2.token_url: the token endpoint answered 401 Unauthorized (invalid_client)"},
		{name: "not a token endpoint", edit: func(s string) string { return strings.Replace(s, "/oauth/token", "/api/v1/contacts", 1) },
			want: "auth.oauth2.token_url: the token endpoint answered 401"},
		{name: "unreachable", edit: func(s string) string {
			return regexp.MustCompile(`token_url: \S+`).ReplaceAllString(s, "token_url: http://127.0.0.1:1/token")
		}, want: "auth.oauth2.token_url: target unreachable", unreachable: true},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestRun_TokenCommand(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name    string
		command string
		want    string // error; "" for a clean run
	}
	run := func(t *testing.T, tc testCase) {
		_, srv := authTarget(t, fixtures.AuthKey, nil)
		command := strings.ReplaceAll(tc.command, "{{key}}", srv.Keys.Valid)
		src := "extends: erzycall\nauth:\n  header: X-API-Key\n  token_command: " + strconvQuote(command) + "\n"
		cfg := loadAuthProfile(t, srv, src, nil)
		if tc.want == "" {
			if f := failures(run(t, cfg)); len(f) > 0 {
				t.Fatalf("failures:\n%s", strings.Join(f, "\n"))
			}
			return
		}
		if err := runErr(cfg); err == nil || err.Error() != tc.want {
			t.Fatalf("err %v, want %q", err, tc.want)
		}
	}
	for _, tc := range []testCase{
		{name: "prints the key", command: `printf '%s\n' {{key}}`},
		{name: "fails", command: "echo secret-looking-output; exit 3", want: "auth.token_command: exited with status 3"},
		{name: "prints nothing", command: "true", want: "auth.token_command: printed no token on standard output"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestRun_TokenCommandRefreshedOnExpiry: a token refused as expired is
// fetched again once and the request retried.
func TestRun_TokenCommandRefreshedOnExpiry(t *testing.T) {
	t.Parallel()
	_, srv := authTarget(t, fixtures.AuthKey, nil)
	cfg := loadAuthProfile(t, srv, "extends: erzycall\nauth:\n  header: X-API-Key\n  token_command: login\n", nil)
	var calls atomic.Int32
	cfg.RunCommand = func(context.Context, string) ([]byte, error) {
		if calls.Add(1) == 1 {
			return []byte(srv.Keys.Expired + "\n"), nil
		}
		return []byte(srv.Keys.Valid + "\n"), nil
	}
	if f := failures(run(t, cfg)); len(f) > 0 {
		t.Fatalf("failures:\n%s", strings.Join(f, "\n"))
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("token_command ran %d times, want 2 (once, then once after the expired answer)", n)
	}
}

func TestRun_ClientCertDoesNotLoad(t *testing.T) {
	t.Parallel()
	_, srv := authTarget(t, fixtures.AuthMTLS, nil)
	src := strings.Replace(srv.ClientProfile(), "${ERRPROBE_CLIENT_KEY}", "${ERRPROBE_CA_CERT}", 1)
	err := runErr(loadAuthProfile(t, srv, src, nil))
	if err == nil || !strings.HasPrefix(err.Error(), "auth.tls.cert: ") {
		t.Fatalf("err %v, want auth.tls.cert: …", err)
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestRun_NoValidKey: with no valid key the run sends the keyless probes,
// skips the others naming the variable, and says so in Report.Keyless.
func TestRun_NoValidKey(t *testing.T) {
	t.Parallel()
	_, srv := authTarget(t, fixtures.AuthKey, nil)
	cfg := loadAuthProfile(t, srv, "extends: erzycall\n", map[string]string{"ERRPROBE_API_KEY": ""})
	rep := run(t, cfg)
	if !strings.Contains(rep.Keyless, "$ERRPROBE_API_KEY") {
		t.Errorf("Keyless = %q, want the variable named", rep.Keyless)
	}
	status := map[string]report.Status{}
	for _, r := range rep.Results {
		if r.Status == report.StatusSkip && !strings.Contains(r.Message, "ERRPROBE_") && strings.HasPrefix(r.Check, "ratelimit.") {
			t.Errorf("%s skipped without naming the variable: %s", r.Check, r.Message)
		}
		if _, seen := status[r.Check]; !seen {
			status[r.Check] = r.Status
		}
	}
	for check, want := range map[string]report.Status{
		report.AuthMissingKey: report.StatusPass, report.AuthGarbageKey: report.StatusPass,
		report.RateLimitReached: report.StatusSkip, report.AuthRevokedKey: report.StatusPass,
	} {
		if status[check] != want {
			t.Errorf("%s: %s, want %s", check, status[check], want)
		}
	}
	if f := failures(rep); len(f) > 0 {
		t.Errorf("failures:\n%s", strings.Join(f, "\n"))
	}
}

// TestRun_OAuth2DryRun plans the token request first, without its secret,
// and sends nothing (the server issues no token).
func TestRun_OAuth2DryRun(t *testing.T) {
	t.Parallel()
	cfg, srv := authTarget(t, fixtures.AuthOAuth2, nil)
	cfg.DryRun = true
	rep := run(t, cfg)
	if len(rep.Planned) == 0 || rep.Planned[0].Method != "POST" || !strings.HasSuffix(rep.Planned[0].URL, fixtures.TokenPath) {
		t.Fatalf("the plan does not start with the token request: %+v", rep.Planned[:min(1, len(rep.Planned))])
	}
	b, _ := json.Marshal(rep)
	if strings.Contains(string(b), srv.Keys.ClientSecret) {
		t.Error("the client secret is in the dry run's report")
	}
	if rep.Requests != 0 {
		t.Errorf("dry run sent %d requests", rep.Requests)
	}
}
