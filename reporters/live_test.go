package reporters_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	junit "github.com/joshdk/go-junit"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/clock"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/gate"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/reporters"
	"github.com/errprobe/errprobe/schemas"
)

// demoRun runs every suite against the reference server with faults on, as
// `errprobe demo --fault …` does, and returns the report and the server's
// raw keys.
func demoRun(t *testing.T, profile string, faults ...string) (*report.Report, []string) {
	t.Helper()
	base, err := schemas.Builtin(profile, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	// A fake clock shared with the server: the rate-limit windows pass at
	// once, and the burst lands in one window however loaded the machine.
	clk := clock.NewFake(time.Now().Truncate(time.Minute).Add(500 * time.Millisecond))
	srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", base,
		fixtures.WithFaults(faults...), fixtures.WithRateLimit(100, time.Second), fixtures.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	p, err := schemas.Builtin(profile, srv.Keys.Getenv(nil))
	if err != nil {
		t.Fatal(err)
	}
	p.RateLimit.Burst.MaxWait = "3s"
	c, err := schemas.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := checks.Run(ctx, checks.Config{Contract: c, BaseURL: srv.URL, MaxRequests: 1500, Version: "test", Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, v := range srv.Keys.Vars() {
		keys = append(keys, v.Value)
	}
	return r, keys
}

// TestReporters_DemoWithFaults renders a real demo run with faults in every
// format and mode: the JUnit validates against the XSD and parses, the JSON
// matches its schema, and no raw key appears anywhere.
func TestReporters_DemoWithFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the reference server")
	}
	r, keys := demoRun(t, "erzycall", "stack-trace-500", "html-content-type", "revoked-key-accepted", "query-key-accepted")
	v := gate.Decide(r, gate.FailOnWarning, nil)
	if !v.Failed {
		t.Fatalf("demo with faults passed: %+v", v)
	}
	outputs := map[string][]byte{}
	for _, tc := range []struct {
		name, format string
		o            reporters.Options
	}{
		{"text", "text", reporters.Options{}},
		{"text-verbose", "text", reporters.Options{Verbose: true, Color: true}},
		{"json", "json", reporters.Options{}},
		{"junit", "junit", reporters.Options{Hostname: "ci"}},
		{"markdown", "markdown", reporters.Options{}},
	} {
		f, err := reporters.ByName(tc.format)
		if err != nil {
			t.Fatal(err)
		}
		tc.o.Verdict, tc.o.FailOn = v, gate.FailOnWarning
		var buf bytes.Buffer
		if err := f(&buf, r, tc.o); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		outputs[tc.name] = buf.Bytes()
	}
	for name, out := range outputs {
		for _, k := range keys {
			if bytes.Contains(out, []byte(k)) {
				t.Errorf("%s output holds the raw key %s…", name, k[:8])
			}
		}
	}
	if !bytes.Contains(outputs["text"], []byte("$ERRPROBE_API_KEY")) {
		t.Error("text report has no curl line with $ERRPROBE_API_KEY")
	}
	if err := schemas.ValidateReport(outputs["json"]); err != nil {
		t.Error(err)
	}
	suites, err := junit.Ingest(outputs["junit"])
	if err != nil || len(suites) == 0 {
		t.Fatalf("go-junit: %d suites, %v", len(suites), err)
	}
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(path, outputs["junit"], 0o644); err != nil {
		t.Fatal(err)
	}
	if msg := reporters.XMLLint(t, path); msg != "" {
		t.Error(msg)
	}
}
