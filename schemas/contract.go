package schemas

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Rule IDs CheckError reports; they equal the checks' IDs.
const (
	RuleContentType = "envelope.content-type"
	RuleJSON        = "envelope.json"
	RuleSchema      = "envelope.schema"
	RuleCodeKnown   = "envelope.code-known"
	RuleStatusMatch = "envelope.status-match"
	RuleMessage     = "envelope.message"
	RuleRequestID   = "envelope.request-id"
	RuleNoLeak      = "envelope.no-leak"
	RuleHeaders     = "envelope.headers"
)

// Response is an HTTP response as the contract sees it.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Method and Path are the request's (its URL path, no query); a code
	// with routes is judged against its statuses on that route. Empty: the
	// code's status.
	Method, Path string
}

// Violation is one broken rule. Path is a JSON Pointer into the body ("" for
// the whole body) or, for header rules, the header's name.
type Violation struct {
	Rule, Path, Message string
}

// Fields are the members Extract finds through the envelope's pointers.
type Fields struct {
	// Code is the machine code; a number or boolean there is given as its
	// JSON text ("404"); an object or array leaves Code empty. With a "*"
	// pointer (/errors/*/code) Code is the first element's and Codes holds
	// every element's.
	Code, Message, RequestID string
	Codes                    []string
	HasCode, HasMessage      bool
	Details                  any
	HasDetails               bool
	// Status is the body's status member (envelope.status), if any: a
	// number or a numeric string ("404", as JSON:API writes it).
	Status    int
	HasStatus bool
}

// Contract is a profile with its envelope schema compiled and pointers
// parsed: build it once per run with Compile; it is safe for concurrent use.
type Contract struct {
	p                               *Profile
	env                             *envelopeSchema
	code, msg, details, rid, status pointer
	hasCode, hasDetails, hasRID     bool
	hasStatus                       bool
	ridHeader                       string
}

// Compile compiles the profile's envelope schema and parses its JSON
// Pointers. A profile from Load, Builtin or Resolve carries the schema Load
// already compiled, so nothing is compiled twice; a Profile built in code
// (or whose envelope.schema was changed after loading, which Compile does
// not notice) is compiled here.
func Compile(p *Profile) (*Contract, error) {
	env := p.envelope
	if env == nil {
		var err error
		if env, err = compileEnvelope(p); err != nil {
			return nil, err
		}
		p.envelope = env
	}
	if p.codeSchemas == nil || (p.statusSchemas == nil && len(p.Envelope.StatusSchemas) > 0) {
		var errs []string
		collect := func(msg string, _ ...string) { errs = append(errs, msg) }
		p.codeSchemas = compileCodeSchemas(p, collect)
		p.statusSchemas = compileStatusSchemas(p, collect)
		if len(errs) > 0 {
			return nil, errors.New(strings.Join(errs, "; "))
		}
	}
	c := &Contract{p: p, env: env, ridHeader: http.CanonicalHeaderKey(p.RequestID.Header)}
	var errs []error
	parse := func(name, s string) (pointer, bool) {
		ptr, err := parsePointer(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
		return ptr, s != ""
	}
	c.code, c.hasCode = parse("envelope.code", p.Envelope.Code)
	c.msg, _ = parse("envelope.message", p.Envelope.Message)
	c.details, c.hasDetails = parse("envelope.details", p.Envelope.Details)
	c.rid, c.hasRID = parse("request_id.pointer", p.RequestIDPointer())
	c.status, c.hasStatus = parse("envelope.status", p.Envelope.Status)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// schemaFor is the envelope schema a body is validated against: its code's
// own (codes.X.schema), else its status's (envelope.status_schemas), else
// envelope.schema.
func (c *Contract) schemaFor(status int, f Fields) *envelopeSchema {
	for _, code := range f.Codes {
		if name, _, ok := c.p.LookupCode(code); ok && c.p.codeSchemas[name] != nil {
			return c.p.codeSchemas[name]
		}
	}
	if env := c.p.statusSchemas[strconv.Itoa(status)]; env != nil {
		return env
	}
	return c.env
}

// OwnSchema reports whether a body's code or status names its own envelope
// schema: such bodies are not compared with the common shape.
func (c *Contract) OwnSchema(status int, f Fields) bool { return c.schemaFor(status, f) != c.env }

// Profile returns the profile the contract was compiled from.
func (c *Contract) Profile() *Profile { return c.p }

// decode parses a body as exactly one JSON value.
func decode(body []byte) (any, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// Extract decodes an error body and returns the members the envelope's
// pointers name. The error says why the body is not JSON.
func (c *Contract) Extract(body []byte) (Fields, error) {
	v, err := decode(body)
	if err != nil {
		return Fields{}, err
	}
	return c.fields(v), nil
}

func (c *Contract) fields(v any) Fields {
	var f Fields
	if c.hasCode {
		for _, x := range c.code.lookupAll(v) {
			f.Codes = append(f.Codes, scalarText(x))
		}
		if len(f.Codes) > 0 {
			f.Code, f.HasCode = f.Codes[0], true
		}
	}
	if xs := c.msg.lookupAll(v); len(xs) > 0 {
		f.Message, f.HasMessage = scalarText(xs[0]), true
	}
	if c.hasDetails {
		if c.details.wild() {
			if xs := c.details.lookupAll(v); len(xs) > 0 {
				f.Details, f.HasDetails = xs, true
			}
		} else {
			f.Details, f.HasDetails = c.details.lookup(v)
		}
	}
	if c.hasRID {
		if xs := c.rid.lookupAll(v); len(xs) > 0 {
			f.RequestID = scalarText(xs[0])
		}
	}
	if c.hasStatus {
		for _, x := range c.status.lookupAll(v) {
			if n, ok := statusValue(x); ok {
				f.Status, f.HasStatus = n, true
				break
			}
		}
	}
	return f
}

// statusValue reads a status member: a whole number, or a string of digits.
func statusValue(x any) (int, bool) {
	switch n := x.(type) {
	case float64:
		return int(n), n == float64(int(n))
	case string:
		st, err := strconv.Atoi(n)
		return st, err == nil && len(n) == 3
	}
	return 0, false
}

func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// CheckError checks one error response against the contract and returns
// every rule it breaks, in rule order. A body that is not JSON stops the
// body rules after envelope.json (envelope.no-leak still scans the text).
func (c *Contract) CheckError(r Response) []Violation {
	var out []Violation
	add := func(rule, path, msg string) { out = append(out, Violation{rule, path, msg}) }
	c.checkContentType(r.Header, add)
	v, err := decode(r.Body)
	if err != nil {
		add(RuleJSON, "", "body is not JSON: "+jsonErr(err, r.Body))
		c.checkRequestID(r.Header, nil, false, add)
		if kind, ex, ok := findLeak(string(r.Body)); ok {
			add(RuleNoLeak, "", fmt.Sprintf("body leaks %s: %q", kind, ex))
		}
		return out
	}
	f := c.fields(v)
	env := c.schemaFor(r.Status, f)
	if err := env.schema.Validate(v); err != nil {
		c.schemaViolations(err, v, add)
	}
	c.checkCode(r, v, add)
	c.checkStatusMember(r.Status, v, add)
	c.checkMessage(v, add)
	c.checkRequestID(r.Header, &f, true, add)
	c.checkCodeHeaders(r.Header, f, add)
	scanLeaks(v, make([]string, 0, 8), add)
	if len(out) > 1 {
		slices.SortStableFunc(out, compareViolations)
	}
	return out
}

func (c *Contract) checkContentType(h http.Header, add func(string, string, string)) {
	ct := h.Get("Content-Type")
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	for _, want := range c.p.Envelope.ContentTypes {
		if strings.EqualFold(mt, want) {
			return
		}
	}
	if ct == "" {
		ct = "(none)"
	}
	add(RuleContentType, "Content-Type", fmt.Sprintf("Content-Type %s, want %s", ct, strings.Join(c.p.Envelope.ContentTypes, " or ")))
}

// checkCode checks each code the code pointer names (one per element of an
// error array): present, in the table, with a status the table allows. A
// profile without envelope.code promises no code.
func (c *Contract) checkCode(r Response, v any, add func(string, string, string)) {
	status := r.Status
	if !c.hasCode {
		return
	}
	optional := c.p.Envelope.CodeOptional.For(status)
	ptrs := c.code.expand(v)
	if len(ptrs) == 0 {
		if !optional {
			add(RuleCodeKnown, c.p.Envelope.Code, "no code at "+c.p.Envelope.Code)
		}
		return
	}
	for _, ptr := range ptrs {
		at := ptr.String()
		x, ok := ptr.lookup(v)
		if !ok {
			if !optional {
				add(RuleCodeKnown, at, "no code at "+at)
			}
			continue
		}
		code := scalarText(x)
		if _, _, ok := c.p.LookupCode(code); !ok {
			add(RuleCodeKnown, at, fmt.Sprintf("code %q at %s is not in the code table", code, at))
		} else if want := c.p.StatusesOn(code, r.Method, r.Path); !containsInt(want, status) {
			on := ""
			if _, cd, _ := c.p.LookupCode(code); len(cd.Routes) > 0 && r.Method != "" {
				on = " on " + r.Method + " " + r.Path
			}
			add(RuleStatusMatch, at, fmt.Sprintf("HTTP status %d for code %q%s, want %s", status, code, on, statusList(want)))
		}
	}
}

// checkStatusMember compares each status member (a number or a numeric
// string) with the HTTP status.
func (c *Contract) checkStatusMember(status int, v any, add func(string, string, string)) {
	if !c.hasStatus {
		return
	}
	for _, ptr := range c.status.expand(v) {
		x, ok := ptr.lookup(v)
		if !ok {
			continue // the envelope schema says whether the member is required
		}
		at := ptr.String()
		n, ok := statusValue(x)
		switch {
		case !ok:
			add(RuleStatusMatch, at, fmt.Sprintf("status member %s at %s is not an HTTP status", jsonText(x, 40), at))
		case n != status:
			add(RuleStatusMatch, at, fmt.Sprintf("status member %s at %s differs from HTTP status %d", jsonText(x, 40), at, status))
		}
	}
}

// checkMessage wants a non-empty message at the message pointer (at each
// element's, for a "*" pointer); nothing where the profile names none.
func (c *Contract) checkMessage(v any, add func(string, string, string)) {
	if c.p.Envelope.Message == "" {
		return // an open envelope that names no message promises none
	}
	ptrs := c.msg.expand(v)
	if len(ptrs) == 0 {
		add(RuleMessage, c.p.Envelope.Message, "message at "+c.p.Envelope.Message+" is missing or empty")
		return
	}
	for _, ptr := range ptrs {
		x, ok := ptr.lookup(v)
		if !ok || strings.TrimSpace(scalarText(x)) == "" {
			at := ptr.String()
			add(RuleMessage, at, "message at "+at+" is missing or empty")
		}
	}
}

// checkCodeHeaders applies codes.X.headers for each code the body carries.
func (c *Contract) checkCodeHeaders(h http.Header, f Fields, add func(string, string, string)) {
	seen := map[string]bool{}
	for _, code := range f.Codes {
		name, row, ok := c.p.LookupCode(code)
		if !ok || seen[name] {
			continue
		}
		seen[name] = true
		for _, msg := range CheckHeaders(row.Headers, h) {
			add(RuleHeaders, "codes."+name+".headers", msg)
		}
	}
}

func (c *Contract) checkRequestID(h http.Header, f *Fields, isJSON bool, add func(string, string, string)) {
	if c.ridHeader != "" && strings.TrimSpace(h.Get(c.ridHeader)) == "" {
		add(RuleRequestID, c.ridHeader, "no "+c.ridHeader+" header")
	}
	if !c.hasRID || !isJSON {
		return
	}
	ptr := c.p.RequestIDPointer()
	if strings.TrimSpace(f.RequestID) == "" {
		add(RuleRequestID, ptr, "no request id at "+ptr)
		return
	}
	if hv := strings.TrimSpace(h.Get(c.ridHeader)); c.ridHeader != "" && hv != "" && hv != strings.TrimSpace(f.RequestID) {
		add(RuleRequestID, ptr, fmt.Sprintf("request id %q at %s differs from the %s header %q", f.RequestID, ptr, c.ridHeader, hv))
	}
}
