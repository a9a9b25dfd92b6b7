package cmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/report"
)

func TestDemoCmd_Flags(t *testing.T) {
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
		{name: "problem", args: []string{"--profile", "problem"}, code: ExitOK, within: 10 * time.Second},
		{name: "fault", args: []string{"--fault", "inconsistent-shape"}, code: ExitFailed, within: 10 * time.Second},
		{name: "slow fault", args: []string{"--fault", "no-recovery"}, code: ExitFailed, within: 15 * time.Second},
		{name: "fail-on never", args: []string{"--fault", "wrong-status", "--fail-on", "never"}, code: ExitOK},
		{name: "unknown fault", args: []string{"--fault", "nope"}, code: ExitUsage, errLine: `unknown fault "nope"`},
		{name: "not built in", args: []string{"--profile", "./x.yaml"}, code: ExitUsage, errLine: "built-in profile"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestProbes_ListsCatalogue(t *testing.T) {
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
