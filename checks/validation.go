package checks

import (
	"encoding/json"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// validationProbes send the invalid sample body: the validation code, with
// details naming the offending field.
func validationProbes(p *schemas.Profile) []Probe {
	cr := p.Endpoints.Create
	skip := ""
	switch {
	case cr.Path == "":
		skip = "endpoints.create not set"
	case cr.InvalidBody == "":
		skip = "endpoints.create.invalid_body not set"
	}
	body := cr.InvalidBody
	return []Probe{{Name: "invalid-body", Suite: report.SuiteValidation, Check: report.ValidationRejected, Skip: skip,
		More: []string{report.ValidationDetails}, Extra: judgeDetails,
		Requests: []ProbeRequest{{Method: createMethod(p), Path: cr.Path, Key: schemas.KeyValid, Body: &body,
			ContentType: "application/json", Expect: ProbeExpect{Situations: []string{schemas.ExpectValidation}}}}}}
}

// judgeDetails wants the validation error's details to name the field.
func judgeDetails(s *session, o *outcome, exs []*report.Exchange) {
	cr := s.p.Endpoints.Create
	switch {
	case cr.InvalidField == "":
		o.skip(report.ValidationDetails, "endpoints.create.invalid_field not set")
	case s.p.Envelope.Details == "":
		o.skip(report.ValidationDetails, "envelope.details not set (the profile promises no details)")
	case len(exs) == 0:
	case !isError(exs[0]):
		// No evidence: the invalid body was not refused (validation.rejected
		// says so), so there is no validation error whose details to judge.
		o.skip(report.ValidationDetails, "no validation error to judge: the invalid body got "+describe(exs[0], s.code(exs[0])))
	default:
		ex := exs[0]
		f := s.fields(ex)
		want := "details naming " + cr.InvalidField
		if !f.HasDetails {
			o.fail(report.ValidationDetails, ex, "the validation error carries no details", want, "no details")
			return
		}
		text, _ := json.Marshal(f.Details)
		ok := strings.Contains(string(text), cr.InvalidField)
		o.verdict(report.ValidationDetails, ok, ex, "details do not mention "+cr.InvalidField, want, string(text))
	}
}
