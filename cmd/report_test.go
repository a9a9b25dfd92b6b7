package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/errprobe/errprobe/gate"
	"github.com/errprobe/errprobe/report"
)

func testIO(env map[string]string) (*IO, *bytes.Buffer) {
	var out bytes.Buffer
	return &IO{
		Out: &out, Err: &out,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC) },
	}, &out
}

func result(check, probe string, sev report.Severity, st report.Status) report.Result {
	suite, _, _ := strings.Cut(check, ".")
	return report.Result{Check: check, Suite: suite, Probe: probe, Severity: sev, Status: st}
}

var (
	passing      = result("auth.missing-key", "missing-key", report.SeverityError, report.StatusPass)
	errorFail    = result("auth.revoked-key", "revoked-key", report.SeverityError, report.StatusFail)
	warningFail  = result("auth.www-authenticate", "missing-key", report.SeverityWarning, report.StatusFail)
	nowPassing   = result("auth.revoked-key", "revoked-key", report.SeverityError, report.StatusPass)
	revokedEntry = `{"version": 1, "known": [{"check": "auth.revoked-key", "probe": "revoked-key"}]}`
)

func parseReportFlags(t *testing.T, defaultFailOn string, args ...string) *reportOptions {
	t.Helper()
	o := &reportOptions{}
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	addReportFlags(fs, o, defaultFailOn)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestAddReportFlags_Options(t *testing.T) {
	t.Parallel()
	o := parseReportFlags(t, "warning", "--junit", "j.xml", "--json", "-", "--markdown", "m.md",
		"--baseline", "b.json", "--write-baseline", "w.yaml", "--no-color")
	want := reportOptions{JUnit: "j.xml", JSON: "-", Markdown: "m.md", Format: "text", FailOn: "warning",
		Baseline: "b.json", WriteBaseline: "w.yaml", NoColor: true}
	if *o != want {
		t.Errorf("options = %+v, want %+v", *o, want)
	}
	if d := parseReportFlags(t, "error"); d.FailOn != "error" || d.Format != "text" {
		t.Errorf("defaults = %+v", d)
	}
}

func TestWriteReports_ExitCodes(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name        string
		results     []report.Result
		failOn      string
		baseline    string
		interrupted bool
		want        int
		wantLine    string
	}
	run := func(t *testing.T, tc testCase) {
		ios, out := testIO(nil)
		o := &reportOptions{Format: "text", FailOn: tc.failOn}
		if tc.baseline != "" {
			o.Baseline = filepath.Join(t.TempDir(), "baseline.json")
			if err := os.WriteFile(o.Baseline, []byte(tc.baseline), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		r := &report.Report{Results: tc.results, Interrupted: tc.interrupted}
		code, err := writeReports(ios, r, o)
		if err != nil {
			t.Fatal(err)
		}
		if code != tc.want {
			t.Errorf("exit code = %d, want %d\n%s", code, tc.want, out)
		}
		if !strings.Contains(out.String(), tc.wantLine+"\n") {
			t.Errorf("output lacks %q:\n%s", tc.wantLine, out)
		}
	}
	for _, tc := range []testCase{
		{name: "pass", results: []report.Result{passing}, failOn: "error", want: ExitOK, wantLine: "1 passed, 0 failed, 0 skipped"},
		{name: "error failure", results: []report.Result{passing, errorFail}, failOn: "error", want: ExitFailed, wantLine: "1 passed, 1 failed, 0 skipped"},
		{name: "error failure under never", results: []report.Result{errorFail}, failOn: "never", want: ExitOK, wantLine: "0 passed, 1 failed, 0 skipped"},
		{name: "warning only under error", results: []report.Result{passing, warningFail}, failOn: "error", want: ExitOK, wantLine: "1 passed, 1 failed, 0 skipped"},
		{name: "warning only under warning", results: []report.Result{passing, warningFail}, failOn: "warning", want: ExitFailed, wantLine: "1 passed, 1 failed, 0 skipped"},
		{name: "warning only under never", results: []report.Result{passing, warningFail}, failOn: "never", want: ExitOK, wantLine: "1 passed, 1 failed, 0 skipped"},
		{name: "baseline-known failure", results: []report.Result{passing, errorFail}, failOn: "warning", baseline: revokedEntry, want: ExitOK, wantLine: "(1 known, 0 fixed) PASS at --fail-on warning"},
		{name: "known plus a new failure", results: []report.Result{errorFail, warningFail}, failOn: "warning", baseline: revokedEntry, want: ExitFailed, wantLine: "0 passed, 2 failed, 0 skipped"},
		{name: "fixed", results: []report.Result{passing, nowPassing}, failOn: "error", baseline: revokedEntry, want: ExitOK, wantLine: "(0 known, 1 fixed) PASS at --fail-on error"},
		{name: "security finding under security", results: []report.Result{passing, errorFail}, failOn: "security", want: ExitFailed, wantLine: "FAIL at --fail-on security: 1 new security finding"},
		{name: "other errors under security", results: []report.Result{passing, result("envelope.schema", "unknown-id", report.SeverityError, report.StatusFail)}, failOn: "security", want: ExitOK, wantLine: "PASS at --fail-on security"},
		{name: "interrupted", results: []report.Result{errorFail}, failOn: "error", interrupted: true, want: ExitInterrupted, wantLine: "0 passed, 1 failed, 0 skipped"},
		{name: "interrupted and passing", results: []report.Result{passing}, failOn: "error", interrupted: true, want: ExitInterrupted, wantLine: "1 passed, 0 failed, 0 skipped"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func reportFiles(dir string) *reportOptions {
	return &reportOptions{
		Format: "text", FailOn: "error",
		JUnit: filepath.Join(dir, "junit.xml"), JSON: filepath.Join(dir, "report.json"), Markdown: filepath.Join(dir, "summary.md"),
		WriteBaseline: filepath.Join(dir, "baseline.yaml"),
	}
}

func TestWriteReports_Interrupted(t *testing.T) {
	t.Parallel()
	ios, out := testIO(nil)
	o := reportFiles(t.TempDir())
	r := &report.Report{Results: []report.Result{passing, errorFail}, Interrupted: true}
	code, err := writeReports(ios, r, o)
	if err != nil || code != ExitInterrupted {
		t.Fatalf("writeReports = %d, %v", code, err)
	}
	for _, f := range []string{o.JUnit, o.JSON, o.Markdown} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	var doc struct {
		Interrupted bool `json:"interrupted"`
	}
	data, _ := os.ReadFile(o.JSON)
	if err := json.Unmarshal(data, &doc); err != nil || !doc.Interrupted {
		t.Errorf("JSON report: interrupted=%v, %v", doc.Interrupted, err)
	}
	if _, err := os.Stat(o.WriteBaseline); err == nil {
		t.Error("a partial run wrote a baseline")
	}
	if !strings.Contains(out.String(), "not writing baseline "+o.WriteBaseline+": the run was interrupted") {
		t.Errorf("no note about the skipped baseline:\n%s", out)
	}
}

func TestWriteReports_Files(t *testing.T) {
	t.Parallel()
	ios, out := testIO(nil)
	o := reportFiles(t.TempDir())
	r := &report.Report{Results: []report.Result{passing, errorFail}}
	code, err := writeReports(ios, r, o)
	if err != nil || code != ExitFailed {
		t.Fatalf("writeReports = %d, %v", code, err)
	}
	for _, f := range []string{o.JUnit, o.JSON, o.Markdown, o.WriteBaseline} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	b, err := gate.LoadBaseline(o.WriteBaseline)
	if err != nil || len(b.Entries) != 1 || b.Entries[0] != (gate.BaselineEntry{Check: "auth.revoked-key", Probe: "revoked-key"}) {
		t.Errorf("written baseline = %+v, %v", b, err)
	}
	if !strings.Contains(out.String(), "0 skipped") {
		t.Errorf("no text report on stdout:\n%s", out)
	}
}

func TestWriteReports_Stdout(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name    string
		opts    reportOptions
		prefix  string
		wantErr string
	}
	run := func(t *testing.T, tc testCase) {
		ios, out := testIO(nil)
		tc.opts.FailOn = "error"
		code, err := writeReports(ios, &report.Report{Results: []report.Result{passing}}, &tc.opts)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || code != ExitUsage {
				t.Fatalf("writeReports = %d, %v; want exit 2 and %q", code, err, tc.wantErr)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), tc.prefix) {
			t.Errorf("stdout starts %.40q, want %q", out.String(), tc.prefix)
		}
	}
	for _, tc := range []testCase{
		{name: "format json", opts: reportOptions{Format: "json"}, prefix: "{\n  \"schema_version\": \"2\""},
		{name: "format junit", opts: reportOptions{Format: "junit"}, prefix: "<?xml"},
		{name: "format markdown", opts: reportOptions{Format: "markdown"}, prefix: "## errprobe: ✅"},
		{name: "json to dash", opts: reportOptions{Format: "text", JSON: "-"}, prefix: "{"},
		{name: "same format twice is fine", opts: reportOptions{Format: "junit", JUnit: "-"}, prefix: "<?xml"},
		{name: "two reports to stdout", opts: reportOptions{Format: "text", JSON: "-", JUnit: "-"}, wantErr: "only one report can go to stdout"},
		{name: "dash against format", opts: reportOptions{Format: "markdown", JSON: "-"}, wantErr: "only one report can go to stdout"},
		{name: "unknown format", opts: reportOptions{Format: "html"}, wantErr: `invalid --format: unknown report format "html"`},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestWriteReports_UsageErrors(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name     string
		opts     reportOptions
		baseline string // written to a temp file named in opts.Baseline
		want     string
	}
	run := func(t *testing.T, tc testCase) {
		dir := t.TempDir()
		if tc.baseline != "" {
			tc.opts.Baseline = filepath.Join(dir, "known.yaml")
			if err := os.WriteFile(tc.opts.Baseline, []byte(tc.baseline), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		tc.opts.JSON = strings.ReplaceAll(tc.opts.JSON, "DIR", dir)
		tc.opts.Baseline = strings.ReplaceAll(tc.opts.Baseline, "DIR", dir)
		ios, _ := testIO(nil)
		code, err := writeReports(ios, &report.Report{Results: []report.Result{passing}}, &tc.opts)
		if err == nil || code != ExitUsage {
			t.Fatalf("writeReports = %d, %v; want exit 2", code, err)
		}
		msg := strings.ReplaceAll(err.Error(), dir, "DIR")
		if strings.Contains(msg, "\n") || !strings.Contains(msg, tc.want) {
			t.Errorf("error = %q, want one line containing %q", msg, tc.want)
		}
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != ExitUsage {
			t.Errorf("error %v does not carry exit code 2", err)
		}
	}
	for _, tc := range []testCase{
		{name: "bad fail-on", opts: reportOptions{Format: "text", FailOn: "fatal"}, want: `invalid --fail-on "fatal"`},
		{name: "verbose and quiet", opts: reportOptions{Format: "text", FailOn: "error", Verbose: true, Quiet: true}, want: "-v and --quiet"},
		{name: "baseline parse error", opts: reportOptions{Format: "text", FailOn: "error"}, baseline: "version: 1\nknown: [\n", want: "DIR/known.yaml:"},
		{name: "missing baseline", opts: reportOptions{Format: "text", FailOn: "error", Baseline: "DIR/nope.json"}, want: "DIR/nope.json"},
		{name: "unwritable report", opts: reportOptions{Format: "text", FailOn: "error", JSON: "DIR/no/such/dir/r.json"}, want: "failed to write json report: open DIR/no/such/dir/r.json"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestColorEnabled_Decision(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name    string
		tty     bool
		noColor bool
		env     map[string]string
		want    bool
	}
	run := func(t *testing.T, tc testCase) {
		ios, _ := testIO(tc.env)
		ios.OutTTY = tc.tty
		if got := colorEnabled(ios, tc.noColor); got != tc.want {
			t.Errorf("colorEnabled = %v, want %v", got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{name: "terminal", tty: true, want: true},
		{name: "pipe", tty: false, want: false},
		{name: "NO_COLOR", tty: true, env: map[string]string{"NO_COLOR": "1"}, want: false},
		{name: "TERM=dumb", tty: true, env: map[string]string{"TERM": "dumb"}, want: false},
		{name: "--no-color", tty: true, noColor: true, want: false},
		{name: "CLICOLOR_FORCE on a pipe", env: map[string]string{"CLICOLOR_FORCE": "1"}, want: true},
		{name: "CLICOLOR_FORCE=0", env: map[string]string{"CLICOLOR_FORCE": "0"}, want: false},
		{name: "NO_COLOR beats CLICOLOR_FORCE", env: map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, want: false},
		{name: "--no-color beats CLICOLOR_FORCE", noColor: true, env: map[string]string{"CLICOLOR_FORCE": "1"}, want: false},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestWriteReports_BaselineRoundTrip is the CI flow: write a baseline, gate
// the next run against it (known, passes), then fix the check (fixed).
func TestWriteReports_BaselineRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "errprobe-baseline.json")
	type step struct {
		name    string
		opts    reportOptions
		results []report.Result
		want    int
		line    string
	}
	steps := []step{
		{"record", reportOptions{WriteBaseline: path}, []report.Result{passing, errorFail, warningFail}, ExitFailed, "1 passed, 2 failed, 0 skipped"},
		{"gate on it", reportOptions{Baseline: path}, []report.Result{passing, errorFail, warningFail}, ExitOK, "(2 known, 0 fixed) PASS at --fail-on warning"},
		{"fix one", reportOptions{Baseline: path}, []report.Result{passing, nowPassing, warningFail}, ExitOK, "(1 known, 1 fixed) PASS at --fail-on warning"},
		{"new failure", reportOptions{Baseline: path}, []report.Result{passing, errorFail, warningFail, result("auth.expired-key", "expired-key", report.SeverityError, report.StatusFail)}, ExitFailed, "FAIL at --fail-on warning: 1 new error, 0 new warnings"},
	}
	for _, s := range steps {
		ios, out := testIO(nil)
		s.opts.Format, s.opts.FailOn = "text", "warning"
		code, err := writeReports(ios, &report.Report{Results: s.results}, &s.opts)
		if err != nil || code != s.want {
			t.Fatalf("%s: writeReports = %d, %v; want %d\n%s", s.name, code, err, s.want, out)
		}
		if !strings.Contains(out.String(), s.line) {
			t.Errorf("%s: output lacks %q:\n%s", s.name, s.line, out)
		}
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), "{") {
		t.Errorf("a .json baseline is not JSON:\n%s", data)
	}
}

// TestWriteReports_Width: the stdout report wraps at word boundaries to
// COLUMNS, else to the terminal's width; without either it is not wrapped.
func TestWriteReports_Width(t *testing.T) {
	t.Parallel()
	long := errorFail
	long.Message = "the revoked key was accepted: the API answered 200 with the account's data instead of 401 REVOKED_KEY"
	r := &report.Report{Results: []report.Result{passing, long, warningFail}}
	for _, tc := range []struct {
		name     string
		columns  string
		terminal int
		want     int // the widest line (0: some line wider than 80)
	}{
		{name: "COLUMNS=40", columns: "40", want: 40},
		{name: "a 40-column terminal", terminal: 40, want: 40},
		{name: "COLUMNS wins over the terminal", columns: "60", terminal: 40, want: 60},
		{name: "a 200-column terminal", terminal: 200, want: 0},
		{name: "no terminal, no COLUMNS", columns: "x", want: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, out := testIO(map[string]string{"COLUMNS": tc.columns})
			ios.OutWidth = func() int { return tc.terminal }
			if _, err := writeReports(ios, r, &reportOptions{Format: "text", FailOn: "error", NoColor: true}); err != nil {
				t.Fatal(err)
			}
			widest := 0
			for _, l := range strings.Split(out.String(), "\n") {
				widest = max(widest, utf8.RuneCountInString(l))
			}
			if tc.want == 0 && widest <= 80 || tc.want > 0 && (widest > tc.want || widest < tc.want-15) {
				t.Errorf("widest line %d columns, want %d (0: unwrapped):\n%s", widest, tc.want, out)
			}
		})
	}
}
