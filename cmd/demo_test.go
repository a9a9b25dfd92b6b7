package cmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/report"
)

func TestDemoCmd_Flags(t *testing.T) {
	t.Parallel()
	io, _, _ := serveIO()
	var got *demoOptions
	c := demoCmd(io, func(_ context.Context, _ *IO, o *demoOptions) error { got = o; return nil })
	c.SetArgs([]string{"--profile", "problem", "--fault", "wrong-status", "--fault", "no-recovery", "-q"})
	if err := c.Execute(); err != nil || got == nil {
		t.Fatalf("execute: %v", err)
	}
	if got.Profile != "problem" || strings.Join(got.Faults, ",") != "wrong-status,no-recovery" || !got.Quiet || got.report.FailOn != "warning" {
		t.Errorf("options = %+v", got)
	}
}

func TestRunDemo_ExitCodes(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name    string
		args    []string
		code    int
		errLine string
		within  time.Duration
	}
	run := func(t *testing.T, tc testCase) {
		start := time.Now()
		code, out, errOut := errprobe(t, nil, append([]string{"demo"}, tc.args...)...)
		if code != tc.code {
			t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
		}
		if tc.errLine != "" && !strings.Contains(errOut, tc.errLine) {
			t.Errorf("stderr %q, want %q", errOut, tc.errLine)
		}
		// Hang detectors: a demo waits up to two 2 s windows (a fresh one for the
		// burst, then the reset); the bounds are generous for a loaded machine.
		if d := time.Since(start); tc.within > 0 && d > tc.within {
			t.Errorf("demo took %s, want under %s", d, tc.within)
		}
	}
	for _, tc := range []testCase{
		{name: "clean", code: ExitOK, within: 10 * time.Second},
		// The real-time end-to-end demo: the burst's window and the reset
		// waited out on the wall clock (two 2 s windows at most).
		{name: "real time", args: []string{"--real-time", "-q"}, code: ExitOK, within: 20 * time.Second},
		{name: "problem", args: []string{"--profile", "problem"}, code: ExitOK, within: 10 * time.Second},
		{name: "fault", args: []string{"--fault", "inconsistent-shape"}, code: ExitFailed, within: 10 * time.Second},
		{name: "slow fault", args: []string{"--fault", "no-recovery"}, code: ExitFailed, within: 15 * time.Second},
		{name: "fail-on never", args: []string{"--fault", "wrong-status", "--fail-on", "never"}, code: ExitOK},
		{name: "unknown fault", args: []string{"--fault", "nope"}, code: ExitUsage, errLine: `unknown fault "nope"`},
		{name: "not built in", args: []string{"--profile", "./x.yaml"}, code: ExitUsage, errLine: "built-in profile"},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// TestRunDemo_SkipsWaits: by default demo's server and run share a clock
// that skips the waits: the fresh window, the recovery and a 429's
// Retry-After pass at once, and stderr says how much was skipped.
func TestRunDemo_SkipsWaits(t *testing.T) {
	t.Parallel()
	out, errb := &syncBuffer{}, &syncBuffer{}
	io := &IO{Out: out, Err: errb, Getenv: func(string) string { return "" }, Now: time.Now}
	root := NewRootCmd(io)
	root.SetArgs([]string{"demo", "--fault", "no-recovery"})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	if code := exitStatus(io, root.ExecuteContext(ctx)); code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errb)
	}
	if !strings.Contains(out.String(), "ratelimit.recovery") {
		t.Errorf("no-recovery not caught:\n%s", out)
	}
	if !strings.Contains(errb.String(), "of rate-limit waits skipped") {
		t.Errorf("stderr does not say what it skipped: %q", errb)
	}
	// A hang detector: the waits it skips are 3 s (max wait) or more.
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("demo took %s", d)
	}
}

func TestProbes_ListsCatalogue(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"probes"}, {"probes", "--markdown"}} {
		code, out, _ := errprobe(t, nil, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d", args, code)
		}
		for _, c := range report.Catalogue() {
			if !strings.Contains(out, c.ID) || !strings.Contains(out, c.Description) {
				t.Errorf("%v: %s missing", args, c.ID)
			}
		}
		if len(args) == 2 && strings.Count(out, "\n") != len(report.Catalogue())+2 {
			t.Errorf("markdown table has %d lines", strings.Count(out, "\n"))
		}
	}
}
