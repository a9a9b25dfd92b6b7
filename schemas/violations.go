package schemas

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ruleOrder is the order CheckError reports rules in.
var ruleOrder = map[string]int{RuleContentType: 0, RuleJSON: 1, RuleSchema: 2, RuleCodeKnown: 3,
	RuleStatusMatch: 4, RuleMessage: 5, RuleRequestID: 6, RuleNoLeak: 7, RuleHeaders: 8}

// compareViolations orders by rule, then path and message, so that output
// does not depend on map iteration order.
func compareViolations(a, b Violation) int {
	if c := cmp.Compare(ruleOrder[a.Rule], ruleOrder[b.Rule]); c != 0 {
		return c
	}
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func statusList(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, " or ")
}

// jsonErr words a JSON syntax error with an excerpt of the body.
func jsonErr(err error, body []byte) string {
	if len(body) == 0 {
		return "empty body"
	}
	ex := body
	if len(ex) > 40 {
		ex = ex[:40]
	}
	s := string(ex)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	if len(body) > 40 {
		s += "…"
	}
	return fmt.Sprintf("%v (body %q)", err, s)
}

// schemaViolations turns a validation error into one violation per failure,
// naming the instance location, the schema keyword location and the value.
func (c *Contract) schemaViolations(err error, v any, add func(string, string, string)) {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		add(RuleSchema, "", err.Error())
		return
	}
	for _, leaf := range leaves(ve, nil) {
		ptr := pointer(leaf.InstanceLocation).String()
		val, _ := pointer(leaf.InstanceLocation).lookup(v)
		where := ptr
		if where == "" {
			where = "body"
		}
		add(RuleSchema, ptr, fmt.Sprintf("%s: %s (value %s; schema %s)", where,
			leaf.ErrorKind.LocalizedString(printer), jsonText(val, 80), c.keywordLocation(leaf)))
	}
}

func leaves(e *jsonschema.ValidationError, acc []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return append(acc, e)
	}
	for _, c := range e.Causes {
		acc = leaves(c, acc)
	}
	return acc
}

// keywordLocation names the failing keyword, e.g. builtin:erzycall#/properties/error/required.
func (c *Contract) keywordLocation(e *jsonschema.ValidationError) string {
	u, frag, _ := strings.Cut(e.SchemaURL, "#")
	name := u
	if b, ok := strings.CutPrefix(u, envelopeBase); ok {
		name = "builtin:" + strings.TrimSuffix(b, ".json")
	} else if i := strings.LastIndexByte(u, '/'); i >= 0 {
		name = u[i+1:]
	}
	if strings.HasSuffix(name, "envelope.inline.schema.json") {
		name = "envelope.schema"
	}
	kw := pointer(e.ErrorKind.KeywordPath()).String()
	return name + "#" + frag + kw
}
