package cmd

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

func TestWriteReports_MarkdownAppends(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name    string
		env     func(path string) map[string]string
		args    []string
		appends bool
	}
	run := func(t *testing.T, tc testCase) {
		path := filepath.Join(t.TempDir(), "summary.md")
		if err := os.WriteFile(path, []byte("line from an earlier step\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		io, _ := testIO(tc.env(path))
		o := parseReportFlags(t, "error", append([]string{"--markdown", path}, tc.args...)...)
		r := &report.Report{Results: []report.Result{passing}}
		if _, err := writeReports(io, r, o); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		got := strings.HasPrefix(string(b), "line from an earlier step\n\n## errprobe")
		if got != tc.appends || !strings.Contains(string(b), "## errprobe") {
			t.Errorf("appended = %v, want %v:\n%s", got, tc.appends, b)
		}
	}
	none := func(string) map[string]string { return nil }
	for _, tc := range []testCase{
		{name: "the step summary is appended to", env: func(p string) map[string]string { return map[string]string{"GITHUB_STEP_SUMMARY": p} }, appends: true},
		{name: "--markdown-append", env: none, args: []string{"--markdown-append"}, appends: true},
		{name: "another file is replaced", env: func(string) map[string]string { return map[string]string{"GITHUB_STEP_SUMMARY": "/elsewhere.md"} }},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestWriteReports_Annotations(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	profile := filepath.Join(dir, "errprobe.yaml")
	src := "extends: erzycall\ncodes:\n  REVOKED_KEY: {status: 401}\n"
	if err := os.WriteFile(profile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fail := errorFail
	fail.Expected, fail.Message = "401 REVOKED_KEY", "revoked key was accepted"
	fail.Exchange = &report.Exchange{Response: &report.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}}}
	warn := warningFail
	r := &report.Report{ProfileFile: profile, Results: []report.Result{passing, fail, warn}}
	for _, tc := range []struct {
		name, env string
		args      []string
		want      []string
	}{
		{name: "off outside GitHub Actions", env: "", want: nil},
		{name: "one command per cause", env: "true", want: []string{
			"::error title=errprobe auth.revoked-key (security),file=" + profile + ",line=3::status 200 instead of 401 · auth.revoked-key · 1 failure: revoked-key — revoked key was accepted",
			"::warning title=errprobe auth.www-authenticate,file=" + profile + "::no response · auth.www-authenticate · 1 failure: missing-key",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io, out := testIO(map[string]string{"GITHUB_ACTIONS": tc.env})
			o := parseReportFlags(t, "error")
			o.Quiet = true
			if _, err := writeReports(io, r, o); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(l, "::") {
					got = append(got, l)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("annotations:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestProbes_JSON(t *testing.T) {
	t.Parallel()
	code, out, _ := errprobe(t, nil, "probes", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	goldenFile(t, "probes.json", []byte(out))
	var doc struct {
		Checks []catalogueEntry `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Checks) != len(report.Catalogue()) {
		t.Fatalf("%d checks, want %d", len(doc.Checks), len(report.Catalogue()))
	}
	for _, c := range doc.Checks {
		switch c.ID {
		case report.ResourcesTenantLeak, report.ResourcesTenantBreach, report.AuthRevokedKey:
			if len(c.Tags) == 0 || c.Tags[0] != report.TagSecurity || !strings.Contains(strings.Join(c.References, " "), ":2023") {
				t.Errorf("%s: tags %v references %v, want security with an OWASP API id", c.ID, c.Tags, c.References)
			}
		}
	}
}

// junitCases lists a JUnit file's testcases as "classname/name", sorted.
func junitCases(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			File  string `xml:"file,attr"`
			Cases []struct {
				Classname string `xml:"classname,attr"`
				Name      string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if strings.HasPrefix(c.Name, c.Classname+".") {
				t.Errorf("testcase %q repeats its suite %q", c.Name, c.Classname)
			}
			out = append(out, c.Classname+"/"+c.Name)
		}
	}
	sort.Strings(out)
	return out
}

// The same profile and selection give the same testcases whatever the
// target answers: checks without evidence are skipped, not left out.
func TestDemo_JUnitTestcasesStable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var sets [][]string
	for i, faults := range [][]string{nil, {"wrong-status"}, {"no-rate-limit"}, {"html-content-type"}} {
		path := filepath.Join(dir, "r"+string(rune('0'+i))+".xml")
		args := []string{"demo", "--junit", path, "-q", "--fail-on", "never"}
		for _, f := range faults {
			args = append(args, "--fault", f)
		}
		if code, out, errOut := errprobe(t, nil, args...); code != ExitOK {
			t.Fatalf("%v: exit %d\n%s%s", faults, code, out, errOut)
		}
		sets = append(sets, junitCases(t, path))
	}
	for i, s := range sets[1:] {
		if strings.Join(s, "\n") != strings.Join(sets[0], "\n") {
			t.Errorf("fault run %d has %d testcases, the clean run %d; first difference: %s", i+1, len(s), len(sets[0]), firstDiff(sets[0], s))
		}
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + " vs " + b[i]
		}
	}
	return "one is a prefix of the other"
}

// A run's HAR holds every exchange but the burst's once each, plus the
// burst's samples, valid HAR 1.2, with no byte of any key.
func TestRunRun_HAR(t *testing.T) {
	t.Parallel()
	url, env := serveFor(t, "erzycall")
	dir := t.TempDir()
	harPath, jsonPath := filepath.Join(dir, "run.har"), filepath.Join(dir, "run.json")
	code, out, errOut := errprobe(t, env, "run", url, "-p", "erzycall", "--har", harPath, "--json", jsonPath, "-q")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	har, _ := os.ReadFile(harPath)
	if err := schemas.ValidateHAR(har); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Entries []struct {
				Burst *struct{ Sent int } `json:"_burst"`
			}
		}
	}
	if err := json.Unmarshal(har, &doc); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Requests int
		Burst    struct{ Sent int }
	}
	b, _ := os.ReadFile(jsonPath)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	plain, samples := 0, 0
	for _, e := range doc.Log.Entries {
		if e.Burst != nil {
			samples++
			if e.Burst.Sent != rep.Burst.Sent {
				t.Errorf("burst sample says %d sent, the burst sent %d", e.Burst.Sent, rep.Burst.Sent)
			}
		} else {
			plain++
		}
	}
	if want := rep.Requests - rep.Burst.Sent; plain != want || samples == 0 {
		t.Errorf("%d entries and %d burst samples, want one per request outside the burst (%d) and samples", plain, samples, want)
	}
	for name, v := range env {
		if len(v) >= 12 && (strings.Contains(string(har), v) || strings.Contains(string(har), v[len(v)-12:])) {
			t.Errorf("HAR holds bytes of %s", name)
		}
	}
}

// A custom probe's failure points at its entry in the profile.
func TestRunRun_AnnotationPointsAtCustomProbe(t *testing.T) {
	t.Parallel()
	url, env := serveFor(t, "erzycall")
	profile := filepath.Join(t.TempDir(), "errprobe.yaml")
	src := "extends: erzycall\nprobes:\n  - name: teapot\n    request: {method: GET, path: /api/v1/contacts, key: valid}\n    expect: {status: 418}\n"
	if err := os.WriteFile(profile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	env["GITHUB_ACTIONS"] = "true"
	code, out, errOut := errprobe(t, env, "run", url, "-p", profile, "--suite", "custom", "-q")
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitFailed, out, errOut)
	}
	want := "::error title=errprobe custom.teapot,file=" + profile + ",line=3::"
	if !strings.Contains(out, want) {
		t.Errorf("stdout lacks %q:\n%s", want, out)
	}
}
