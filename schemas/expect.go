package schemas

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Expectation is what a situation (expect.X) or a custom probe expects: a
// code from the table, a code pattern, a status alone, or a code with a
// status narrower than the table's; plus header rules. In a file a bare
// string is a code: `not_found: NOT_FOUND`.
type Expectation struct {
	// Code names an entry of the code table.
	Code string `yaml:"code,omitempty" json:"code,omitempty"`
	// CodePattern is a regular expression the body's code must match.
	CodePattern string `yaml:"code_pattern,omitempty" json:"code_pattern,omitempty"`
	// Status lists the allowed statuses; empty: the code table's.
	Status Statuses `yaml:"status,omitempty" json:"status,omitempty"`
	// Headers are header rules the response must meet.
	Headers map[string]HeaderRule `yaml:"headers,omitempty" json:"headers,omitempty"`
	// AnyOf lists alternatives: the response must meet one of them ("202,
	// or 404 NOT_FOUND"). An expectation with AnyOf has nothing else.
	AnyOf []Expectation `yaml:"any_of,omitempty" json:"any_of,omitempty"`
	// Guess, when set, says what the expectation was inferred from (not
	// read in the API's document or an RFC): a failure against it is
	// graded warning and carries the reason — a guess never gates.
	Guess string `yaml:"guess,omitempty" json:"guess,omitempty"`
	// SameAs names an earlier step of the probe (its name) whose response
	// this one must repeat in what Same lists: a replay answers as the
	// create did. Only in a probe step's expect; with neither code nor
	// status, the status is not judged on its own.
	SameAs string `yaml:"same_as,omitempty" json:"same_as,omitempty"`
	// Same lists what must equal step SameAs's (default status and body):
	// SameItems.
	Same []string `yaml:"same,omitempty" json:"same,omitempty"`
}

// The items of Expectation.Same: the status, the body (JSON-equal), the
// value at a JSON Pointer of the body ("body /id"), a header ("header
// Location"), the created resource's id (endpoints.create.id_pointer) and
// a list's count (its total member, else its length). An item the earlier
// step's response does not carry (no Location on the create) is not
// judged, nor an id or a count either response lacks; when no item is,
// the step has no evidence.
const (
	SameStatus = "status"
	SameBody   = "body"
	SameID     = "id"
	SameCount  = "count"
)

// SameItems returns Same, default status and body.
func (e Expectation) SameItems() []string {
	if len(e.Same) == 0 {
		return []string{SameStatus, SameBody}
	}
	return e.Same
}

// sameItem matches one item of Same.
var sameItem = regexp.MustCompile("^(status|body|id|count|body (/([^~/]|~[01])*)+|header [A-Za-z0-9!#$%&'*+.^_`|~-]+)$")

// HeaderRule is a promise about one response header: present, absent, or
// present and matching a regular expression.
type HeaderRule struct {
	Required  bool   `yaml:"required,omitempty" json:"required,omitempty"`
	Forbidden bool   `yaml:"forbidden,omitempty" json:"forbidden,omitempty"`
	Pattern   string `yaml:"pattern,omitempty" json:"pattern,omitempty"`
}

// Probe is a profile's own probe: one request and what it must get, or
// Steps, several requests in order whose captures later steps use. Its
// result id is custom.NAME.
type Probe struct {
	Name    string       `yaml:"name" json:"name"`
	Request ProbeRequest `yaml:"request,omitempty" json:"request,omitzero"`
	Expect  Expectation  `yaml:"expect,omitempty" json:"expect,omitzero"`
	// Steps, instead of Request and Expect, are requests sent in order;
	// a step's Capture names values later steps use as {{NAME}}.
	Steps []ProbeStep `yaml:"steps,omitempty" json:"steps,omitempty"`
	// Severity is error (default) or warning.
	Severity string `yaml:"severity,omitempty" json:"severity,omitempty"`
	// Description is shown in reports and `errprobe probes`.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Env holds the values of the ${VAR}s the probe's requests use (secrets
	// to mask); Unset names those the environment does not set (the probe
	// is then skipped naming them). Filled while loading.
	Env   map[string]string `yaml:"-" json:"-"`
	Unset []string          `yaml:"-" json:"-"`
}

// ProbeStep is one request of a multi-step probe: what it must get and
// the values it captures, NAME → "body /json/pointer" or "header Name".
type ProbeStep struct {
	Request ProbeRequest      `yaml:"request" json:"request"`
	Expect  Expectation       `yaml:"expect" json:"expect"`
	Capture map[string]string `yaml:"capture,omitempty" json:"capture,omitempty"`
	// Name names the step for a later step's expect.same_as.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
}

// StepList returns the probe's steps: Steps, or its one request and
// expectation as a single step.
func (p Probe) StepList() []ProbeStep {
	if len(p.Steps) > 0 {
		return p.Steps
	}
	return []ProbeStep{{Request: p.Request, Expect: p.Expect}}
}

// ProbeRequest is the request of a custom probe. Key is a key role (valid,
// revoked, expired, no_scope, other_tenant) or none; Body may use {{n}}.
type ProbeRequest struct {
	Method      string            `yaml:"method,omitempty" json:"method,omitempty"`
	Path        string            `yaml:"path" json:"path"`
	Key         string            `yaml:"key,omitempty" json:"key,omitempty"`
	Body        *string           `yaml:"body,omitempty" json:"body,omitempty"`
	ContentType string            `yaml:"content_type,omitempty" json:"content_type,omitempty"`
	Headers     map[string]string `yaml:"headers,omitempty" json:"headers,omitempty"`
}

// SeverityOverride changes one check's severity; Reason is required and
// shown in reports.
type SeverityOverride struct {
	Level  string `yaml:"level" json:"level"`
	Reason string `yaml:"reason" json:"reason"`
}

// KeyNone is the custom probes' key role for "send no key".
const KeyNone = "none"

// UnmarshalJSON accepts "CODE" and {code, code_pattern, status, headers}.
func (e *Expectation) UnmarshalJSON(b []byte) error {
	var code string
	if err := json.Unmarshal(b, &code); err == nil {
		*e = Expectation{Code: code}
		return nil
	}
	type plain Expectation
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*e = Expectation(p)
	return nil
}

// MarshalJSON writes an expectation that is only a code as that code.
func (e Expectation) MarshalJSON() ([]byte, error) {
	if e.Code != "" && e.CodePattern == "" && len(e.Status) == 0 && len(e.Headers) == 0 && len(e.AnyOf) == 0 && e.SameAs == "" && len(e.Same) == 0 && e.Guess == "" {
		return json.Marshal(e.Code)
	}
	type plain Expectation
	return json.Marshal(plain(e))
}

// UnmarshalYAML accepts "CODE" and the mapping form.
func (e *Expectation) UnmarshalYAML(unmarshal func(any) error) error {
	var code string
	if err := unmarshal(&code); err == nil {
		*e = Expectation{Code: code}
		return nil
	}
	type plain Expectation
	var p plain
	if err := unmarshal(&p); err != nil {
		return err
	}
	*e = Expectation(p)
	return nil
}

// IsZero reports an expectation that expects nothing.
func (e Expectation) IsZero() bool {
	return e.Code == "" && e.CodePattern == "" && len(e.Status) == 0 && len(e.AnyOf) == 0 && e.SameAs == ""
}

// JudgesStatus reports an expectation that names statuses or codes (one
// with only same_as and headers leaves the status to the comparison).
func (e Expectation) JudgesStatus() bool {
	return e.Code != "" || e.CodePattern != "" || len(e.Status) > 0 || len(e.AnyOf) > 0
}

// Alternatives returns the expectations a response may meet: AnyOf's
// (flattened, each carrying e's Guess where it has none), else e itself.
func (e Expectation) Alternatives() []Expectation {
	if len(e.AnyOf) == 0 {
		return []Expectation{e}
	}
	var out []Expectation
	for _, x := range e.AnyOf {
		for _, alt := range x.Alternatives() {
			alt.Guess = cmp.Or(alt.Guess, e.Guess) // a guessed any_of guesses each alternative
			out = append(out, alt)
		}
	}
	return out
}

// Statuses returns the statuses the expectation allows: its own, else the
// code table's for its code; nil when any status will do (a pattern alone).
func (e Expectation) Statuses(p *Profile) []int { return e.StatusesOn(p, "", "") }

// StatusesOn is Statuses for a request of method on path: a code with
// routes (codes.X.routes) allows its statuses on that route.
func (e Expectation) StatusesOn(p *Profile, method, path string) []int {
	if len(e.AnyOf) > 0 {
		var out []int
		for _, x := range e.Alternatives() {
			st := x.StatusesOn(p, method, path)
			if st == nil {
				return nil
			}
			for _, s := range st {
				if !containsInt(out, s) {
					out = append(out, s)
				}
			}
		}
		return out
	}
	if len(e.Status) > 0 {
		return []int(e.Status)
	}
	if e.Code != "" {
		return p.StatusesOn(e.Code, method, path)
	}
	return nil
}

// Allows reports whether a response with status and the body's codes (one
// per error element; none for a code-less body) meets the expectation,
// headers aside.
func (e Expectation) Allows(p *Profile, status int, codes []string) bool {
	return e.AllowsOn(p, "", "", status, codes)
}

// AllowsOn is Allows for a response to a request of method on path: a code
// with routes (codes.X.routes) is judged against its statuses on that route.
func (e Expectation) AllowsOn(p *Profile, method, path string, status int, codes []string) bool {
	if len(e.AnyOf) > 0 {
		for _, x := range e.Alternatives() {
			if x.AllowsOn(p, method, path, status, codes) {
				return true
			}
		}
		return false
	}
	want := e.StatusesOn(p, method, path)
	if e.Code == "" && e.CodePattern == "" {
		return containsInt(want, status)
	}
	for _, c := range codes {
		if e.Code != "" && c != e.Code {
			continue
		}
		if e.CodePattern != "" && !Pattern(e.CodePattern).MatchString(c) {
			continue
		}
		st := want
		if st == nil {
			st = p.StatusesOn(c, method, path)
		}
		if st == nil || containsInt(st, status) {
			return true
		}
	}
	return false
}

// String words the expectation: "404 NOT_FOUND", "400", "4xx code ~ ^E".
func (e Expectation) String(p *Profile) string { return e.StringOn(p, "", "") }

// StringOn words the expectation for a request of method on path, quoting
// a code's status on that route (codes.X.routes) where one applies.
func (e Expectation) StringOn(p *Profile, method, path string) string {
	if len(e.AnyOf) > 0 {
		alts := make([]string, 0, len(e.AnyOf))
		for _, x := range e.Alternatives() {
			alts = append(alts, x.StringOn(p, method, path))
		}
		return strings.Join(alts, " or ")
	}
	var parts []string
	if st := e.StatusesOn(p, method, path); len(st) > 0 {
		parts = append(parts, statusList(st))
	}
	if e.Code != "" {
		parts = append(parts, e.Code)
	}
	if e.CodePattern != "" {
		parts = append(parts, "a code matching "+e.CodePattern)
	}
	if len(parts) == 0 {
		return "anything"
	}
	return strings.Join(parts, " ")
}

// Expectation returns what a probe in situation expects; ok is false when
// the profile's expect table has no entry for it.
func (p *Profile) Expectation(situation string) (Expectation, bool) {
	e, ok := p.Expect[situation]
	return e, ok && !e.IsZero()
}

// ExpectCode returns the code the expect table names for situation; "" for
// none or for a status-only expectation.
func (p *Profile) ExpectCode(situation string) string { return p.Expect[situation].Code }

// LookupCode finds a body's code in the table: its own entry, else the first
// pattern entry (by name) whose match it matches. name is the entry's key.
func (p *Profile) LookupCode(code string) (name string, c Code, ok bool) {
	if c, ok := p.Codes[code]; ok {
		return code, c, true
	}
	names := make([]string, 0, len(p.Codes))
	for n, c := range p.Codes {
		if c.Match != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if Pattern(p.Codes[n].Match).MatchString(code) {
			return n, p.Codes[n], true
		}
	}
	return "", Code{}, false
}

var patterns sync.Map // string → *regexp.Regexp (nil for one that does not compile)

// Pattern compiles a profile's regular expression once; one that does not
// compile (Load refuses those) matches nothing.
func Pattern(s string) *regexp.Regexp {
	if v, ok := patterns.Load(s); ok {
		return v.(*regexp.Regexp)
	}
	re, err := regexp.Compile(s)
	if err != nil {
		re = regexp.MustCompile(`a\A`) // matches nothing
	}
	patterns.Store(s, re)
	return re
}

// Check returns why a response's header breaks the rule; "" when it holds.
func (r HeaderRule) Check(name string, h http.Header) string {
	vs := h.Values(name)
	switch {
	case r.Forbidden && len(vs) > 0:
		return fmt.Sprintf("header %s must be absent, got %q", name, vs[0])
	case (r.Required || r.Pattern != "") && len(vs) == 0:
		return "no " + name + " header"
	case r.Pattern != "" && !Pattern(r.Pattern).MatchString(strings.Join(vs, ", ")):
		return fmt.Sprintf("header %s %q does not match %s", name, strings.Join(vs, ", "), r.Pattern)
	}
	return ""
}

// CheckHeaders checks every rule of rules (in name order) and returns one
// message per broken rule.
func CheckHeaders(rules map[string]HeaderRule, h http.Header) []string {
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		if msg := rules[n].Check(n, h); msg != "" {
			out = append(out, msg)
		}
	}
	return out
}

// CodeOptional is envelope.code_optional: true (any status) or a list of
// statuses whose errors may carry no code.
type CodeOptional struct {
	All      bool
	Statuses []int
}

// For reports whether an error with status may lack a code.
func (o CodeOptional) For(status int) bool { return o.All || containsInt(o.Statuses, status) }

// IsZero reports no optional code.
func (o CodeOptional) IsZero() bool { return !o.All && len(o.Statuses) == 0 }

// UnmarshalJSON accepts true/false and a list of statuses.
func (o *CodeOptional) UnmarshalJSON(b []byte) error {
	var all bool
	if err := json.Unmarshal(b, &all); err == nil {
		*o = CodeOptional{All: all}
		return nil
	}
	var st []int
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("code_optional must be true or a list of statuses")
	}
	*o = CodeOptional{Statuses: st}
	return nil
}

// MarshalJSON writes true or the list of statuses.
func (o CodeOptional) MarshalJSON() ([]byte, error) {
	if len(o.Statuses) > 0 {
		return json.Marshal(o.Statuses)
	}
	return json.Marshal(o.All)
}

// UnmarshalYAML accepts true/false and a list of statuses.
func (o *CodeOptional) UnmarshalYAML(unmarshal func(any) error) error {
	var all bool
	if err := unmarshal(&all); err == nil {
		*o = CodeOptional{All: all}
		return nil
	}
	var st []int
	if err := unmarshal(&st); err != nil {
		return err
	}
	*o = CodeOptional{Statuses: st}
	return nil
}
