package reporters

import (
	"fmt"
	"io"
	"sync"

	"github.com/errprobe/errprobe/report"
)

// ExchangeLog returns a sink for checks.Config.Log that prints each exchange
// as it is recorded, for -v: the probe it belongs to, the request line, what came back and how long
// it took. Exchanges arrive masked; text from the target is cleaned. Safe
// for concurrent use.
func ExchangeLog(w io.Writer, color bool) func(report.Exchange) {
	s := newStyles(color)
	var mu sync.Mutex
	return func(x report.Exchange) {
		probe := ""
		if x.Probe != "" {
			probe = s.dim.Sprint("[" + oneLine(x.Probe) + "] ")
		}
		line := s.dim.Sprint("→ ") + probe + oneLine(x.Request.Method+" "+x.Request.URL) + s.dim.Sprint("  ← ") + exchangeOutcome(s, x)
		mu.Lock()
		defer mu.Unlock()
		io.WriteString(w, line+"\n")
	}
}

func exchangeOutcome(s styles, x report.Exchange) string {
	took := s.dim.Sprintf(" (%s)", ms(x.Duration))
	switch {
	case x.Response != nil:
		st := fmt.Sprint(x.Response.Status)
		if ct := x.Response.Header.Get("Content-Type"); ct != "" {
			st += " " + oneLine(ct)
		}
		return st + fmt.Sprintf(" %d bytes", len(x.Response.Body)) + took
	case x.Err != "":
		return s.fail.Sprint("error: ") + oneLine(x.Err) + took
	}
	return "no response" + took
}
