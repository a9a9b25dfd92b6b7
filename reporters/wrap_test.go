package reporters

import (
	"slices"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	type testCase struct {
		name  string
		in    string
		width int
		want  string
	}
	run := func(t *testing.T, tc testCase) {
		if got := wrap(tc.in, tc.width); got != tc.want {
			t.Errorf("wrap(%q, %d) =\n%q\nwant\n%q", tc.in, tc.width, got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{name: "fits", in: "5 passed, 0 failed", width: 20, want: "5 passed, 0 failed"},
		{name: "no width", in: strings.Repeat("word ", 30), width: 0, want: strings.Repeat("word ", 30)},
		{name: "too narrow to wrap", in: "one two three four five six", width: 10, want: "one two three four five six"},
		{name: "at a space, indented past the line's indent", in: "  ✓ resources.unknown-route (unknown-route)", width: 30,
			want: "  ✓ resources.unknown-route\n    (unknown-route)"},
		{name: "a long word stays whole", in: "  - http://127.0.0.1:4242/v1/calls/call_123456789 x", width: 24,
			want: "  - http://127.0.0.1:4242/v1/calls/call_123456789\n    x"},
		{name: "each line of a block", in: "alpha beta gamma delta epsilon\n  zeta eta theta iota kappa lambda", width: 20,
			want: "alpha beta gamma\n  delta epsilon\n  zeta eta theta\n    iota kappa\n    lambda"},
		{name: "escapes take no columns", in: "\x1b[1mbold\x1b[22m words here and there", width: 21,
			want: "\x1b[1mbold\x1b[22m words here and\n  there"},
		{name: "a color at the break is closed and reopened", in: "\x1b[2mdim words that run on past the edge\x1b[0m", width: 24,
			want: "\x1b[2mdim words that run on\x1b[0m\n  \x1b[2mpast the edge\x1b[0m"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestText_WrapsAtWords: at 40 columns the report says the same words as
// unwrapped, none split; a line still wider is one left whole on purpose —
// a single long word (perhaps after a bullet), or a curl command (copyable
// as printed).
func TestText_WrapsAtWords(t *testing.T) {
	r := fixedReport()
	whole := render(t, "text", r, Options{})
	for _, width := range []int{40, 200} {
		got := render(t, "text", r, Options{Width: width})
		if !slices.Equal(strings.Fields(got), strings.Fields(whole)) {
			t.Errorf("at %d columns the words differ from the unwrapped report", width)
		}
		for _, l := range strings.Split(got, "\n") {
			if f := strings.Fields(l); visibleWidth(l) <= width || len(f) == 1 || len(f) == 2 && visibleWidth(f[0]) <= 2 {
				continue // fits, or one word (after a mark or bullet)
			}
			if !strings.Contains(whole, l+"\n") || !isCommandLine(l) {
				t.Errorf("at %d columns a %d-column line: %q", width, visibleWidth(l), l)
			}
		}
	}
}

// isCommandLine reports whether l is a line of a curl reproduction.
func isCommandLine(l string) bool {
	l = strings.TrimSpace(l)
	for _, p := range []string{"curl ", "-H ", "-X ", "-u ", "--data-binary ", "# ", "http", "'http", `"http`} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}
