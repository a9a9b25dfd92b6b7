package reporters

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	junit "github.com/joshdk/go-junit"
)

// junitXSD is a copy of ../shared/junit/jenkins-junit.xsd (MIT, header kept).
const junitXSD = "testdata/jenkins-junit.xsd"

// xmllint validates a JUnit file against the Jenkins XSD, returning
// xmllint's complaint ("" when valid). Without xmllint the test is skipped,
// saying so.
func xmllint(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (apt-get install libxml2-utils); JUnit XSD validation skipped")
	}
	xsd, err := filepath.Abs(junitXSD)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", xsd, path).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("xmllint --schema: %v\n%s", err, out)
	}
	return ""
}

func TestJUnit_ValidatesAgainstXSD(t *testing.T) {
	for name, r := range reportVariants() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := JUnit(&buf, r, gated(r, Options{})); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "junit.xml")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if msg := xmllint(t, path); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// TestJUnit_GoldenValidatesAgainstXSD validates the golden JUnit files
// exactly as written, and proves the validation can fail: the same file
// with an attribute the schema does not declare on <testsuites> (the
// skipped total a strict consumer would reject) must be refused.
func TestJUnit_GoldenValidatesAgainstXSD(t *testing.T) {
	for _, name := range []string{"report.xml", "unreachable.xml"} {
		t.Run(name, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			if msg := xmllint(t, filepath.Join("testdata", name)); msg != "" {
				t.Error(msg)
			}
			bad := bytes.Replace(doc, []byte("<testsuites "), []byte(`<testsuites skipped="1" `), 1)
			path := filepath.Join(t.TempDir(), "undeclared.xml")
			if err := os.WriteFile(path, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			if msg := xmllint(t, path); !strings.Contains(msg, "skipped") {
				t.Errorf("xmllint accepted <testsuites skipped>, an attribute the schema does not declare (%q)", msg)
			}
		})
	}
}

// TestJUnit_SkippedTotals: every <testsuite> says how many of its
// testcases were skipped; the root does not (the schema has no place for it).
func TestJUnit_SkippedTotals(t *testing.T) {
	r := fixedReport()
	var buf bytes.Buffer
	if err := JUnit(&buf, r, gated(r, Options{})); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Skipped *int `xml:"skipped,attr"`
		Suites  []struct {
			Name    string `xml:"name,attr"`
			Skipped *int   `xml:"skipped,attr"`
			Cases   []struct {
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Skipped != nil {
		t.Errorf("<testsuites> has skipped=%d, outside the Jenkins schema", *doc.Skipped)
	}
	for _, s := range doc.Suites {
		n := 0
		for _, c := range s.Cases {
			if c.Skipped != nil {
				n++
			}
		}
		if s.Skipped == nil || *s.Skipped != n {
			t.Errorf("suite %s: skipped attribute %v, want %d", s.Name, s.Skipped, n)
		}
	}
}

func TestJUnit_ParsesWithGoJUnit(t *testing.T) {
	r := fixedReport()
	var buf bytes.Buffer
	if err := JUnit(&buf, r, gated(r, Options{})); err != nil {
		t.Fatal(err)
	}
	suites, err := junit.Ingest(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]junit.Totals{
		"envelope":  {Tests: 7, Passed: 2, Failed: 5},
		"auth":      {Tests: 5, Passed: 2, Failed: 1, Skipped: 2}, // the known failure is skipped
		"resources": {Tests: 2, Failed: 2},
		"ratelimit": {Tests: 2, Passed: 1, Skipped: 1},
	}
	if len(suites) != len(want) {
		t.Fatalf("got %d suites, want %d", len(suites), len(want))
	}
	for _, s := range suites {
		got := s.Totals
		got.Duration = 0
		if got != want[strings.TrimPrefix(s.Name, "errprobe erzycall ")] {
			t.Errorf("suite %s totals = %+v, want %+v", s.Name, got, want[s.Name])
		}
		if s.Properties["profile"] != "erzycall" || s.Properties["base_url"] != testBase || s.Properties["errprobe.version"] != testVer {
			t.Errorf("suite %s properties = %v", s.Name, s.Properties)
		}
	}
	tc := suites[0].Tests[2]
	if tc.Name != "schema (truncated-json)" || tc.Classname != "envelope" || tc.Error == nil {
		t.Errorf("testcase = %+v", tc)
	}
}

// wellFormed decodes XML token by token, failing on any syntax error.
func wellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return nil
			}
			return err
		}
	}
}
