package checks

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// Probe is a probe as data: the requests it sends, what each must get, and
// the check its verdict feeds. Built-in probes (malformed bodies, auth
// keys, unknown ids and routes, validation, conflict, internal, and the
// sequences delete, cross-tenant and idempotency mismatch), a profile's
// custom probes and OpenAPI-derived probes are all Probe values,
// interpreted by one engine (runData); a sequence's steps capture what
// later steps use ({{id}}). Only concurrency (the idempotency race, the
// burst) and the replay (two responses and a list count compared) are
// code.
//
// Build one with the exported fields and hand it to a run in Config.Probes;
// Check must be a catalogue ID or "custom.NAME".
type Probe struct {
	// Name is the probe's name in reports, e.g. "missing-key".
	Name string
	// Suite is the suite the probe belongs to (SuiteCustom for custom.*).
	Suite string
	// Check is the check ID the probe's verdict feeds.
	Check string
	// Severity overrides the catalogue's severity (custom probes carry their own).
	Severity report.Severity
	// Description is a one-line summary (custom probes).
	Description string
	// Requests are sent in order; every one must meet its Expect for the
	// check to pass; the first that does not is the failure.
	Requests []ProbeRequest
	// Also are further checks the engine judges on each response but the
	// set-up ones: AuthWWWAuthenticate (a 401 carries WWW-Authenticate),
	// MalformedMethodAllow (405 with Allow), ResourcesCreateHeaders (a 2xx
	// create meets endpoints.create.headers), ResourcesTenantLeak (no 403)
	// and ResourcesTenantBreach (no 2xx) for another organisation's id,
	// ValidationDetails (the details name endpoints.create.invalid_field).
	Also []string
	// Skip, when set, says why the probe does not apply (a key role unset, a
	// route the profile lacks); its checks are reported skipped with it.
	Skip string
	// Operation names the documented operation the probe is for (probes
	// planned from an OpenAPI document); every result it yields carries it.
	Operation string
	// Guess, when non-empty, says what the probe's expectation was inferred
	// from (not read in the document or an RFC): its failures carry it in
	// Result.Guess, graded warning — a guess never gates.
	Guess string
}

// ProbeRequest is one request of a Probe. Path, Body and header values may
// use {{n}} (a run-unique number, one per probe run, so two requests of a
// probe share it) and {{key:ROLE}} / {{basic:ROLE}} / {{password:ROLE}}
// (the key of ROLE, bare, as an HTTP Basic credential, or a Basic
// credential's password); a key placed that way replaces the profile's key
// header.
type ProbeRequest struct {
	Method string
	Path   string
	// Key is the key role sent in the profile's key header: valid, revoked,
	// expired, no_scope, other_tenant, or "" / "none" for none.
	Key string
	// KeyValue, when set, is sent as the key instead of a role's (an empty
	// or a garbage key).
	KeyValue *string
	// Body is the request body; nil sends none.
	Body        *string
	ContentType string
	Headers     map[string]string
	// Expect is what the response must be.
	Expect ProbeExpect
	// Capture names values of the response later requests use as {{NAME}}
	// in path, headers and body: NAME → "body /json/pointer", "header
	// Name", or "id" (a created resource's id, where endpoints.create
	// says). A capture that finds nothing fails the request; the later
	// ones are not sent.
	Capture map[string]string
	// Setup marks a request that only prepares the evidence (the create
	// before a delete): when it does not get its expectation the probe's
	// checks are skipped with the reason, never failed, and the Also
	// checks do not judge it.
	Setup bool
}

// ProbeExpect is what one request must get: any of the profile's
// expectations for Situations, or Rule, or (Success) any 2xx.
type ProbeExpect struct {
	Situations []string
	Rule       *schemas.Expectation
	Success    bool
	// EmptyBody wants no body on a 204 (RFC 9110 §15.3.5).
	EmptyBody bool
	// NoHeaderRules leaves out the header rules of the profile's
	// expectation: the wrong-scheme probe sends no credential the API can
	// read, so expect.invalid_key's rules (an invalid_token challenge, say)
	// do not describe its answer.
	NoHeaderRules bool
	// StatusHeaders are header rules that apply when the response has that
	// status (Allow on a 405).
	StatusHeaders map[int]map[string]schemas.HeaderRule
	// Allow, when set, is the exact method set a 405's Allow header must
	// list (HEAD with GET, and OPTIONS, may be added): the methods an
	// OpenAPI document gives the path.
	Allow []string
	// ClientError, when set, also accepts any 4xx: an OpenAPI operation that
	// documents no status for the case (negative data, refused credentials).
	ClientError bool
	// Fields are the request members a rejection must name (check
	// NegativeField, listed in the probe's Also) at one of FieldAt: JSON
	// Pointers into the error body, * standing for each array member.
	Fields  []string
	FieldAt []string
	// AnyOf are alternatives: the response must meet one of them (with
	// Rule, Situations and Success unset).
	AnyOf []schemas.Expectation
}

func ruleNames(rules map[string]schemas.HeaderRule) []string {
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

var keyPlaceholder = regexp.MustCompile(`\{\{(key|basic|password):([a-z_]+)\}\}`)

// checks lists every check the probe feeds.
func (dp Probe) checks() []string {
	return append([]string{dp.Check}, dp.Also...)
}

// asProbe wraps a data probe for the scheduler: its run is the one engine.
func (dp Probe) asProbe() probe {
	cp := dp
	return probe{name: cp.Name, suite: cp.Suite, checks: cp.checks(), skip: cp.Skip, severity: cp.Severity, operation: cp.Operation,
		run: func(ctx context.Context, s *session, o *outcome) { s.runData(ctx, o, cp) }}
}

// runData is the engine every data probe runs through: build each request
// (filling {{n}} and the values earlier steps captured), send it, judge the
// response against its expectation, capture what later steps use. Every
// request that breaks the check records its own failure, with the earlier
// requests as its set-up; a capture that finds nothing fails its step and
// the later steps are not sent.
func (s *session) runData(ctx context.Context, o *outcome, dp Probe) {
	vars := map[string]string{"n": s.expandN("{{n}}")}
	var sent []*report.Exchange
	var fails []report.Result
	var skip *report.Result
	also := newAlsoJudge(dp.Also)
	for i, rq := range dp.Requests {
		ex := s.do(ctx, o, s.dataCall(rq, vars))
		if !rq.Setup {
			also.judge(s, ex, rq)
		} else {
			also.judgeOnly(s, ex, rq, report.ResourcesCreateHeaders) // every successful create
		}
		r, ok := s.judgeExpect(dp, rq, ex)
		stop := ""
		if why := capture(s.p, ex, rq.Capture, vars, s.cfg.DryRun); why != "" {
			stop = why
			if ok {
				r, ok = s.failStep(dp, ex, why, "the step's response to carry what it captures"), false
			}
		}
		if rq.Setup && !ok && r.Status != report.StatusSkip {
			s.skipAll(o, dp, "no evidence: the set-up request "+ex.Request.Method+" "+pathOnly(rq.Path)+" did not succeed: "+oneLineOf(r.Message))
			return
		}
		s.untrackDeleted(rq, ex, vars)
		if left := len(dp.Requests) - i - 1; stop != "" && left > 0 {
			r.Message += fmt.Sprintf("; the %d later step(s) were not sent", left)
		}
		switch {
		case ok:
		case r.Status == report.StatusSkip:
			if skip == nil {
				skip = &r
			}
		default:
			r.Setup = append([]*report.Exchange(nil), sent...)
			fails = append(fails, r)
		}
		sent = append(sent, ex)
		if stop != "" {
			break
		}
	}
	switch {
	case len(fails) > 0:
		for _, r := range fails {
			o.add(r)
		}
	case skip != nil:
		o.add(*skip)
	case len(sent) > 0:
		r := newResult(dp.Check, o.probe, report.StatusPass)
		r.Exchange = sent[len(sent)-1]
		o.add(r)
	}
	also.record(o)
}

// skipAll skips every check of a probe with reason.
func (s *session) skipAll(o *outcome, dp Probe, reason string) {
	for _, c := range append([]string{dp.Check}, dp.Also...) {
		o.skip(c, reason)
	}
}

// untrackDeleted forgets a captured resource a DELETE removed (2xx), so
// the clean-up does not delete it again.
func (s *session) untrackDeleted(rq ProbeRequest, ex *report.Exchange, vars map[string]string) {
	if rq.Method != http.MethodDelete || ex.Response == nil || ex.Response.Status/100 != 2 {
		return
	}
	for _, m := range stepVar.FindAllStringSubmatch(rq.Path, -1) {
		if v, ok := vars[m[1]]; ok && m[1] != "n" {
			s.untrack(v)
		}
	}
}

func oneLineOf(s string) string { return strings.Join(strings.Fields(s), " ") }

func (s *session) failStep(dp Probe, ex *report.Exchange, msg, want string) report.Result {
	r := newResult(dp.Check, dp.Name, report.StatusFail)
	r.Message, r.Expected, r.Actual, r.Exchange = msg, want, describe(ex, s.code(ex)), ex
	return r
}

// capture fills vars from a step's response: NAME → "body /pointer" or
// "header Name". It says what it could not find ("" when all were found);
// a dry run captures placeholders.
func capture(p *schemas.Profile, ex *report.Exchange, spec map[string]string, vars map[string]string, dry bool) string {
	for _, name := range sortedNames(spec) {
		where, arg, _ := strings.Cut(spec[name], " ")
		if dry {
			vars[name] = "{" + name + "}"
			continue
		}
		if ex == nil || ex.Response == nil {
			return "capture " + name + ": no response (" + describe(ex, "") + ")"
		}
		v, ok := "", false
		switch where {
		case "id":
			if ex.Response.Status/100 == 2 {
				v, ok = extractID(p, ex.Response.Body)
			}
			arg = "resource id (endpoints.create.id_pointer)"
		case "header":
			v = ex.Response.Header.Get(arg)
			ok = v != ""
		case "body":
			v, ok = pointerText(ex.Response.Body, arg)
		}
		if !ok {
			return "capture " + name + ": no " + arg + " " + map[string]string{"header": "header", "body": "in the body"}[where]
		}
		vars[name] = v
	}
	return ""
}

// pointerText is the value at a JSON Pointer of a JSON body as text (a
// string as is, anything else as JSON).
func pointerText(body, ptr string) (string, bool) {
	var doc any
	d := json.NewDecoder(strings.NewReader(body))
	d.UseNumber()
	if d.Decode(&doc) != nil {
		return "", false
	}
	v, ok := schemas.Lookup(doc, ptr)
	if !ok || v == nil {
		return "", false
	}
	if str, isStr := v.(string); isStr {
		return str, str != ""
	}
	b, _ := json.Marshal(v)
	return string(b), true
}

func sortedNames(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var stepVar = regexp.MustCompile(`\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}`)

// fill replaces {{n}} and the captured {{NAME}}s of text; escape applies
// to each value (path segments are escaped, bodies and headers not).
func fill(text string, vars map[string]string, escape func(string) string) string {
	if !strings.Contains(text, "{{") {
		return text
	}
	return stepVar.ReplaceAllStringFunc(text, func(m string) string {
		v, ok := vars[m[2:len(m)-2]]
		if !ok {
			return m
		}
		if escape != nil {
			return escape(v)
		}
		return v
	})
}

// fillPath fills a path: a value that is a whole path or URL (a captured
// Location) stays as is, others are escaped as a path segment.
func fillPath(path string, vars map[string]string) string {
	return fill(path, vars, func(v string) string {
		if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "{") {
			return v
		}
		return url.PathEscape(v)
	})
}

// dataCall turns a request template into a call.
func (s *session) dataCall(rq ProbeRequest, vars map[string]string) call {
	method := rq.Method
	if method == "" {
		method = http.MethodGet
	}
	c := call{method: method, path: fillPath(rq.Path, vars), key: keyRole(rq.Key)}
	if rq.Body != nil {
		c.body, c.hasBody, c.contentType = fill(*rq.Body, vars, nil), true, rq.ContentType
	}
	placed := ""
	headers := map[string]string{}
	for k, v := range rq.Headers {
		if keyPlaceholder.MatchString(v) {
			placed = k
		}
		headers[k] = fill(v, vars, nil)
	}
	if keyPlaceholder.MatchString(c.path) {
		c.path = keyPlaceholder.ReplaceAllStringFunc(c.path, func(m string) string {
			return url.QueryEscape(s.expandKey(m))
		})
		if placed == "" {
			placed = "query:" + queryParamOf(rq.Path)
		}
	}
	switch {
	case rq.KeyValue != nil:
		v := *rq.KeyValue
		c.auth = func(h http.Header) {
			name, value := s.keyHeader(v)
			h.Set(name, strings.TrimSpace(value))
		}
	case placed != "":
		c.auth, c.keyAt = func(http.Header) {}, placed
	}
	if len(headers) > 0 {
		c.header = http.Header{}
		for k, v := range headers {
			c.header.Set(k, keyPlaceholder.ReplaceAllStringFunc(v, s.expandKey))
		}
		if c.auth != nil && c.keyAt != "" && !strings.HasPrefix(c.keyAt, "query:") {
			c.keyAt = http.CanonicalHeaderKey(c.keyAt)
		}
	}
	return c
}

// expandKey replaces one {{key:ROLE}} or {{basic:ROLE}} placeholder.
func (s *session) expandKey(m string) string {
	sub := keyPlaceholder.FindStringSubmatch(m)
	key := s.keys[role(sub[2])]
	switch sub[1] {
	case "basic":
		return base64.StdEncoding.EncodeToString([]byte(key + ":"))
	case "password": // with Basic auth the key is user:password
		_, pw, _ := strings.Cut(key, ":")
		return pw
	}
	return key
}

func queryParamOf(path string) string {
	_, q, _ := strings.Cut(path, "?")
	for _, kv := range strings.Split(q, "&") {
		if k, v, _ := strings.Cut(kv, "="); keyPlaceholder.MatchString(v) {
			return k
		}
	}
	return ""
}

func keyRole(r string) role {
	if r == schemas.KeyNone {
		return roleNone
	}
	return role(r)
}

// judgeExpect judges one response; ok is false with the failing result.
func (s *session) judgeExpect(dp Probe, rq ProbeRequest, ex *report.Exchange) (report.Result, bool) {
	guess := dp.Guess
	fail := func(msg, want, got string) (report.Result, bool) {
		r := newResult(dp.Check, dp.Name, report.StatusFail)
		r.Message, r.Expected, r.Actual, r.Exchange = msg, want, got, ex
		markGuess(&r, guess)
		return r, false
	}
	f := s.fields(ex)
	actual := describe(ex, f.Code)
	if rq.Expect.Success {
		if ex.Response == nil || ex.Response.Status/100 != 2 {
			return fail("got "+actual+", want 2xx", "2xx", actual)
		}
		return report.Result{}, true
	}
	if rq.Expect.ClientError && rq.Expect.Rule == nil {
		if ex.Response == nil || ex.Response.Status/100 != 4 {
			return fail("got "+actual+", want a 4xx", "a 4xx", actual)
		}
		return report.Result{}, true
	}
	e := expectation{p: s.p}
	if len(rq.Expect.AnyOf) > 0 {
		e = expectOne(s.p, schemas.Expectation{AnyOf: rq.Expect.AnyOf})
	} else if rq.Expect.Rule != nil {
		e = expectOne(s.p, *rq.Expect.Rule)
	} else if x, ok := expect(s.p, rq.Expect.Situations...); ok {
		e = x
		guess = cmp.Or(guess, e.guess())
	} else {
		r := newResult(dp.Check, dp.Name, report.StatusSkip)
		r.Message = "the profile's expect table has no " + strings.Join(rq.Expect.Situations, " or ")
		return r, false
	}
	e = e.on(ex)
	if ex.Response == nil {
		return fail("got "+actual+", want "+e.String(), e.String(), actual)
	}
	if ex.Request.Method == http.MethodHead {
		e = e.bodiless()
	}
	st := ex.Response.Status
	matched, ok := e.match(st, f.Codes)
	if !ok {
		return fail("got "+actual+", want "+e.String(), e.String(), actual)
	}
	if rq.Expect.NoHeaderRules {
		matched.Headers = nil
	}
	if msgs := schemas.CheckHeaders(matched.Headers, ex.Response.Header); len(msgs) > 0 {
		return fail(msgs[0], "headers as the profile promises", actual)
	}
	if msgs := schemas.CheckHeaders(rq.Expect.StatusHeaders[st], ex.Response.Header); len(msgs) > 0 {
		return fail(statusText(st)+": "+msgs[0], e.String()+" with "+strings.Join(ruleNames(rq.Expect.StatusHeaders[st]), ", "), actual)
	}
	if rq.Expect.EmptyBody && st == http.StatusNoContent && ex.Response.Body != "" {
		return fail(strconv.Itoa(st)+" with a body", e.String()+" with an empty body", strconv.Itoa(st)+" with a body")
	}
	if len(rq.Expect.Allow) > 0 && st == http.StatusMethodNotAllowed {
		if msg := allowMessage(rq.Expect.Allow, ex.Response.Header); msg != "" {
			return fail(msg, "405 with Allow: "+strings.Join(rq.Expect.Allow, ", "), actual)
		}
	}
	return report.Result{}, true
}

// alsoJudge collects the verdicts of a probe's Also checks over its
// responses: the first failure, else a pass where one applied.
type alsoJudge struct {
	checks []string
	got    map[string]*report.Result
}

func newAlsoJudge(checks []string) *alsoJudge {
	return &alsoJudge{checks: checks, got: map[string]*report.Result{}}
}

// judgeOnly judges one of the checks on a set-up response.
func (a *alsoJudge) judgeOnly(s *session, ex *report.Exchange, rq ProbeRequest, check string) {
	if slices.Contains(a.checks, check) {
		(&alsoJudge{checks: []string{check}, got: a.got}).judge(s, ex, rq)
	}
}

func (a *alsoJudge) judge(s *session, ex *report.Exchange, rq ProbeRequest) {
	if ex.Response == nil {
		return
	}
	for _, c := range a.checks {
		if prev := a.got[c]; prev != nil && prev.Status == report.StatusFail {
			continue
		}
		var msg, skip, want, got string
		applies := false
		switch c {
		case report.ValidationDetails:
			applies = true
			msg, skip, want, got = s.judgeDetails(ex)
		case report.AuthWWWAuthenticate:
			if applies = ex.Response.Status == http.StatusUnauthorized; applies && ex.Response.Header.Get("WWW-Authenticate") == "" {
				msg = "401 without WWW-Authenticate (RFC 9110 §11.6.1)"
			}
		case report.MalformedMethodAllow:
			applies = true
			if x, ok := s.p.Expectation(schemas.ExpectMethodNotAllowed); ok && !slices.Contains(x.Statuses(s.p), http.StatusMethodNotAllowed) {
				skip = "the profile expects " + x.String(s.p) + " for a method a route does not take (expect.method_not_allowed), not 405"
			} else if st := ex.Response.Status; st != http.StatusMethodNotAllowed {
				msg = rq.Method + " answered " + describe(ex, s.code(ex)) + "; RFC 9110 §15.5.5 recommends 405 with Allow"
			} else if ex.Response.Header.Get("Allow") == "" {
				msg = "405 without an Allow header (RFC 9110 §15.5.6)"
			}
		case report.NegativeField:
			if applies = validationStatus(ex.Response.Status) && len(rq.Expect.Fields) > 0; applies {
				if len(rq.Expect.FieldAt) > 0 {
					msg = fieldsMessage(ex.Response.Body, rq.Expect.Fields, rq.Expect.FieldAt)
				} else {
					msg, skip = blamesValid(ex, rq.Expect.Fields)
				}
			}
		case report.ResourcesTenantLeak:
			applies = true
			if ex.Response.Status == http.StatusForbidden {
				msg = "another organisation's id answered 403: the API confirms the resource exists"
			}
		case report.ResourcesTenantBreach:
			applies = true
			if ex.Response.Status/100 == 2 {
				msg = "another organisation's resource was served: tenant isolation is broken"
			}
		case report.ResourcesCreateHeaders:
			isCreate := rq.Method == createMethod(s.p) && pathOnly(rq.Path) == s.p.Endpoints.Create.Path
			if applies = isCreate && ex.Response.Status/100 == 2 && len(s.p.Endpoints.Create.Headers) > 0; applies {
				if msgs := schemas.CheckHeaders(s.p.Endpoints.Create.Headers, ex.Response.Header); len(msgs) > 0 {
					msg = msgs[0]
				}
			}
		}
		if !applies {
			continue
		}
		r := newResult(c, "", report.StatusPass)
		r.Exchange = ex
		switch {
		case skip != "":
			r.Status, r.Message, r.Exchange = report.StatusSkip, skip, nil
		case msg != "":
			r.Status, r.Message = report.StatusFail, msg
			r.Expected, r.Actual = cmp.Or(want, alsoWant[c]), cmp.Or(got, describe(ex, s.code(ex)))
		}
		a.got[c] = &r
	}
}

var alsoWant = map[string]string{
	report.AuthWWWAuthenticate:    "WWW-Authenticate header",
	report.MalformedMethodAllow:   "405 with an Allow header",
	report.ResourcesCreateHeaders: "the headers endpoints.create.headers promises",
	report.NegativeField:          "an error naming the invalid field",
	report.ResourcesTenantLeak:    "404",
	report.ResourcesTenantBreach:  "404",
}

func (a *alsoJudge) record(o *outcome) {
	for _, c := range a.checks {
		if r := a.got[c]; r != nil {
			r.Probe = o.probe
			o.add(*r)
		}
	}
}
