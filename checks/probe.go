package checks

import (
	"context"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// do sends c and keeps the exchange for the envelope checks.
func (s *session) do(ctx context.Context, o *outcome, c call) *report.Exchange {
	c.probe = o.probe
	return o.record(s.send(ctx, c))
}

// fields extracts the envelope members of an exchange's body.
func (s *session) fields(ex *report.Exchange) schemas.Fields {
	if ex == nil || ex.Response == nil {
		return schemas.Fields{}
	}
	f, _ := s.contract.Extract([]byte(ex.Response.Body))
	return f
}

// code is the error code in an exchange's body, "" if none.
func (s *session) code(ex *report.Exchange) string { return s.fields(ex).Code }

// expectCheck passes check when ex carries one of the situations' codes with
// a status the code table allows.
func (s *session) expectCheck(o *outcome, check string, ex *report.Exchange, situations ...string) {
	e, ok := expect(s.p, situations...)
	if !ok {
		o.skip(check, "the profile's expect table has no "+strings.Join(situations, " or "))
		return
	}
	f := s.fields(ex)
	e = e.on(ex)
	if ex.Response != nil && e.allows(ex.Response.Status, f.Codes) {
		o.pass(check, ex)
		return
	}
	actual := describe(ex, f.Code)
	r := newResult(check, o.probe, report.StatusFail)
	r.Message, r.Expected, r.Actual, r.Exchange = "got "+actual+", want "+e.String(), e.String(), actual, ex
	markGuess(&r, e.guess())
	o.add(r)
}

// jsonCall is a call with a JSON body and the valid key.
func jsonCall(method, path, body string) call {
	return call{method: method, path: path, body: body, hasBody: true, contentType: "application/json", key: roleValid}
}
