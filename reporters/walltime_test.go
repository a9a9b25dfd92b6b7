package reporters

import (
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/report"
)

func TestSuiteWallTime(t *testing.T) {
	t.Parallel()
	t0 := started()
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	res := func(probe string, at, d int) report.Result {
		return report.Result{Probe: probe, Started: t0.Add(ms(at)), Duration: ms(d)}
	}
	r := &report.Report{Started: t0, Finished: t0.Add(ms(100))}
	type testCase struct {
		name    string
		results []report.Result
		want    time.Duration
	}
	for _, tc := range []testCase{
		// two checks of one probe, a second probe at the same time, a third later
		{name: "overlapping", results: []report.Result{res("a", 0, 10), res("a", 0, 10), res("b", 5, 10), res("c", 30, 5)}, want: ms(20)},
		// the burst's many checks share one 60 ms probe: counted once
		{name: "one probe many checks", results: []report.Result{res("burst", 20, 60), res("burst", 20, 60), res("burst", 20, 60)}, want: ms(60)},
		// never more than the run
		{name: "clamped", results: []report.Result{{Probe: "x", Duration: ms(80)}, {Probe: "y", Duration: ms(80)}}, want: ms(100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := suiteWallTime(r, tc.results); got != tc.want {
				t.Errorf("suiteWallTime = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestJUnit_FileRelativeToWorkDir(t *testing.T) {
	t.Parallel()
	r := fixedReport()
	r.ProfileFile = "/work/repo/api/errprobe.yaml"
	out := render(t, "junit", r, Options{WorkDir: "/work/repo"})
	if want := `file="api/errprobe.yaml"`; !strings.Contains(out, want) {
		t.Errorf("JUnit file attribute: want %s in\n%.400s", want, out)
	}
}
