package checks

import (
	"cmp"
	"context"
	"encoding/base64"
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
// sequences delete, cross-tenant and the idempotency replay and
// mismatch), a profile's custom probes and OpenAPI-derived probes are all
// Probe values, interpreted by one engine (runData); a sequence's steps
// capture what later steps use ({{id}}) and may compare their response
// with an earlier step's (same_as). Only concurrency (the idempotency
// race, the burst) is code: a Probe whose unexported exec runs instead.
// The plan is a list of Probes; those without Serial run concurrently.
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
	// Also are further checks the probe feeds (a code probe: the rest of
	// its checks). For a data probe, the engine judges them on each
	// response but the set-up ones: AuthWWWAuthenticate (a 401 carries WWW-Authenticate),
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
	// Serial runs the probe alone, after the others: it counts resources,
	// which concurrent creates would disturb.
	Serial bool
	// exec runs the built-ins that are true concurrency, not a sequence
	// (the idempotency race, the burst, the no-limiter check), in place of
	// runData; nil for every other probe.
	exec func(ctx context.Context, s *session, o *outcome)
}

// ProbeRequest is one request of a Probe. Path, Body and header values may
// use {{n}} (a run-unique number, one per probe run, so two requests of a
// probe share it) and {{key:ROLE}} / {{basic:ROLE}} / {{password:ROLE}}
// (the key of ROLE, bare, as an HTTP Basic credential, or a Basic
// credential's password); a key placed that way replaces the profile's key
// header.
type ProbeRequest struct {
	// Name names the step for a later step's expectation (SameAs).
	Name   string
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
	// AlsoExpect are further expectations of the same response, each for
	// its own check (ProbeExpect.Check): a replay's headers and its id.
	AlsoExpect []ProbeExpect
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

// expectationOf is what x expects: its any_of, else its rule, else the
// profile's expectation for its situations; false when the expect table
// sets none of them.
func (s *session) expectationOf(x ProbeExpect) (expectation, bool) {
	switch {
	case len(x.AnyOf) > 0:
		return expectOne(s.p, schemas.Expectation{AnyOf: x.AnyOf}), true
	case x.Rule != nil:
		return expectOne(s.p, *x.Rule), true
	}
	return expect(s.p, x.Situations...)
}

// ProbeExpect is what one request must get: any of the profile's
// expectations for Situations, or Rule, or (Success) any 2xx, or (Any)
// whatever comes. Rule.SameAs compares the response with an earlier
// step's (a replay repeats the create's status, body and headers); a Rule
// with only SameAs and Headers judges no status of its own.
type ProbeExpect struct {
	// Check is the check the expectation feeds; "" is the probe's Check.
	Check string
	// From says where the expectation comes from, added to its failures'
	// messages: "idempotency.replay_header".
	From string
	// Any judges nothing: the step only gives later steps something to
	// compare with (a list counted before a replay).
	Any        bool
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

// checks lists every check the probe feeds: Check, Also, and those its
// steps' expectations name.
func (dp Probe) checks() []string {
	out := append([]string{dp.Check}, dp.Also...)
	for _, rq := range dp.Requests {
		for _, x := range append([]ProbeExpect{rq.Expect}, rq.AlsoExpect...) {
			if x.Check != "" && !slices.Contains(out, x.Check) {
				out = append(out, x.Check)
			}
		}
	}
	return out
}

// run runs the probe: its code where it is one of the concurrent
// built-ins, else the one engine, runData.
func (dp Probe) run(ctx context.Context, s *session, o *outcome) {
	if dp.exec != nil {
		dp.exec(ctx, s, o)
		return
	}
	s.runData(ctx, o, dp)
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

// step is a response being judged: its label in messages, and the
// earlier named steps' responses (same_as).
type step struct {
	label string
	ex    *report.Exchange
	named map[string]*report.Exchange
}

// judgeExpect judges one response against x: met (a pass result), broken
// (the failure), a skip, or no evidence (the reason).
func (s *session) judgeExpect(dp Probe, x ProbeExpect, st step) (report.Result, judged) {
	ex, check, guess := st.ex, cmp.Or(x.Check, dp.Check), dp.Guess
	fail := func(msg, want, got string) (report.Result, judged) {
		r := newResult(check, dp.Name, report.StatusFail)
		if x.From != "" {
			msg += " (" + x.From + ")"
		}
		r.Message, r.Expected, r.Actual, r.Exchange = msg, want, got, ex
		markGuess(&r, guess)
		return r, judgedBroken
	}
	met := newResult(check, dp.Name, report.StatusPass)
	met.Exchange = ex
	f := s.fields(ex)
	actual := describe(ex, f.Code)
	switch {
	case x.Any:
		r := newResult(check, dp.Name, report.StatusSkip)
		r.Message = "no evidence: no step of the probe judges it"
		return r, judgedNothing
	case x.Success:
		if ex.Response == nil || ex.Response.Status/100 != 2 {
			return fail("got "+actual+", want 2xx", "2xx", actual)
		}
		return met, judgedMet
	case x.ClientError && x.Rule == nil:
		if ex.Response == nil || ex.Response.Status/100 != 4 {
			return fail("got "+actual+", want a 4xx", "a 4xx", actual)
		}
		return met, judgedMet
	case x.Rule != nil && x.Rule.SameAs != "" && unanswered(st.named[x.Rule.SameAs], ex) != "":
		r := newResult(check, dp.Name, report.StatusSkip)
		r.Message = "no evidence: " + unanswered(st.named[x.Rule.SameAs], ex)
		return r, judgedNothing
	}
	e, ok := s.expectationOf(x)
	if !ok {
		r := newResult(check, dp.Name, report.StatusSkip)
		r.Message = "the profile's expect table has no " + strings.Join(x.Situations, " or ")
		return r, judgedSkip
	}
	if len(x.AnyOf) == 0 && x.Rule == nil { // the expect table's, a guess as a whole
		guess = cmp.Or(guess, e.guess())
	}
	e = e.on(ex)
	if ex.Response == nil {
		return fail("got "+actual+", want "+e.String(), e.String(), actual)
	}
	if ex.Request.Method == http.MethodHead {
		e = e.bodiless()
	}
	code := ex.Response.Status
	matched := schemas.Expectation{}
	if x.Rule != nil && !x.Rule.JudgesStatus() {
		matched = *x.Rule // same_as and headers only: no status of its own
	} else if m, ok := e.match(code, f.Codes); ok {
		matched = m
	} else {
		return fail("got "+actual+", want "+e.String(), e.String(), actual)
	}
	if x.NoHeaderRules {
		matched.Headers = nil
	}
	guess = cmp.Or(dp.Guess, matched.Guess) // the matched expectation's own header rules
	if msgs := schemas.CheckHeaders(matched.Headers, ex.Response.Header); len(msgs) > 0 {
		return fail(msgs[0], "headers as the profile promises", actual)
	}
	guess = dp.Guess // what follows (Allow on a 405, no body on a 204) an RFC says
	if msgs := schemas.CheckHeaders(x.StatusHeaders[code], ex.Response.Header); len(msgs) > 0 {
		return fail(statusText(code)+": "+msgs[0], e.String()+" with "+strings.Join(ruleNames(x.StatusHeaders[code]), ", "), actual)
	}
	if x.EmptyBody && code == http.StatusNoContent && ex.Response.Body != "" {
		return fail(strconv.Itoa(code)+" with a body", e.String()+" with an empty body", strconv.Itoa(code)+" with a body")
	}
	if len(x.Allow) > 0 && code == http.StatusMethodNotAllowed {
		if msg := allowMessage(x.Allow, ex.Response.Header); msg != "" {
			return fail(msg, "405 with Allow: "+strings.Join(x.Allow, ", "), actual)
		}
	}
	if x.Rule == nil || x.Rule.SameAs == "" {
		return met, judgedMet
	}
	ref := st.named[x.Rule.SameAs]
	switch d, why := s.judgeSame(*x.Rule, st.label, ref, ex); {
	case d.msg != "":
		return fail(d.msg, d.want, d.got)
	case why == "" || len(matched.Headers) > 0 || x.Rule.JudgesStatus():
		return met, judgedMet
	default:
		r := newResult(check, dp.Name, report.StatusSkip)
		r.Message = "no evidence: " + why
		return r, judgedNothing
	}
}
