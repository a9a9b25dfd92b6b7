package checks

import (
	"net/http"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// malformedProbes send broken bodies to the create endpoint, and a method
// the read route does not take.
func malformedProbes(p *schemas.Profile) []Probe {
	skip := ""
	if p.Endpoints.Create.Path == "" {
		skip = "endpoints.create not set"
	}
	valid := p.Endpoints.Create.Body
	body := func(name, check, sample, ctype string, situations ...string) Probe {
		return Probe{Name: name, Suite: report.SuiteMalformed, Check: check, Skip: skip, Requests: []ProbeRequest{{
			Method: createMethod(p), Path: p.Endpoints.Create.Path, Key: schemas.KeyValid,
			Body: &sample, ContentType: ctype, Expect: ProbeExpect{Situations: situations},
		}}}
	}
	const js = "application/json"
	empty := body("empty-body", report.MalformedEmptyBody, "", js, schemas.ExpectMalformedJSON, schemas.ExpectValidation)
	if p.Endpoints.Create.BodyOptional && skip == "" {
		empty.Skip = "endpoints.create.body_optional: an empty body is a valid create"
	}
	return []Probe{
		body("truncated-json", report.MalformedTruncated, `{"name":`, js, schemas.ExpectMalformedJSON),
		body("trailing-garbage", report.MalformedTrailing, valid+" xyz", js, schemas.ExpectMalformedJSON),
		body("not-json", report.MalformedNotJSON, "hello", js, schemas.ExpectMalformedJSON),
		empty,
		body("wrong-type", report.MalformedWrongType, "[1,2]", js, schemas.ExpectMalformedJSON, schemas.ExpectValidation),
		body("content-type", report.MalformedContentType, valid, "text/plain", schemas.ExpectWrongContentType),
		methodProbe(p),
	}
}

// methodProbe sends a method the read route does not take (PATCH on the
// list path). It expects what the profile's expect.method_not_allowed
// says (default 405), and a 405 must carry Allow (RFC 9110 §15.5.6 MUST).
// Whether the API answers RFC 9110's 405 at all is graded separately, as
// a warning (malformed.method-allow), for APIs documenting another answer.
func methodProbe(p *schemas.Profile) Probe {
	read, method := readRequest(p, schemas.KeyValid), unsupportedMethod(p)
	body := `{}`
	ex := ProbeExpect{Situations: []string{schemas.ExpectMethodNotAllowed}, StatusHeaders: allow405}
	if _, ok := p.Expectation(schemas.ExpectMethodNotAllowed); !ok {
		ex = ProbeExpect{Rule: &schemas.Expectation{Status: schemas.Statuses{http.StatusMethodNotAllowed}}, StatusHeaders: allow405}
	}
	return Probe{Name: "method", Suite: report.SuiteMalformed, Check: report.MalformedMethod, Skip: readSkip(p),
		Also: []string{report.MalformedMethodAllow},
		Requests: []ProbeRequest{{Method: method, Path: read.Path, Key: schemas.KeyValid, Body: &body,
			ContentType: "application/json", Expect: ex}}}
}

var allow405 = map[int]map[string]schemas.HeaderRule{http.StatusMethodNotAllowed: {"Allow": {Required: true}}}
