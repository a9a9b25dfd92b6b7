// Package reporters renders a finished report.Report: one pure function per
// format, from the report to an io.Writer. Reporters render what they are
// given; secrets were masked by the engine before the report was built.
package reporters

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/errprobe/errprobe/gate"
	"github.com/errprobe/errprobe/report"
)

// Options tune a reporter. Color, Verbose and Quiet apply to Text only; JSON,
// JUnit and Markdown are never colored.
type Options struct {
	Color   bool
	Verbose bool // Text: every result and its exchange
	Quiet   bool // Text: only failures and the summary
	// Width is the terminal's width in columns: Text wraps longer lines at
	// word boundaries (curl commands stay whole); 0 never wraps.
	Width int
	// Verdict is the gate's decision on the report (gate.Decide).
	Verdict gate.Verdict
	// FailOn is the level the gate judged at, for the summary.
	FailOn gate.FailOn
	// Hostname goes into JUnit testsuites.
	Hostname string
	// WorkDir is the working directory; JUnit names the profile file
	// relative to it.
	WorkDir string
}

// Func renders a report.
type Func func(w io.Writer, r *report.Report, o Options) error

var (
	_ Func = Text
	_ Func = JSON
	_ Func = JUnit
	_ Func = Markdown
	_ Func = HAR
)

var byName = map[string]Func{
	"text":     Text,
	"json":     JSON,
	"junit":    JUnit,
	"markdown": Markdown,
	"har":      HAR,
}

// Names lists the format names ByName knows, sorted.
func Names() []string {
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ByName returns the reporter for a format name.
func ByName(name string) (Func, error) {
	if f, ok := byName[name]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("unknown report format %q (formats: %s)", name, strings.Join(Names(), ", "))
}

// suite is one suite's results, in report order.
type suite struct {
	Name    string
	Results []report.Result
}

// bySuite groups results by suite, suites in order of first appearance.
func bySuite(r *report.Report) []suite {
	var out []suite
	index := map[string]int{}
	for _, res := range r.Results {
		i, ok := index[res.Suite]
		if !ok {
			i = len(out)
			index[res.Suite] = i
			out = append(out, suite{Name: res.Suite})
		}
		out[i].Results = append(out[i].Results, res)
	}
	return out
}

// tally counts a set of results the way every reporter shows them.
type tally struct {
	Passed, Failed, Skipped, Known, Fixed, Accepted int
	Time                                            time.Duration
}

func count(results []report.Result) tally {
	var t tally
	for _, res := range results {
		t.Time += res.Duration
		switch res.Status {
		case report.StatusPass:
			t.Passed++
		case report.StatusFail:
			t.Failed++
		case report.StatusSkip:
			t.Skipped++
		case report.StatusAccepted:
			t.Accepted++
		}
		if res.Known {
			t.Known++
		}
		if res.Fixed {
			t.Fixed++
		}
	}
	return t
}

// probeLabel names a result's probe and, where the probe's name does not
// already say it, its documented operation: "probe, GET /v1/contacts/{id}".
func probeLabel(res report.Result) string {
	label := res.Probe
	if res.Operation != "" && !strings.Contains(label, res.Operation) {
		label = strings.TrimPrefix(label+", "+res.Operation, ", ")
	}
	return label
}

// title is a result's display name: "CHECK (probe)", with the documented
// operation when the probe's name does not already say it:
// "CHECK (probe, GET /v1/contacts/{id})".
func title(res report.Result) string {
	label := probeLabel(res)
	if label == "" {
		return res.Check
	}
	return res.Check + " (" + label + ")"
}

// seconds formats a duration as JUnit/JSON-friendly seconds.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

// millis is a duration in milliseconds, microsecond precision.
func millis(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

// elapsed is the run's wall time, never negative.
func elapsed(r *report.Report) time.Duration {
	if r.Finished.Before(r.Started) {
		return 0
	}
	return r.Finished.Sub(r.Started)
}
