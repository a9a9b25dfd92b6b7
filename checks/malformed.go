package checks

import (
	"context"
	"net/http"

	"github.com/errprobe/errprobe/schemas"
)

func malformedProbes(p *schemas.Profile) []probe {
	skip := ""
	if p.Endpoints.Create.Path == "" {
		skip = "endpoints.create not set"
	}
	body := func(name, check, sample, ctype string, situations ...string) probe {
		return probe{name: name, suite: SuiteMalformed, checks: []string{check}, skip: skip,
			run: func(ctx context.Context, s *session, o *outcome) {
				c := jsonCall(createMethod(s.p), s.p.Endpoints.Create.Path, sample)
				if sample == "{valid}" {
					c.body = s.expandN(s.p.Endpoints.Create.Body)
				} else if sample == "{valid} xyz" {
					c.body = s.expandN(s.p.Endpoints.Create.Body) + " xyz"
				}
				c.contentType = ctype
				s.expectCheck(o, check, s.do(ctx, o, c), situations...)
			}}
	}
	const js = "application/json"
	return []probe{
		body("truncated-json", MalformedTruncated, `{"name":`, js, schemas.ExpectMalformedJSON),
		body("trailing-garbage", MalformedTrailing, "{valid} xyz", js, schemas.ExpectMalformedJSON),
		body("not-json", MalformedNotJSON, "hello", js, schemas.ExpectMalformedJSON),
		body("empty-body", MalformedEmptyBody, "", js, schemas.ExpectMalformedJSON, schemas.ExpectValidation),
		body("wrong-type", MalformedWrongType, "[1,2]", js, schemas.ExpectMalformedJSON, schemas.ExpectValidation),
		body("content-type", MalformedContentType, "{valid}", "text/plain", schemas.ExpectWrongContentType),
		{name: "method", suite: SuiteMalformed, checks: []string{MalformedMethod}, skip: readSkip(p), run: probeMethod},
	}
}

// probeMethod sends a method the read route does not take (PATCH on the
// list path): 405 with Allow.
func probeMethod(ctx context.Context, s *session, o *outcome) {
	read := s.readCall(roleValid)
	method := s.unsupportedMethod()
	ex := s.do(ctx, o, jsonCall(method, read.path, `{}`))
	want := "405 with an Allow header"
	switch {
	case ex.Response == nil:
		o.fail(MalformedMethod, ex, "no response: "+ex.Err, want, ex.Err)
	case ex.Response.Status != http.StatusMethodNotAllowed:
		actual := describe(ex, s.code(ex))
		o.fail(MalformedMethod, ex, method+" on "+read.path+" answered "+actual+", want 405", want, actual)
	case ex.Response.Header.Get("Allow") == "":
		o.fail(MalformedMethod, ex, "405 without an Allow header (RFC 9110 §15.5.6)", want, "405, no Allow")
	default:
		o.pass(MalformedMethod, ex)
	}
}
