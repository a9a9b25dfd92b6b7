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
		Also: []string{report.ValidationDetails},
		Requests: []ProbeRequest{{Method: createMethod(p), Path: cr.Path, Key: schemas.KeyValid, Body: &body,
			ContentType: createType(p), Expect: ProbeExpect{Situations: []string{schemas.ExpectValidation}}}}}}
}

// judgeDetails wants the validation error's details to name the field:
// the failure message, or why it cannot be judged (skip).
func (s *session) judgeDetails(ex *report.Exchange) (msg, skip, want, got string) {
	cr := s.p.Endpoints.Create
	switch {
	case cr.InvalidField == "":
		return "", "endpoints.create.invalid_field not set", "", ""
	case s.p.Envelope.Details == "":
		return "", "envelope.details not set (the profile promises no details)", "", ""
	case !isError(ex):
		// No evidence: the invalid body was not refused (validation.rejected
		// says so), so there is no validation error whose details to judge.
		return "", "no validation error to judge: the invalid body got " + describe(ex, s.code(ex)), "", ""
	}
	f := s.fields(ex)
	want = "details naming " + cr.InvalidField
	if !f.HasDetails {
		return "the validation error carries no details", "", want, "no details"
	}
	text, _ := json.Marshal(f.Details)
	if !strings.Contains(string(text), cr.InvalidField) {
		return "details do not mention " + cr.InvalidField, "", want, string(text)
	}
	return "", "", "", ""
}
