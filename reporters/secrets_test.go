package reporters

import (
	"strings"
	"testing"
)

// TestReporters_NoRawKey is a defensive check: reporters render what the
// engine gives them, and a report whose exchanges carry a masked key must
// render no raw key, in any format and mode, and reproduce requests with
// $ERRPROBE_API_KEY.
func TestReporters_NoRawKey(t *testing.T) {
	type testCase struct {
		format string
		opts   Options
	}
	run := func(t *testing.T, tc testCase) {
		r := fixedReport()
		out := render(t, tc.format, r, tc.opts)
		for _, secret := range []string{testKey, testKey[:16], testKey[len(testKey)-12:]} {
			if strings.Contains(out, secret) {
				t.Errorf("output holds %q", secret)
			}
		}
		if !strings.Contains(out, `Authorization: Bearer $ERRPROBE_API_KEY`) {
			t.Error("no curl line with the key as $ERRPROBE_API_KEY")
		}
	}
	for _, tc := range []testCase{
		{format: "text"}, {format: "text", opts: Options{Verbose: true}}, {format: "text", opts: Options{Quiet: true}},
		{format: "json"}, {format: "junit"}, {format: "markdown"},
	} {
		t.Run(tc.format, func(t *testing.T) { run(t, tc) })
	}
}
