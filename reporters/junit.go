package reporters

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/errprobe/errprobe/report"
)

// junitTimestamp is JUnit's timestamp layout (ISO 8601, no zone, UTC).
const junitTimestamp = "2006-01-02T15:04:05"

// failureBodyCap caps a response body inside a <failure>.
const failureBodyCap = 4 << 10

// junitTestsuites is the report's root. It carries only what the Jenkins
// xUnit schema allows there (name, time, tests, failures, errors): a strict
// consumer rejects an undeclared attribute, so the skipped total lives on
// each <testsuite>, never on the root.
type junitTestsuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Time     string           `xml:"time,attr"`
	Suites   []junitTestsuite `xml:"testsuite"`
}

type junitTestsuite struct {
	Name      string `xml:"name,attr"`
	Tests     int    `xml:"tests,attr"`
	Failures  int    `xml:"failures,attr"`
	Errors    int    `xml:"errors,attr"`
	Skipped   int    `xml:"skipped,attr"`
	Time      string `xml:"time,attr"`
	Timestamp string `xml:"timestamp,attr"`
	Hostname  string `xml:"hostname,attr"`
	// File is the profile the suite checked. (The Jenkins schema allows a
	// file attribute on testsuite, not on testcase.)
	File       string          `xml:"file,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitTestcase `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestcase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Error     *junitMessage `xml:"error"`
	Failure   *junitMessage `xml:"failure"`
	Skipped   *junitMessage `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

// JUnit renders JUnit XML for CI test views (Jenkins, GitLab, GitHub,
// Azure DevOps): one <testsuite> per suite, one <testcase> per result named
// "CHECK (probe)". A failure the baseline knows is reported as <skipped>, so
// CI does not fail on it; a fixed one passes with a note in <system-out>.
// All text is stripped of XML-illegal characters and invalid UTF-8.
func JUnit(w io.Writer, r *report.Report, o Options) error {
	doc := junitTestsuites{Name: clean(junitRunName(r)), Time: seconds(elapsed(r))}
	if r.Error != "" {
		doc.Suites = append(doc.Suites, junitErrorSuite(r, o))
		doc.Tests, doc.Errors = 1, 1
	}
	for _, s := range bySuite(r) {
		ts := junitSuite(r, s, o)
		doc.Tests += ts.Tests
		doc.Failures += ts.Failures
		doc.Errors += ts.Errors
		doc.Suites = append(doc.Suites, ts)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitSuite(r *report.Report, s suite, o Options) junitTestsuite {
	ts := junitTestsuite{
		Name:       clean(junitRunName(r) + " " + s.Name),
		Time:       seconds(suiteWallTime(r, s.Results)),
		Timestamp:  r.Started.UTC().Format(junitTimestamp),
		Hostname:   clean(nonEmpty(o.Hostname, "localhost")),
		File:       clean(relativeTo(o.WorkDir, profileFile(r))),
		Properties: junitProperties(r),
	}
	for _, rs := range sameCase(s.Results) {
		tc := junitCase(rs[0], r.Burst)
		for _, more := range rs[1:] {
			addFailure(&tc, more, r.Burst)
		}
		ts.Cases = append(ts.Cases, tc)
		switch {
		case tc.Failure != nil:
			ts.Failures++
		case tc.Skipped != nil:
			ts.Skipped++
		}
	}
	ts.Tests = len(ts.Cases)
	if s.Name == "ratelimit" && r.Burst != nil {
		ts.SystemOut = "burst: " + burstLine(r.Burst)
	}
	return ts
}

// sameCase groups results that are one testcase: the failures of one check
// in one probe (one per failing request) stay one testcase, so a run has
// the same testcases whatever the target answers.
func sameCase(rs []report.Result) [][]report.Result {
	var out [][]report.Result
	at := map[string]int{}
	for _, res := range rs {
		k := res.Check + "\x00" + res.Probe + "\x00" + res.Operation
		if i, ok := at[k]; ok && (res.Status == report.StatusFail || res.Status == report.StatusAccepted) && out[i][0].Status == res.Status {
			out[i] = append(out[i], res)
			continue
		}
		at[k] = len(out)
		out = append(out, []report.Result{res})
	}
	return out
}

// addFailure adds a further failing request of the same check and probe
// to a testcase's failure.
func addFailure(tc *junitTestcase, res report.Result, burst *report.BurstStats) {
	m := tc.Failure
	if m == nil {
		m = tc.Skipped
	}
	if m == nil {
		return
	}
	m.Text += "\n----\n" + failureText(res, burst)
	m.Message = clean(m.Message + "; also: " + oneLine(failureMessage(res)))
}

func junitProperties(r *report.Report) []junitProperty {
	props := []junitProperty{
		{Name: "profile", Value: clean(r.Profile)},
		{Name: "base_url", Value: clean(r.BaseURL)},
		{Name: "errprobe.version", Value: clean(r.Version)},
	}
	if r.Interrupted {
		props = append(props, junitProperty{Name: "interrupted", Value: "true"})
	}
	if r.Stopped != "" {
		props = append(props, junitProperty{Name: "stopped", Value: clean(r.Stopped)})
	}
	if len(r.Leftovers) > 0 {
		props = append(props, junitProperty{Name: "leftovers", Value: clean(strings.Join(r.Leftovers, " "))})
	}
	return props
}

// junitName is a testcase's name under its suite's classname: the check
// without the suite ("status-match (unknown-id)"), so CI views that join
// classname and name do not say the suite twice.
func junitName(res report.Result) string {
	name := strings.TrimPrefix(res.Check, res.Suite+".")
	if label := probeLabel(res); label != "" {
		name += " (" + label + ")"
	}
	return name
}

// junitErrorSuite is the one suite of a run that could not be made: one
// testcase whose <error> says why (the target unreachable, a usage or
// profile error), so CI shows a red test instead of a missing report.
func junitErrorSuite(r *report.Report, o Options) junitTestsuite {
	name := nonEmpty(r.ErrorKind, "error")
	return junitTestsuite{
		Name: clean(junitRunName(r) + " " + name), Tests: 1, Errors: 1, Time: seconds(elapsed(r)),
		Timestamp: r.Started.UTC().Format(junitTimestamp), Hostname: clean(nonEmpty(o.Hostname, "localhost")),
		File: clean(relativeTo(o.WorkDir, profileFile(r))), Properties: junitProperties(r),
		Cases: []junitTestcase{{
			Classname: "errprobe", Name: clean(name), Time: seconds(elapsed(r)),
			Error: &junitMessage{Message: oneLine(r.Error), Type: name, Text: clean(r.Error)},
		}},
	}
}

// junitRunName names the run in JUnit: "errprobe PROFILE", so suites of
// runs against two profiles stay apart when a CI tool merges reports
// (junit-report-merger joins suites of the same name).
func junitRunName(r *report.Report) string {
	return strings.TrimSpace(nonEmpty(r.Tool, "errprobe") + " " + r.Profile)
}

// relativeTo names path relative to dir when it lies within it.
func relativeTo(dir, path string) string {
	if dir == "" || path == "" || !filepath.IsAbs(path) {
		return path
	}
	if rel, err := filepath.Rel(dir, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(rel)
	}
	return path
}

// profileFile is the file the profile came from, "" for a built-in.
func profileFile(r *report.Report) string {
	if strings.HasPrefix(r.ProfileFile, "builtin:") {
		return ""
	}
	return r.ProfileFile
}

func junitCase(res report.Result, burst *report.BurstStats) junitTestcase {
	tc := junitTestcase{Classname: clean(res.Suite), Name: clean(junitName(res)), Time: seconds(res.Duration)}
	switch {
	case res.Status == report.StatusFail && res.Known:
		tc.Skipped = &junitMessage{Message: "known failure (baseline): " + oneLine(res.Message), Text: failureText(res, burst)}
	case res.Status == report.StatusFail:
		tc.Failure = &junitMessage{Message: oneLine(failureMessage(res)), Type: failureType(res), Text: failureText(res, burst)}
	case res.Status == report.StatusSkip:
		tc.Skipped = &junitMessage{Message: oneLine(res.Message)}
	case res.Status == report.StatusAccepted:
		tc.Skipped = &junitMessage{Message: oneLine("accepted deviation: " + res.Accepted + ": " + failureMessage(res)), Text: failureText(res, burst)}
	case res.Fixed:
		tc.SystemOut = "fixed: listed in the baseline, passes now"
	}
	return tc
}

// failureType is a failure's type attribute: its severity, "security
// error" for a check tagged security.
func failureType(res report.Result) string {
	if report.IsSecurity(res.Check) {
		return "security " + string(res.Severity)
	}
	return string(res.Severity)
}

func failureMessage(res report.Result) string {
	if res.Message != "" {
		return res.Message
	}
	return fmt.Sprintf("expected %s, got %s", res.Expected, res.Actual)
}

// failureText is a failure's body: expected vs actual, then the reproducing
// request and the response (masked by the engine).
func failureText(res report.Result, burst *report.BurstStats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n", res.Check, failureType(res))
	if refs := report.References(res.Check); len(refs) > 0 {
		fmt.Fprintf(&b, "references: %s\n", strings.Join(refs, "; "))
	}
	if res.Message != "" {
		fmt.Fprintf(&b, "%s\n", res.Message)
	}
	if res.Expected != "" {
		fmt.Fprintf(&b, "expected: %s\n", res.Expected)
	}
	if res.Actual != "" {
		fmt.Fprintf(&b, "actual:   %s\n", res.Actual)
	}
	if x := res.Exchange; x != nil {
		b.WriteString("\nreproduce:\n" + Reproduce(res, burst) + "\n")
		if x.Err != "" {
			b.WriteString("\nerror: " + x.Err + "\n")
		}
		if x.Response != nil {
			b.WriteString("\nresponse:\n" + rawResponse(x.Response, failureBodyCap))
		}
	}
	return clean(b.String())
}

// rawResponse renders a response as HTTP text, its body capped.
func rawResponse(resp *report.Response, bodyCap int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d\n", nonEmpty(resp.Proto, "HTTP"), resp.Status)
	for _, k := range sortedKeys(resp.Header) {
		for _, v := range resp.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	if resp.Body != "" {
		b.WriteString("\n" + truncate(resp.Body, bodyCap) + "\n")
	}
	if resp.Truncated {
		b.WriteString("(body truncated at the read cap)\n")
	}
	return b.String()
}
