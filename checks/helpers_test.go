package checks_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/clock"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// demoRate is the reference server's rate limit in the tests (as in demo).
const demoRate, demoWindow = 200, 2 * time.Second

// target starts the reference server for a built-in profile and returns a
// Config aimed at it, with the server's keys in the profile.
func target(t testing.TB, profile string, faults ...string) checks.Config {
	t.Helper()
	return targetWith(t, profile, nil, faults...)
}

// targetWith is target with the probing profile edited by edit (the server
// keeps the built-in): promises the built-in does not make.
func targetWith(t testing.TB, profile string, edit func(*schemas.Profile), faults ...string) checks.Config {
	t.Helper()
	return targetEdited(t, profile, edit, false, faults...)
}

// targetEdited is targetWith that, when asDemo is set, probes as demo does:
// the server keeps the edited profile too, and the client profile gets the
// server's own promises (Running.Promise), which some faults break.
func targetEdited(t testing.TB, profile string, edit func(*schemas.Profile), asDemo bool, faults ...string) checks.Config {
	t.Helper()
	base, err := schemas.Builtin(profile, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil && asDemo {
		edit(base)
	}
	clk := fakeClock()
	srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", base,
		fixtures.WithFaults(faults...), fixtures.WithRateLimit(demoRate, demoWindow), fixtures.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	p, err := schemas.Builtin(profile, srv.Keys.Getenv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if asDemo {
		srv.Promise(p)
	}
	p.RateLimit.Burst.MaxWait = "3s"
	if edit != nil {
		edit(p)
	}
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return checks.Config{Contract: c, BaseURL: srv.URL, MaxRequests: 1500, Concurrency: 4, Clock: clk}
}

// fakeClock is a clock for one reference server and the runs against it:
// it stands still while requests are in flight (a burst lands in one
// window however slow the machine) and a wait moves it at once. It starts
// half a second past a whole minute, so every run meets the same phase of
// the windows, and whole-second rounding of the reset headers is as far
// from an edge as it can be.
func fakeClock() *clock.Fake {
	return clock.NewFake(time.Now().Truncate(time.Minute).Add(500 * time.Millisecond))
}

func run(t testing.TB, cfg checks.Config) *report.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := checks.Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// failures lists the failed results as "check probe: message" lines.
func failures(r *report.Report) []string {
	var out []string
	for _, res := range r.Results {
		if res.Status == report.StatusFail {
			out = append(out, fmt.Sprintf("%s [%s]: %s", res.Check, res.Probe, res.Message))
		}
	}
	return out
}

func failedChecks(r *report.Report) map[string]bool {
	m := map[string]bool{}
	for _, res := range r.Results {
		if res.Status == report.StatusFail {
			m[res.Check] = true
		}
	}
	return m
}

func summary(r *report.Report) string {
	p, f, s := r.Counts()
	return fmt.Sprintf("%d passed, %d failed, %d skipped; %d requests:\n  %s", p, f, s, r.Requests, strings.Join(failures(r), "\n  "))
}

// runFaults runs one profile against a server per fault, several at once,
// and returns the reports. Each run selects only what proves its fault
// (selectFor; nil: every suite), so a fault costs the probes its checks
// need, not the whole suite.
func runFaults(t *testing.T, profile string, faults []string, selectFor func(fault string) []string) map[string]*report.Report {
	t.Helper()
	return runFaultsWith(t, profile, nil, faults, selectFor)
}

func runFaultsWith(t *testing.T, profile string, edit func(*schemas.Profile), faults []string, selectFor func(fault string) []string) map[string]*report.Report {
	t.Helper()
	out := make([]*report.Report, len(faults))
	errs := make([]error, len(faults))
	// On a fake clock the runs only compete for CPU: two at once keep both
	// cores busy without piling up goroutines under -race.
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, f := range faults {
		cfg := targetEdited(t, profile, edit, true, f)
		if selectFor != nil {
			cfg.Suites = selectFor(f)
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			out[i], errs[i] = checks.Run(ctx, cfg)
		})
	}
	wg.Wait()
	m := map[string]*report.Report{}
	for i, f := range faults {
		if errs[i] != nil {
			t.Fatalf("fault %s: %v", f, errs[i])
		}
		m[f] = out[i]
	}
	return m
}
