package openapi

import "fmt"

// formatBreaks are, per string format, a value no validator of that format
// accepts (no digit, separator or scheme where the format needs one, or a
// space where none may be): unambiguous however lenient the parser.
var formatBreaks = map[string]string{
	"date-time": "not-a-date-time",
	"date":      "not-a-date",
	"time":      "not-a-time",
	"email":     "not-an-email",
	"uuid":      "not-a-uuid",
	"uri":       "not a uri",
	"ipv4":      "not-an-ipv4",
	"ipv6":      "not-an-ipv6",
	"hostname":  "not a hostname!",
}

// formatGuess is what a format probe's expectation rests on beyond the
// document. The document states the format, so an API taking a malformed
// date as one breaks the meaning it wrote down; but JSON Schema (2020-12
// §7.2, and OpenAPI 3.0/3.1 after it) makes format an annotation that a
// validator need not assert, so the document's own schema language never
// says the API rejects it. That the API rejects a malformed format is
// therefore an inference: negative.format is graded warning (Probe.Guess)
// unless the profile's severity section raises it (a team that validates
// formats says so there).
const formatGuess = "the document states format %s, but JSON Schema leaves format an annotation a server need not assert"

// formatBreak is the format probe for one string schema: a value valid
// for its type and length that breaks its format. None where the schema
// also states a pattern (the pattern probe breaks the string; a value
// matching it cannot be promised), an enum or a const (the value is
// outside them anyway), or a length the value does not fit.
func formatBreak(sch map[string]any) (broken, bool) {
	f, _ := sch["format"].(string)
	v, known := formatBreaks[f]
	if t := TypeOf(sch); !known || t != "string" && t != "" || sch["pattern"] != nil || sch["enum"] != nil || sch["const"] != nil {
		return broken{}, false
	}
	if m, ok := num(sch["minLength"]); ok && float64(len(v)) < m {
		return broken{}, false
	}
	if m, ok := num(sch["maxLength"]); ok && float64(len(v)) > m {
		return broken{}, false
	}
	return broken{kind: "format", value: v, why: "is not a valid " + f + " (format: " + f + ")",
		guess: fmt.Sprintf(formatGuess, f)}, true
}
