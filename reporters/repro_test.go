package reporters

import (
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
)

func TestReproduce(t *testing.T) {
	type testCase struct {
		name  string
		res   report.Result
		burst *report.BurstStats
		want  []string // in this order
		not   []string
	}
	run := func(t *testing.T, tc testCase) {
		got := Reproduce(tc.res, tc.burst)
		at := 0
		for _, w := range tc.want {
			i := strings.Index(got[at:], w)
			if i < 0 {
				t.Fatalf("reproduction lacks %q after byte %d:\n%s", w, at, got)
			}
			at += i + len(w)
		}
		for _, n := range tc.not {
			if strings.Contains(got, n) {
				t.Errorf("reproduction holds %q:\n%s", n, got)
			}
		}
	}
	create := &report.Exchange{Request: authed("POST", "/v1/calls", `{"to":"+1"}`), Response: jsonResponse(201, `{"id":"c1"}`)}
	read := &report.Exchange{Request: authed("GET", "/v1/calls/c1", ""), Response: jsonResponse(200, `{}`)}
	sample := &report.Exchange{Request: authed("GET", "/v1/calls", ""), Response: jsonResponse(429, `{}`), Burst: true}
	for _, tc := range []testCase{
		{name: "stateless: one curl", res: report.Result{Exchange: read}, want: []string{"curl -sS -i", "/v1/calls/c1"}, not: []string{"set-up", "for i"}},
		{
			name: "stateful: the set-up first", res: report.Result{Exchange: read, Setup: []*report.Exchange{create}},
			want: []string{"# set-up 1/1: POST", "--data-binary", "# then the request", "/v1/calls/c1"},
		},
		{
			name: "burst: a loop bounded by what the burst sent", res: report.Result{Exchange: sample}, burst: &report.BurstStats{Sent: 40},
			want: []string{"for i in $(seq 1 40); do", `-w '%{http_code}\n'`, "$ERRPROBE_API_KEY", "done | sort | uniq -c"},
			not:  []string{"curl -sS -i"},
		},
		{
			name: "burst without stats: the loop's own bound", res: report.Result{Exchange: sample},
			want: []string{"for i in $(seq 1 1000); do"},
		},
		{name: "no exchange: nothing", res: report.Result{}, not: []string{"curl"}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
