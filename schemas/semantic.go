package schemas

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// issue is a semantic problem at a path into the profile.
type issue struct {
	path []string
	msg  string
}

// checkSemantics checks what the profile schema cannot: cross-references to
// the code table, durations, sample bodies, path templates and the envelope
// schema itself (compiled here, once, and kept for Compile).
func checkSemantics(p *Profile, docs []*doc) []Problem {
	var is []issue
	add := func(msg string, path ...string) { is = append(is, issue{path, msg}) }
	checkCodeRefs(p, add)
	if p.RateLimit.Burst.MaxWait != "" {
		if d, err := time.ParseDuration(p.RateLimit.Burst.MaxWait); err != nil || d <= 0 {
			add(fmt.Sprintf("%q is not a positive duration like 65s", p.RateLimit.Burst.MaxWait), "rate_limit", "burst", "max_wait")
		}
	}
	if r := p.RateLimit.Rate; r != "" {
		if _, err := ParseRate(r); err != nil {
			add(err.Error(), "rate_limit", "rate")
		}
	}
	if r := p.RateLimit.Route; strings.Contains(r, "{id}") && p.Endpoints.Create.Path == "" {
		add("names {id}: the burst needs endpoints.create to make the resource", "rate_limit", "route")
	}
	if u, err := url.Parse(p.BaseURL); p.BaseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		add(fmt.Sprintf("%q (after ${VAR} expansion) is not an http:// or https:// URL", p.BaseURL), "base_url")
	}
	checkEndpoints(p.Endpoints, add)
	if p.Auth.Header == "Authorization" && p.Auth.Scheme == "" {
		add("header Authorization needs a scheme such as Bearer", "auth", "scheme")
	}
	checkAuth(p.Auth, add)
	env, err := compileEnvelope(p)
	if err != nil {
		add(err.Error(), "envelope", "schema")
	}
	p.envelope = env
	p.codeSchemas = compileCodeSchemas(p, add)
	p.statusSchemas = compileStatusSchemas(p, add)
	ps := make([]Problem, 0, len(is))
	for _, i := range is {
		path := i.path
		ps = append(ps, locate(docs, path, func(j int) bool { return listIndex(path, j) }, i.msg))
	}
	return ps
}

func checkCodeRefs(p *Profile, add func(string, ...string)) {
	sits := make([]string, 0, len(p.Expect))
	for s := range p.Expect {
		sits = append(sits, s)
	}
	sort.Strings(sits)
	for _, s := range sits {
		checkExpectation(p, p.Expect[s], add, "expect", s)
	}
	if c := p.Idempotency.MismatchCode; c != "" && !p.known(c) {
		add(fmt.Sprintf("%q is not in codes", c), "idempotency", "mismatch_code")
	}
	if c := p.RateLimit.Code; c != "" && !p.known(c) {
		add(fmt.Sprintf("%q is not in codes", c), "rate_limit", "code")
	}
	names := make([]string, 0, len(p.Codes))
	for n := range p.Codes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := p.Codes[n]
		checkPattern(c.Match, add, "codes", n, "match")
		checkHeaderRules(c.Headers, add, "codes", n, "headers")
	}
	checkHeaderRules(p.Endpoints.Create.Headers, add, "endpoints", "create", "headers")
	seen := map[string]bool{}
	for i, pr := range p.Probes {
		at := strconv.Itoa(i)
		if seen[pr.Name] {
			add(fmt.Sprintf("probe name %q is used twice", pr.Name), "probes", at, "name")
		}
		seen[pr.Name] = true
		checkProbe(p, pr, add, "probes", at)
		checkProbeText(pr, add, "probes", at)
	}
}

// known reports whether code is a key of the code table.
func (p *Profile) known(code string) bool { _, ok := p.Codes[code]; return ok }

func checkExpectation(p *Profile, e Expectation, add func(string, ...string), path ...string) {
	at := func(k string) []string { return append(path[:len(path):len(path)], k) }
	switch {
	case e.SameAs != "":
		add("same_as compares a step with an earlier one: only at the top of a probe step's expect", at("same_as")...)
	case len(e.Same) > 0:
		add("same compares a step with an earlier one: only at the top of a probe step's expect", at("same")...)
	}
	for i, x := range e.AnyOf {
		checkExpectation(p, x, add, append(at("any_of"), strconv.Itoa(i))...)
	}
	switch {
	case e.Code != "" && !p.known(e.Code):
		add(fmt.Sprintf("%q is not in codes", e.Code), path...)
	case e.Code != "" && len(e.Status) > 0 && len(p.AllStatusesFor(e.Code)) > 0:
		for _, st := range e.Status {
			if !containsInt(p.AllStatusesFor(e.Code), st) {
				add(fmt.Sprintf("%d is not a status codes.%s allows (%s)", st, e.Code, statusList(p.AllStatusesFor(e.Code))), at("status")...)
				break
			}
		}
	}
	checkPattern(e.CodePattern, add, at("code_pattern")...)
	checkHeaderRules(e.Headers, add, at("headers")...)
}

func checkPattern(pat string, add func(string, ...string), path ...string) {
	if pat == "" {
		return
	}
	if _, err := regexp.Compile(pat); err != nil {
		add(fmt.Sprintf("%q is not a regular expression: %s", pat, strings.TrimPrefix(err.Error(), "error parsing regexp: ")), path...)
	}
}

func checkHeaderRules(rules map[string]HeaderRule, add func(string, ...string), path ...string) {
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r := rules[n]
		at := append(path[:len(path):len(path)], n)
		if r.Forbidden && (r.Required || r.Pattern != "") {
			add("forbidden cannot be combined with required or pattern", at...)
		}
		if !r.Forbidden && !r.Required && r.Pattern == "" {
			add("needs required: true, forbidden: true or a pattern", at...)
		}
		checkPattern(r.Pattern, add, append(at, "pattern")...)
	}
}

func checkEndpoints(e Endpoints, add func(string, ...string)) {
	if e.Item != "" && !strings.Contains(e.Item, "{id}") {
		add("must contain {id}", "endpoints", "item")
	}
	if e.Delete != "" && !strings.Contains(e.Delete, "{id}") {
		add("must contain {id}", "endpoints", "delete")
	}
	for field, body := range map[string]string{"body": e.Create.Body, "invalid_body": e.Create.InvalidBody} {
		if body == "" || (e.Create.ContentType != "" && !strings.Contains(e.Create.ContentType, "json")) {
			continue
		}
		if !json.Valid([]byte(strings.ReplaceAll(body, "{{n}}", "1234567"))) {
			add("is not valid JSON (with {{n}} as a number)", "endpoints", "create", field)
		}
	}
	if e.Create.InvalidBody != "" && e.Create.InvalidField == "" {
		add("invalid_body needs invalid_field, the member it breaks", "endpoints", "create")
	}
}

// checkAuth: one source for the valid credential, and a header to send it in.
func checkAuth(a Auth, add func(string, ...string)) {
	var sources []string
	for name, set := range map[string]bool{"basic": a.Basic != nil, "oauth2": a.OAuth2 != nil, "token_command": a.TokenCommand != ""} {
		if set {
			sources = append(sources, name)
		}
	}
	sort.Strings(sources)
	if len(sources) > 1 {
		add("give one of basic, oauth2 and token_command, not "+strings.Join(sources, " and "), "auth", sources[1])
	}
	if a.Header == "" {
		add("is required (the header the key goes in, e.g. X-API-Key or Authorization)", "auth", "header")
	}
	if framingHeaders[http.CanonicalHeaderKey(a.Header)] {
		add(fmt.Sprintf("%s frames the message (net/http sets it itself, so a key there is never sent): name the header the key goes in, e.g. X-API-Key or Authorization", a.Header), "auth", "header")
	}
	if (a.TLS.Cert == "") != (a.TLS.Key == "") {
		add("cert and key go together: give both or neither", "auth", "tls")
	}
}

// Limits on a custom probe's own text: real names, methods and paths are
// short; a 200,000-character name only bloats every report line.
const (
	maxProbeName   = 100
	maxMethod      = 32
	maxProbePath   = 4096
	maxHeaderValue = 8192
)

// framingHeaders say how the message is framed or routed; net/http writes
// them from the request itself and drops them from a header map.
var framingHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true, "Keep-Alive": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Upgrade": true, "Expect": true,
}

// checkProbeText refuses at load time what a custom probe could never
// send, as --header does: a header value with CR, LF or another control
// character, a path with a control character, and names, methods, paths
// and values past their limits, and a ${VAR} whose value holds a control
// character. Values are never quoted (they may hold a secret).
func checkProbeText(pr Probe, add func(string, ...string), at ...string) {
	tooLong := func(what string, n, max int, path ...string) {
		add(fmt.Sprintf("%s is %d characters long: at most %d", what, n, max), append(at[:len(at):len(at)], path...)...)
	}
	if n := len(pr.Name); n > maxProbeName {
		tooLong("the name", n, maxProbeName, "name")
	}
	for i, st := range pr.StepList() {
		rq := append(at[:len(at):len(at)], "request")
		if len(pr.Steps) > 0 {
			rq = append(at[:len(at):len(at)], "steps", strconv.Itoa(i), "request")
		}
		checkRequestText(st.Request, add, rq...)
		checkRequestVars(st.Request, pr.Env, add, rq...)
	}
}

// checkRequestVars refuses a ${VAR} whose value (from the environment)
// puts a control character into a custom probe's path or a header value:
// named, never quoted (it may be a secret).
func checkRequestVars(r ProbeRequest, env map[string]string, add func(string, ...string), at ...string) {
	check := func(text string, path ...string) {
		for _, m := range probeVar.FindAllStringSubmatch(text, -1) {
			if v, ok := env[m[1]]; ok && strings.ContainsFunc(v, isControl) {
				add(fmt.Sprintf("${%s} holds a control character (CR, LF, …) in the environment", m[1]), append(at[:len(at):len(at)], path...)...)
				return
			}
		}
	}
	check(r.Path, "path")
	for _, k := range sortedKeys(r.Headers) {
		check(r.Headers[k], "headers", k)
	}
}

// checkRequestText checks one request of a custom probe (checkProbeText).
func checkRequestText(r ProbeRequest, add func(string, ...string), at ...string) {
	tooLong := func(what string, n, max int, path ...string) {
		add(fmt.Sprintf("%s is %d characters long: at most %d", what, n, max), append(at[:len(at):len(at)], path...)...)
	}
	if n := len(r.Method); n > maxMethod {
		tooLong("the method", n, maxMethod, "method")
	}
	switch {
	case len(r.Path) > maxProbePath:
		tooLong("the path", len(r.Path), maxProbePath, "path")
	case strings.ContainsFunc(r.Path, isControl):
		add("the path holds a control character (CR, LF, …)", append(at[:len(at):len(at)], "path")...)
	}
	names := make([]string, 0, len(r.Headers))
	for k := range r.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v, path := r.Headers[k], append(at[:len(at):len(at)], "headers", k)
		switch {
		case !httpguts.ValidHeaderFieldName(k):
			add("is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)", path...)
		case len(v) > maxHeaderValue:
			add(fmt.Sprintf("the value is %d characters long: at most %d", len(v), maxHeaderValue), path...)
		case !httpguts.ValidHeaderFieldValue(v):
			add("the value holds a control character (CR, LF, …)", path...)
		}
	}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// listIndex reports whether path[j] indexes a list (probes, steps, any_of).
func listIndex(path []string, j int) bool {
	if j == 0 {
		return false
	}
	switch path[j-1] {
	case "probes":
		return j == 1
	case "steps", "any_of", "same":
		return true
	}
	return false
}
