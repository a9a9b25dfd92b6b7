package checks

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/errprobe/errprobe/report"
)

// outcome collects what one probe found: its results and the exchanges
// whose error responses the envelope checks look at.
type outcome struct {
	probe     string
	results   []report.Result
	exchanges []*report.Exchange
}

func newResult(check, probe string, st report.Status) report.Result {
	c, ok := report.Lookup(check)
	if !ok && isCustom(check) {
		c = report.Check{Suite: report.SuiteCustom, Severity: report.SeverityError}
	}
	return report.Result{Check: check, Suite: c.Suite, Severity: c.Severity, Probe: probe, Status: st}
}

func (o *outcome) add(r report.Result) { o.results = append(o.results, r) }

func (o *outcome) pass(check string, ex *report.Exchange) {
	r := newResult(check, o.probe, report.StatusPass)
	r.Exchange = ex
	o.add(r)
}

func (o *outcome) fail(check string, ex *report.Exchange, msg, expected, actual string) {
	r := newResult(check, o.probe, report.StatusFail)
	r.Message, r.Expected, r.Actual, r.Exchange = msg, expected, actual, ex
	o.add(r)
}

func (o *outcome) skip(check, reason string) {
	r := newResult(check, o.probe, report.StatusSkip)
	r.Message = reason
	o.add(r)
}

// verdict records pass or fail for check from ok.
func (o *outcome) verdict(check string, ok bool, ex *report.Exchange, msg, expected, actual string) {
	if ok {
		o.pass(check, ex)
		return
	}
	o.fail(check, ex, msg, expected, actual)
}

// record keeps an exchange for the envelope checks.
func (o *outcome) record(ex *report.Exchange) *report.Exchange {
	o.exchanges = append(o.exchanges, ex)
	return ex
}

// describe renders what came back: "404 NOT_FOUND", "201 (no error code)",
// "connection refused".
func describe(ex *report.Exchange, code string) string {
	if ex == nil {
		return "nothing"
	}
	if ex.Response == nil {
		return ex.Err
	}
	st := fmt.Sprintf("%d", ex.Response.Status)
	if code != "" {
		return st + " " + code
	}
	ct := ex.Response.Header.Get("Content-Type")
	if ct == "" {
		return st + " (no error code)"
	}
	return fmt.Sprintf("%d (no error code, %s)", ex.Response.Status, strings.SplitN(ct, ";", 2)[0])
}

func statusText(code int) string {
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}
