package reporters

import (
	"bytes"
	"strings"
	"testing"
)

func TestMarkdown_CapsDetailedFailures(t *testing.T) {
	r := bigReport()
	var buf bytes.Buffer
	if err := Markdown(&buf, r, gated(r, Options{})); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if n := strings.Count(out, "\n#### ✗"); n != mdMaxDetailed {
		t.Errorf("%d detailed failures, want %d", n, mdMaxDetailed)
	}
	if !strings.Contains(out, "… and ") {
		t.Error("no list of the remaining failures")
	}
	if len(out) > 65536 {
		t.Errorf("markdown is %d bytes, over a PR comment's 65536", len(out))
	}
}

func TestMdCode_Backticks(t *testing.T) {
	type testCase struct{ in, want string }
	run := func(t *testing.T, tc testCase) {
		if got := mdCode(tc.in); got != tc.want {
			t.Errorf("mdCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{"plain", "`plain`"},
		{"a`b", "``a`b``"},
		{"`x`", "`` `x` ``"},
		{"", "—"},
		{"two\nlines", "`two lines`"},
	} {
		t.Run(tc.in, func(t *testing.T) { run(t, tc) })
	}
}
