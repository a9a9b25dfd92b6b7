package checks

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// What a profile init wrote from the document infers beyond it. Such a
// profile's envelope is the error schema the document gives some of its
// error responses; holding every other error to it — a framework's 403,
// an unknown route's HTML page — is errprobe's inference, not the
// document's word: with --openapi those failures are guesses (graded
// warning, never gating). A profile whose envelope is not one of the
// document's error schemas states its own contract, judged as written.

// envelopeRead reports whether the profile's envelope schema is one of the
// error schemas the document gives (init --from-openapi copied it).
func envelopeRead(env any, api *OpenAPI) bool {
	if api == nil {
		return false
	}
	if _, ok := env.(map[string]any); !ok {
		return false
	}
	want, err := json.Marshal(env)
	if err != nil {
		return false
	}
	for _, op := range api.Operations {
		for key, r := range op.Responses {
			if r.Schema == nil || key == "" || (key[0] != '4' && key[0] != '5' && key != "default") {
				continue
			}
			if got, err := json.Marshal(r.Schema); err == nil && string(got) == string(want) {
				return true
			}
		}
	}
	return false
}

// undescribed says, for a profile whose envelope the document gave, why a
// response's body is outside what the document describes: its request
// matches no operation (an unknown route, an undocumented method) or its
// operation gives its status no body. "" when the document describes it.
func (s *session) undescribed(ex *report.Exchange) string {
	if !s.envelopeRead || ex == nil || ex.Response == nil {
		return ""
	}
	op := s.operationFor(ex.Request)
	if op == nil {
		return fmt.Sprintf("the document does not describe %s %s, so nothing it says applies to the %d",
			ex.Request.Method, s.routeOf(ex.Request.URL), ex.Response.Status)
	}
	if _, doc, ok := documentedFor(op, ex.Response.Status); ok && (doc.Schema != nil || doc.ContentType != "") {
		return ""
	}
	return fmt.Sprintf("%s documents no body for %d", op.Name, ex.Response.Status)
}

// envelopeGuess is why an envelope failure on ex rests on a guess: the
// profile's envelope (the document's error schema) held to a body the
// document does not describe. "" when it does not.
func (s *session) envelopeGuess(ex *report.Exchange) string {
	why := s.undescribed(ex)
	if why == "" {
		return ""
	}
	return why + "; the envelope is the error schema of its other error responses"
}

// markInferred grades as guesses the failures of the profile's own probes
// whose expectation the document does not make: an unknown route's (no
// document describes one) and, where no operation lists 405, an
// undocumented method's default 405.
func (s *session) markInferred(rs []report.Result) {
	for i := range rs {
		r := &rs[i]
		if r.Status != report.StatusFail || r.Guess != "" || r.Exchange == nil {
			continue
		}
		why := ""
		switch r.Check {
		case report.ResourcesUnknownRoute:
			why = s.undescribed(r.Exchange)
		case report.MalformedMethod:
			if _, set := s.p.Expectation(schemas.ExpectMethodNotAllowed); !set && !s.lists405() {
				why = s.undescribed(r.Exchange)
			}
		}
		if why != "" {
			r.Guess = why + "; the expectation is the profile's"
			r.Message += " (a guess: " + r.Guess + ")"
		}
	}
}

// lists405 reports whether any operation of the document lists 405.
func (s *session) lists405() bool {
	for _, op := range s.cfg.OpenAPI.Operations {
		if _, ok := op.Responses[strconv.Itoa(http.StatusMethodNotAllowed)]; ok {
			return true
		}
	}
	return false
}

// routeOf is a request URL's path below the base URL, without its query.
func (s *session) routeOf(url string) string {
	path, _, _ := strings.Cut(strings.TrimPrefix(url, s.base), "?")
	return path
}
