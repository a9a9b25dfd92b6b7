package reporters

import (
	"bytes"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
)

func TestAnnotations_Golden(t *testing.T) {
	r := fixedReport()
	gated(r, Options{})
	locate := func(res report.Result) (string, int) {
		if res.Check == "auth.key-in-query" {
			return "errprobe.yaml", 12
		}
		return "", 0
	}
	var buf bytes.Buffer
	if err := Annotations(&buf, r, locate); err != nil {
		t.Fatal(err)
	}
	golden(t, "annotations.txt", buf.Bytes())
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	// 8 causes, the known one left out; security first; one line each.
	if len(lines) != 7 || !strings.HasPrefix(lines[0], "::error title=errprobe envelope.no-leak (security)::") {
		t.Errorf("annotations:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "::error title=errprobe auth.key-in-query (security),file=errprobe.yaml,line=12::") {
		t.Error("no file= and line= for the located failure")
	}
	if !strings.Contains(buf.String(), "::warning title=errprobe envelope.consistent-shape::") {
		t.Error("the warning is not a ::warning")
	}
}

func TestGHData_Escapes(t *testing.T) {
	if got := ghData("50% a\nb\r"); got != "50%25 a%0Ab%0D" {
		t.Errorf("ghData = %q", got)
	}
	if got := ghProperty("a:b,c"); got != "a%3Ab%2Cc" {
		t.Errorf("ghProperty = %q", got)
	}
}
