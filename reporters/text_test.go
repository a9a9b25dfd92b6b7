package reporters

import (
	"bytes"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
)

func TestText_SummaryLine(t *testing.T) {
	type testCase struct {
		name string
		opts Options
	}
	run := func(t *testing.T, tc testCase) {
		r := fixedReport()
		var buf bytes.Buffer
		if err := Text(&buf, r, gated(r, tc.opts)); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
		if got := lines[len(lines)-2]; got != "5 passed, 9 failed, 2 skipped" {
			t.Errorf("summary line = %q", got)
		}
	}
	for _, tc := range []testCase{
		{name: "plain"}, {name: "color", opts: Options{Color: true}}, {name: "quiet", opts: Options{Quiet: true}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestText_Color(t *testing.T) {
	type testCase struct {
		name  string
		color bool
	}
	run := func(t *testing.T, tc testCase) {
		r := fixedReport()
		var buf bytes.Buffer
		if err := Text(&buf, r, gated(r, Options{Color: tc.color})); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(buf.String(), "\x1b["); got != tc.color {
			t.Errorf("escape sequences present = %v, want %v", got, tc.color)
		}
	}
	for _, tc := range []testCase{{name: "on", color: true}, {name: "off"}} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestText_Quiet(t *testing.T) {
	r := fixedReport()
	var buf bytes.Buffer
	if err := Text(&buf, r, gated(r, Options{Quiet: true})); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, absent := range []string{markPass, markSkip, "ratelimit", "burst"} {
		if strings.Contains(out, absent) {
			t.Errorf("quiet output holds %q:\n%s", absent, out)
		}
	}
	// 8 causes, then the 9 failures (one folded into its cause's first).
	if strings.Count(out, markFail) != 17 {
		t.Errorf("quiet output has %d failure marks, want 17:\n%s", strings.Count(out, markFail), out)
	}
	if !strings.HasPrefix(out, "8 causes, 9 failed checks (4 security)\n") {
		t.Errorf("quiet output does not lead with the causes:\n%s", out)
	}
}

func TestText_Interrupted(t *testing.T) {
	r := fixedReport()
	r.Interrupted = true
	var buf bytes.Buffer
	if err := Text(&buf, r, gated(r, Options{Quiet: true})); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), " INTERRUPTED ") || !strings.HasSuffix(buf.String(), "INTERRUPTED\n") {
		t.Errorf("no interrupted banner and verdict:\n%s", buf.String())
	}
}

func TestText_DryRun(t *testing.T) {
	r := reportVariants()["dry run"]
	var buf bytes.Buffer
	if err := Text(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "dry run: 3 requests at most, none sent") || strings.Count(out, "curl ") != 3 {
		t.Errorf("dry run output:\n%s", out)
	}
}

// failWriter fails after n bytes.
type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errShortWrite
	}
	return len(p), nil
}

var errShortWrite = bytes.ErrTooLarge

func TestReporters_WriteErrors(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			f, _ := ByName(name)
			r := fixedReport()
			if err := f(&failWriter{n: 100}, r, gated(r, Options{})); err == nil {
				t.Error("write error not returned")
			}
		})
	}
}

func TestExchangeLog_Lines(t *testing.T) {
	var buf bytes.Buffer
	log := ExchangeLog(&buf, false)
	r := fixedReport()
	first := *r.Results[2].Exchange
	first.Probe = "truncated-json"
	log(first)
	for _, res := range r.Results {
		if res.Check == "resources.unknown-route" {
			log(*res.Exchange)
		}
	}
	want := "→ [truncated-json] POST http://127.0.0.1:4242/v1/calls  ← 400 application/json 35 bytes (4.0ms)\n" +
		"→ GET http://127.0.0.1:4242/v1/it's-not-here  ← error: read tcp 127.0.0.1:4242: connection reset by peer (0.0ms)\n"
	if buf.String() != want {
		t.Errorf("log =\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestText_ExpectedActualNotRepeated(t *testing.T) {
	type testCase struct {
		name     string
		message  string
		wantRows bool
	}
	run := func(t *testing.T, tc testCase) {
		r := &report.Report{Tool: testTool, Version: testVer, Started: started(), Finished: started(), Results: []report.Result{{
			Check: "resources.unknown-id", Suite: "resources", Severity: report.SeverityError, Probe: "unknown-id",
			Status: report.StatusFail, Message: tc.message, Expected: "404 NOT_FOUND", Actual: "400 NOT_FOUND",
		}}}
		var buf bytes.Buffer
		if err := Text(&buf, r, gated(r, Options{})); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if got := strings.Contains(out, "expected: 404 NOT_FOUND") && strings.Contains(out, "actual:   400 NOT_FOUND"); got != tc.wantRows {
			t.Errorf("expected/actual rows shown = %v, want %v:\n%s", got, tc.wantRows, out)
		}
		if !strings.Contains(out, tc.message) {
			t.Errorf("message %q missing:\n%s", tc.message, out)
		}
	}
	for _, tc := range []testCase{
		{name: "message states both", message: "got 400 NOT_FOUND, want 404 NOT_FOUND", wantRows: false},
		{name: "message explains", message: "the unknown id got the wrong status", wantRows: true},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestReporters_Stopped(t *testing.T) {
	type testCase struct {
		format string
		want   string
	}
	const reason = "run time limit reached (--max-duration)"
	run := func(t *testing.T, tc testCase) {
		r := fixedReport()
		r.Stopped = reason
		if !strings.Contains(render(t, tc.format, r, Options{}), tc.want) {
			t.Errorf("%s report does not say why the run stopped (want %q)", tc.format, tc.want)
		}
	}
	for _, tc := range []testCase{
		{format: "text", want: " STOPPED  " + reason},
		{format: "markdown", want: "**Stopped early:** " + reason},
		{format: "json", want: `"stopped": "` + reason + `"`},
		{format: "junit", want: `<property name="stopped" value="` + reason + `">`},
	} {
		t.Run(tc.format, func(t *testing.T) { run(t, tc) })
	}
}
