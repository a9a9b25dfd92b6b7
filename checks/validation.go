package checks

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/errprobe/errprobe/schemas"
)

func validationProbes(p *schemas.Profile) []probe {
	skip := ""
	switch {
	case p.Endpoints.Create.Path == "":
		skip = "endpoints.create not set"
	case p.Endpoints.Create.InvalidBody == "":
		skip = "endpoints.create.invalid_body not set"
	}
	return []probe{{name: "invalid-body", suite: SuiteValidation, checks: []string{ValidationRejected, ValidationDetails},
		skip: skip, run: probeInvalidBody}}
}

// probeInvalidBody sends the invalid sample body: the validation code, with
// details naming the offending field.
func probeInvalidBody(ctx context.Context, s *session, o *outcome) {
	cr := s.p.Endpoints.Create
	ex := s.do(ctx, o, jsonCall(createMethod(s.p), cr.Path, s.expandN(cr.InvalidBody)))
	s.expectCheck(o, ValidationRejected, ex, schemas.ExpectValidation)
	switch {
	case cr.InvalidField == "":
		o.skip(ValidationDetails, "endpoints.create.invalid_field not set")
	case s.p.Envelope.Details == "":
		o.skip(ValidationDetails, "envelope.details not set (the profile promises no details)")
	default:
		f := s.fields(ex)
		want := "details naming " + cr.InvalidField
		if !f.HasDetails {
			o.fail(ValidationDetails, ex, "the validation error carries no details", want, "no details")
			return
		}
		text, _ := json.Marshal(f.Details)
		ok := strings.Contains(string(text), cr.InvalidField)
		o.verdict(ValidationDetails, ok, ex, "details do not mention "+cr.InvalidField, want, string(text))
	}
}
