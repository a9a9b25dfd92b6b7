package reporters

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/errprobe/errprobe/report"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reporters -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./reporters -update to accept):\n--- got\n%s", path, got)
	}
}

func TestReporters_Golden(t *testing.T) {
	type testCase struct {
		file   string
		format string
		opts   Options
		report *report.Report
	}
	run := func(t *testing.T, tc testCase) {
		r := fixedReport()
		if tc.report != nil {
			r = tc.report
		}
		golden(t, tc.file, []byte(render(t, tc.format, r, tc.opts)))
	}
	for _, tc := range []testCase{
		{file: "report.txt", format: "text"},
		{file: "report-quiet.txt", format: "text", opts: Options{Quiet: true}},
		{file: "report-verbose.txt", format: "text", opts: Options{Verbose: true}},
		{file: "report-color.txt", format: "text", opts: Options{Color: true}},
		{file: "report-40col.txt", format: "text", opts: Options{Width: 40}},
		{file: "report-40col-color.txt", format: "text", opts: Options{Width: 40, Color: true}},
		{file: "report-200col.txt", format: "text", opts: Options{Width: 200}},
		{file: "report.json", format: "json"},
		{file: "report.xml", format: "junit"},
		{file: "report.md", format: "markdown"},
		{file: "unreachable.xml", format: "junit", report: unreachableReport()},
		{file: "unreachable.md", format: "markdown", report: unreachableReport()},
		{file: "unreachable.json", format: "json", report: unreachableReport()},
	} {
		t.Run(tc.file, func(t *testing.T) { run(t, tc) })
	}
}

func TestByName_Unknown(t *testing.T) {
	if _, err := ByName("html"); err == nil {
		t.Fatal("ByName(html) succeeded")
	}
	for _, n := range Names() {
		if _, err := ByName(n); err != nil {
			t.Errorf("ByName(%q): %v", n, err)
		}
	}
}
