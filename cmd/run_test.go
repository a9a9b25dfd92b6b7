package cmd

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/clock"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/schemas"
)

func TestRunCmd_Flags(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name  string
		args  []string
		check func(t *testing.T, o *runOptions)
	}
	run := func(t *testing.T, tc testCase) {
		io, _, _ := serveIO()
		var got *runOptions
		c := runCmd(io, func(_ context.Context, _ *IO, o *runOptions) error { got = o; return nil })
		c.SetArgs(tc.args)
		if err := c.Execute(); err != nil || got == nil {
			t.Fatalf("execute: %v", err)
		}
		tc.check(t, got)
	}
	for _, tc := range []testCase{
		{"defaults", nil, func(t *testing.T, o *runOptions) {
			if o.BaseURL != "" || o.Profile != "" || o.MaxRequests != 500 || o.Concurrency != 4 ||
				o.Timeout != 10*time.Second || o.MaxBody != 1<<20 || o.report.FailOn != "error" || o.DryRun {
				t.Errorf("defaults = %+v", o)
			}
		}},
		{"all", []string{"https://api.example.com", "--profile", "problem", "--suite", "auth,envelope", "--skip", "auth.expired-key",
			"--max-requests", "50", "--concurrency", "2", "--timeout", "3s", "--header", "X-Tenant: a", "--header", "X-B:b",
			"--dry-run", "-v", "--fail-on", "warning", "--junit", "r.xml"}, func(t *testing.T, o *runOptions) {
			if o.BaseURL != "https://api.example.com" || o.Profile != "problem" || strings.Join(o.Suites, "|") != "auth|envelope" ||
				strings.Join(o.Skip, "|") != "auth.expired-key" || o.MaxRequests != 50 || o.Concurrency != 2 ||
				o.Timeout != 3*time.Second || strings.Join(o.Headers, "|") != "X-Tenant: a|X-B:b" || !o.DryRun || !o.Verbose ||
				o.report.FailOn != "warning" || o.report.JUnit != "r.xml" {
				t.Errorf("options = %+v", o)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// errprobe runs errprobe with args and returns the exit code and output.
func errprobe(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	out, errb := &syncBuffer{}, &syncBuffer{}
	io := &IO{Out: out, Err: errb, Getenv: func(k string) string { return env[k] }, Now: time.Now}
	if len(args) > 0 && args[0] == "demo" {
		io.Clock = testClock() // demo's server shares it: its windows pass without waiting
	}
	root := NewRootCmd(io)
	root.SetArgs(args)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := exitStatus(io, root.ExecuteContext(ctx))
	return code, out.String(), errb.String()
}

// testClock is a fake clock for a demo (server and run share it): it
// stands still while requests are in flight, so the burst lands in one
// window on a machine of any speed, and a wait moves it at once.
func testClock() clock.Clock {
	return clock.NewFake(time.Now().Truncate(time.Minute).Add(500 * time.Millisecond))
}

// serveFor starts the reference server and returns its URL and key env.
func serveFor(t *testing.T, profile string, faults ...string) (string, map[string]string) {
	t.Helper()
	p, _ := schemas.Builtin(profile, nil)
	srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", p, fixtures.WithFaults(faults...), fixtures.WithRateLimit(100, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	env := map[string]string{}
	for _, v := range srv.Keys.Vars() {
		env[v.Name] = v.Value
	}
	return srv.URL, env
}

func TestRunRun_ExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("extends: erzycall\nauth:\n  header: [1, 2]\n"), 0o644)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String()
	ln.Close()
	url, env := serveFor(t, "erzycall")
	faulty, fenv := serveFor(t, "erzycall", "wrong-status")

	type testCase struct {
		name    string
		env     map[string]string
		args    []string
		code    int
		errLine string
	}
	run := func(t *testing.T, tc testCase) {
		code, out, errOut := errprobe(t, tc.env, append([]string{"run"}, tc.args...)...)
		if code != tc.code {
			t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
		}
		if tc.errLine != "" && (!strings.Contains(errOut, tc.errLine) || strings.Count(strings.TrimSpace(errOut), "\n") > 0) {
			t.Errorf("stderr %q, want one line with %q", errOut, tc.errLine)
		}
		for _, v := range tc.env {
			if strings.Contains(out+errOut, v) {
				t.Errorf("a key leaked into the output")
			}
		}
	}
	for _, tc := range []testCase{
		{name: "clean", env: env, args: []string{url, "--profile", "erzycall", "--quiet"}, code: ExitOK},
		{name: "fault", env: fenv, args: []string{faulty, "--profile", "erzycall", "--skip", "ratelimit"}, code: ExitFailed},
		{name: "unreachable", env: env, args: []string{closed, "--profile", "erzycall"}, code: ExitUnreachable, errLine: "target unreachable"},
		{name: "bad profile", env: env, args: []string{url, "--profile", bad}, code: ExitUsage, errLine: "bad.yaml:3:"},
		{name: "no profile", env: env, args: []string{url}, code: ExitUsage, errLine: "no profile"},
		{name: "no key", args: []string{url, "--profile", "erzycall"}, code: ExitOK, errLine: "no valid key: keys.valid not set ($ERRPROBE_API_KEY is empty); ran only the probes that need no key"},
		{name: "bad header", env: env, args: []string{url, "--profile", "erzycall", "--header", "nocolon"}, code: ExitUsage, errLine: "--header"},
		{name: "bad suite", env: env, args: []string{url, "--profile", "erzycall", "--suite", "nope"}, code: ExitUsage, errLine: "--suite nope"},
		{name: "bad base url", env: env, args: []string{"ftp://x", "--profile", "erzycall"}, code: ExitUsage, errLine: `BASE_URL "ftp://x": want http(s)://`},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

func TestRunRun_DryRunSendsNothing(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var touched atomic.Bool
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			touched.Store(true)
			c.Close()
		}
	}()
	env := map[string]string{"ERRPROBE_API_KEY": "ek_live_0123456789abcdef2345", "ERRPROBE_REVOKED_KEY": "ek_live_revoked0123456789"}
	code, out, errOut := errprobe(t, env, "run", "http://"+ln.Addr().String(), "--profile", "erzycall", "--dry-run")
	if code != ExitOK || touched.Load() {
		t.Fatalf("exit %d, touched %v\n%s%s", code, touched.Load(), out, errOut)
	}
	if !strings.Contains(out, "dry run") || !strings.Contains(out, "POST") || !strings.Contains(out, "$ERRPROBE_API_KEY") {
		t.Errorf("dry run output lacks the planned requests:\n%s", out)
	}
	for _, k := range env {
		if strings.Contains(out+errOut, k) {
			t.Errorf("key leaked in dry run output")
		}
	}
}
