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
)

// Response is an HTTP response as the contract sees it.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Violation is one broken rule. Path is a JSON Pointer into the body ("" for
// the whole body) or, for header rules, the header's name.
type Violation struct {
	Rule, Path, Message string
}

// Fields are the members Extract finds through the envelope's pointers.
type Fields struct {
	// Code is the machine code; a number or boolean there is given as its
	// JSON text ("404"); an object or array leaves Code empty.
	Code, Message, RequestID string
	HasCode, HasMessage      bool
	Details                  any
	HasDetails               bool
	Status                   int // the body's status member (envelope.status), if any
	HasStatus                bool
}

// Contract is a profile with its envelope schema compiled and pointers
// parsed: build it once per run with Compile; it is safe for concurrent use.
type Contract struct {
	p                               *Profile
	env                             *envelopeSchema
	code, msg, details, rid, status pointer
	hasDetails, hasRID, hasStatus   bool
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
	c := &Contract{p: p, env: env, ridHeader: http.CanonicalHeaderKey(p.RequestID.Header)}
	var errs []error
	parse := func(name, s string) (pointer, bool) {
		ptr, err := parsePointer(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
		return ptr, s != ""
	}
	c.code, _ = parse("envelope.code", p.Envelope.Code)
	c.msg, _ = parse("envelope.message", p.Envelope.Message)
	c.details, c.hasDetails = parse("envelope.details", p.Envelope.Details)
	c.rid, c.hasRID = parse("request_id.pointer", p.RequestIDPointer())
	c.status, c.hasStatus = parse("envelope.status", p.Envelope.Status)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

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
	if x, ok := c.code.lookup(v); ok {
		f.Code, f.HasCode = scalarText(x), true
	}
	if x, ok := c.msg.lookup(v); ok {
		f.Message, f.HasMessage = scalarText(x), true
	}
	if c.hasDetails {
		f.Details, f.HasDetails = c.details.lookup(v)
	}
	if c.hasRID {
		if x, ok := c.rid.lookup(v); ok {
			f.RequestID = scalarText(x)
		}
	}
	if c.hasStatus {
		if n, ok := c.status.lookup(v); ok {
			if fl, ok := n.(float64); ok && fl == float64(int(fl)) {
				f.Status, f.HasStatus = int(fl), true
			}
		}
	}
	return f
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
	if err := c.env.schema.Validate(v); err != nil {
		c.schemaViolations(err, v, add)
	}
	f := c.fields(v)
	c.checkCode(r.Status, f, add)
	if !f.HasMessage || strings.TrimSpace(f.Message) == "" {
		add(RuleMessage, c.p.Envelope.Message, "message at "+c.p.Envelope.Message+" is missing or empty")
	}
	c.checkRequestID(r.Header, &f, true, add)
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

func (c *Contract) checkCode(status int, f Fields, add func(string, string, string)) {
	ptr := c.p.Envelope.Code
	if !f.HasCode {
		add(RuleCodeKnown, ptr, "no code at "+ptr)
		return
	}
	if _, ok := c.p.Codes[f.Code]; !ok {
		add(RuleCodeKnown, ptr, fmt.Sprintf("code %q at %s is not in the code table", f.Code, ptr))
	} else if want := c.p.StatusesFor(f.Code); !containsInt(want, status) {
		add(RuleStatusMatch, ptr, fmt.Sprintf("HTTP status %d for code %q, want %s", status, f.Code, statusList(want)))
	}
	if f.HasStatus && f.Status != status {
		add(RuleStatusMatch, c.p.Envelope.Status, fmt.Sprintf("status member %d at %s differs from HTTP status %d", f.Status, c.p.Envelope.Status, status))
	}
}

func (c *Contract) checkRequestID(h http.Header, f *Fields, isJSON bool, add func(string, string, string)) {
	if c.ridHeader != "" && strings.TrimSpace(h.Get(c.ridHeader)) == "" {
		add(RuleRequestID, c.ridHeader, "no "+c.ridHeader+" header")
	}
	if !c.hasRID || !isJSON {
		return
	}
	if strings.TrimSpace(f.RequestID) == "" {
		ptr := c.p.RequestIDPointer()
		add(RuleRequestID, ptr, "no request id at "+ptr)
	}
}
