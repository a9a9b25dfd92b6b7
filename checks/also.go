package checks

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// alsoJudge collects the verdicts of a probe's Also checks over its
// responses: the first failure, else a pass where one applied.
type alsoJudge struct {
	checks []string
	got    map[string]*report.Result
}

func newAlsoJudge(checks []string) *alsoJudge {
	return &alsoJudge{checks: checks, got: map[string]*report.Result{}}
}

// judgeOnly judges one of the checks on a set-up response.
func (a *alsoJudge) judgeOnly(s *session, ex *report.Exchange, rq ProbeRequest, check string) {
	if slices.Contains(a.checks, check) {
		(&alsoJudge{checks: []string{check}, got: a.got}).judge(s, ex, rq)
	}
}

func (a *alsoJudge) judge(s *session, ex *report.Exchange, rq ProbeRequest) {
	if ex.Response == nil {
		return
	}
	for _, c := range a.checks {
		if prev := a.got[c]; prev != nil && prev.Status == report.StatusFail {
			continue
		}
		var msg, skip, want, got string
		applies := false
		switch c {
		case report.ValidationDetails:
			applies = true
			msg, skip, want, got = s.judgeDetails(ex)
		case report.AuthWWWAuthenticate:
			if applies = ex.Response.Status == http.StatusUnauthorized; applies && ex.Response.Header.Get("WWW-Authenticate") == "" {
				msg = "401 without WWW-Authenticate (RFC 9110 §11.6.1)"
			}
		case report.MalformedMethodAllow:
			applies = true
			if x, ok := s.p.Expectation(schemas.ExpectMethodNotAllowed); ok && !slices.Contains(x.Statuses(s.p), http.StatusMethodNotAllowed) {
				skip = "the profile expects " + x.String(s.p) + " for a method a route does not take (expect.method_not_allowed), not 405"
			} else if st := ex.Response.Status; st != http.StatusMethodNotAllowed {
				msg = rq.Method + " answered " + describe(ex, s.code(ex)) + "; RFC 9110 §15.5.5 recommends 405 with Allow"
			} else if ex.Response.Header.Get("Allow") == "" {
				msg = "405 without an Allow header (RFC 9110 §15.5.6)"
			}
		case report.NegativeField:
			if applies = validationStatus(ex.Response.Status) && len(rq.Expect.Fields) > 0; applies {
				if len(rq.Expect.FieldAt) > 0 {
					msg = fieldsMessage(ex.Response.Body, rq.Expect.Fields, rq.Expect.FieldAt)
				} else {
					msg, skip = blamesValid(ex, rq.Expect.Fields)
				}
			}
		case report.ResourcesTenantLeak:
			applies = true
			if ex.Response.Status == http.StatusForbidden {
				msg = "another organisation's id answered 403: the API confirms the resource exists"
			}
		case report.ResourcesTenantBreach:
			applies = true
			if ex.Response.Status/100 == 2 {
				msg = "another organisation's resource was served: tenant isolation is broken"
			}
		case report.ResourcesCreateHeaders:
			isCreate := rq.Method == createMethod(s.p) && pathOnly(rq.Path) == s.p.Endpoints.Create.Path
			if applies = isCreate && ex.Response.Status/100 == 2 && len(s.p.Endpoints.Create.Headers) > 0; applies {
				if msgs := schemas.CheckHeaders(s.p.Endpoints.Create.Headers, ex.Response.Header); len(msgs) > 0 {
					msg = msgs[0]
				}
			}
		}
		if !applies {
			continue
		}
		r := newResult(c, "", report.StatusPass)
		r.Exchange = ex
		switch {
		case skip != "":
			r.Status, r.Message, r.Exchange = report.StatusSkip, skip, nil
		case msg != "":
			r.Status, r.Message = report.StatusFail, msg
			r.Expected, r.Actual = cmp.Or(want, alsoWant[c]), cmp.Or(got, describe(ex, s.code(ex)))
		}
		a.got[c] = &r
	}
}

var alsoWant = map[string]string{
	report.AuthWWWAuthenticate:    "WWW-Authenticate header",
	report.MalformedMethodAllow:   "405 with an Allow header",
	report.ResourcesCreateHeaders: "the headers endpoints.create.headers promises",
	report.NegativeField:          "an error naming the invalid field",
	report.ResourcesTenantLeak:    "404",
	report.ResourcesTenantBreach:  "404",
}

func (a *alsoJudge) record(o *outcome) {
	for _, c := range a.checks {
		if r := a.got[c]; r != nil {
			r.Probe = o.probe
			o.add(*r)
		}
	}
}
