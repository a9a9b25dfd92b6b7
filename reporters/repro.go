package reporters

import (
	"fmt"
	"strings"

	"github.com/errprobe/errprobe/report"
)

// burstLoopCap bounds the loop a burst reproduction runs.
const burstLoopCap = 1000

// Reproduce renders the shell commands that reproduce a result: the curl of
// its exchange, preceded by the set-up requests a stateful probe depends on
// (a create before a cross-tenant read, the first of a replayed pair), and
// for a burst sample a bounded loop of the burst's request. burst is the
// run's burst (nil if none).
func Reproduce(res report.Result, burst *report.BurstStats) string {
	x := res.Exchange
	if x == nil {
		return ""
	}
	if x.Burst {
		return burstLoop(x.Request, burst)
	}
	if len(res.Setup) == 0 {
		return Curl(x.Request)
	}
	var b strings.Builder
	for i, s := range res.Setup {
		fmt.Fprintf(&b, "# set-up %d/%d: %s %s (answered %s)\n", i+1, len(res.Setup), s.Request.Method, s.Request.URL, statusOf(s))
		b.WriteString(Curl(s.Request) + "\n")
	}
	b.WriteString("# then the request that shows the failure (ids above are the run's; use those the set-up returns)\n")
	b.WriteString(Curl(x.Request))
	return b.String()
}

func statusOf(x *report.Exchange) string {
	if x.Response == nil {
		return "nothing"
	}
	return fmt.Sprint(x.Response.Status)
}

// burstLoop is the burst as a bounded loop that tallies the statuses.
func burstLoop(req report.Request, burst *report.BurstStats) string {
	n := burstLoopCap
	if burst != nil && burst.Sent > 0 && burst.Sent < n {
		n = burst.Sent
	}
	curl := strings.Replace(Curl(req), "curl -sS -i", `curl -sS -o /dev/null -w '%{http_code}\n'`, 1)
	return fmt.Sprintf("# the burst: %d requests in a row, statuses tallied (look for 429)\nfor i in $(seq 1 %d); do\n  %s\ndone | sort | uniq -c",
		n, n, strings.ReplaceAll(curl, "\n", "\n  "))
}
