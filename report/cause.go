package report

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A cause is the behaviour a failure shows, whichever check saw it: one
// HTML error page fails envelope.content-type, envelope.json and the
// expectation of every probe that met it, and is one cause. CauseOf names
// it from the failure's own evidence, in this order:
//   - server internals leaked in an error body (envelope.no-leak);
//   - the header it is about, missing or wrong (WWW-Authenticate missing);
//   - an error answer that is not JSON (Content-Type text/html);
//   - a status other than the one expected (200 instead of 401);
//   - the envelope member that is missing, empty, of the wrong type or an
//     unknown value (/error/code is a number, /error/message missing);
//   - else the check and its signature, as before causes spanned checks.

// CauseOf is the behaviour failure r shows: Key groups failures (equal keys,
// one cause), Text says it to a reader.
func CauseOf(r Result) (key, text string) {
	var resp *Response
	if r.Exchange != nil {
		resp = r.Exchange.Response
	}
	if h := headerOf(r); h != "" {
		state := "wrong"
		if resp != nil && resp.Header.Get(h) == "" {
			state = "missing"
		}
		t := "header " + http.CanonicalHeaderKey(h) + " " + state
		return t, t
	}
	if r.Check == EnvelopeNoLeak {
		// One error handler passing raw errors through: one cause, whatever
		// each text leaked.
		t := "error bodies leak server internals"
		if m := leakKind.FindStringSubmatch(r.Message); m != nil {
			t += " (" + m[1] + ")"
		}
		return "leak", t
	}
	if resp == nil {
		if r.Exchange != nil && r.Exchange.Err != "" {
			return "error " + r.Exchange.Err, "no answer: " + r.Exchange.Err
		}
		if m := extraMember(r); m != "" {
			t := "member " + m + " not in the envelope"
			return t, t
		}
		return checkCause(r)
	}
	mt := mediaType(resp.Header.Get("Content-Type"))
	if resp.Status >= 400 && !isJSONMedia(mt) {
		t := fmt.Sprintf("Content-Type %s instead of JSON", nonEmptyOr(mt, "(none)"))
		return t, t
	}
	if resp.Status >= 400 && !json.Valid([]byte(resp.Body)) && !resp.Truncated {
		t := fmt.Sprintf("a body that is not JSON under Content-Type %s", mt)
		return t, t
	}
	if r.Suite == SuiteIdempotency && resp.Status/100 == 2 {
		t := "a repeated idempotency key processed again (" + strconv.Itoa(repeatedStatus(r)) + ")"
		return t, t
	}
	if want := wantedStatuses(r); len(want) > 0 && !want[resp.Status] {
		t := fmt.Sprintf("status %d instead of %s", resp.Status, joinStatuses(want))
		return t, t
	}
	if m := extraMember(r); m != "" {
		t := "member " + m + " not in the envelope"
		return t, t
	}
	if p := memberOf(r, resp); p != "" {
		t := p + " " + memberState(resp.Body, p)
		return t, t
	}
	return checkCause(r)
}

// checkCause is the fallback: the check and its signature (the text is
// the signature; reports name the checks beside it).
func checkCause(r Result) (string, string) {
	sig := SignatureOf(r)
	return r.Check + "\x00" + fmt.Sprintf("%+v", sig), sig.String()
}

func nonEmptyOr(s, or string) string {
	if s == "" {
		return or
	}
	return s
}

func isJSONMedia(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// headerChecks are the checks whose failures are about a header.
var headerChecks = map[string]bool{EnvelopeRequestID: true, AuthWWWAuthenticate: true}

var (
	noHeader      = regexp.MustCompile(`\bno ([A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+) header`)
	withoutHeader = regexp.MustCompile(`\bwithout ([A-Z][A-Za-z0-9]*(-[A-Za-z0-9]+)+)`)
)

// headerOf is the header failure r is about: Result.Header, or the one its
// message names missing ("no X-Request-Id header", "401 without
// WWW-Authenticate").
func headerOf(r Result) string {
	if r.Header != "" {
		return r.Header
	}
	for _, re := range []*regexp.Regexp{noHeader, withoutHeader} {
		if m := re.FindStringSubmatch(r.Message); m != nil {
			return m[1]
		}
	}
	if headerChecks[r.Check] {
		if name, _, ok := strings.Cut(r.Message, ":"); ok && !strings.ContainsAny(name, " /") {
			return name
		}
	}
	return ""
}

var (
	leadStatus = regexp.MustCompile(`^\s*([1-5][0-9][0-9])\b`)
	wantStatus = regexp.MustCompile(`\bwant ([1-5][0-9][0-9])\b`)
)

// wantedStatuses are the statuses r's expectation allows: the leading
// status of each alternative of Expected ("400 INVALID_JSON or 400
// VALIDATION_ERROR"), else the message's "want 404".
func wantedStatuses(r Result) map[int]bool {
	out := map[int]bool{}
	for _, alt := range strings.Split(r.Expected, " or ") {
		if m := leadStatus.FindStringSubmatch(alt); m != nil {
			n, _ := strconv.Atoi(m[1])
			out[n] = true
		}
	}
	if len(out) == 0 && r.Expected == "" {
		if m := wantStatus.FindStringSubmatch(r.Message); m != nil {
			n, _ := strconv.Atoi(m[1])
			out[n] = true
		}
	}
	return out
}

func joinStatuses(set map[int]bool) string {
	var s []string
	for n := range set {
		s = append(s, strconv.Itoa(n))
	}
	sort.Strings(s)
	return strings.Join(s, " or ")
}

var (
	leadPointer = regexp.MustCompile(`(?:^|: )((?:/[^\s:]*)+|body): `)
	missingProp = regexp.MustCompile(`missing propert(y|ies) '([^']+)'`)
	extraProp   = regexp.MustCompile(`additional propert(y|ies) '([^']+)' not allowed`)
	shapeOf     = regexp.MustCompile(`^\{([^}]*)\}$`)
	leakKind    = regexp.MustCompile(` leaks (.+?): "`)
)

// extraMember is the member a body has beyond the envelope: a schema's
// "additional properties 'hint' not allowed", or the member one shape of
// envelope.consistent-shape has over the other.
func extraMember(r Result) string {
	if m := extraProp.FindStringSubmatch(r.Message); m != nil {
		base := ""
		if p := leadPointer.FindStringSubmatch(r.Message); p != nil && p[1] != "body" {
			base = p[1]
		}
		return base + "/" + m[2]
	}
	if r.Check != EnvelopeConsistent {
		return ""
	}
	want, got := shapeOf.FindStringSubmatch(r.Expected), shapeOf.FindStringSubmatch(r.Actual)
	if want == nil || got == nil {
		return ""
	}
	has := map[string]bool{}
	for _, m := range strings.Split(want[1], ", ") {
		has[m] = true
	}
	for _, m := range strings.Split(got[1], ", ") {
		if !has[m] {
			return "/" + m
		}
	}
	return ""
}

// memberOf is the envelope member failure r is about, as a JSON pointer:
// the one its message starts with (schema and envelope checks), the
// missing property a schema names, or, for an expectation that got another
// code, the member holding that code.
func memberOf(r Result, resp *Response) string {
	if m := leadPointer.FindStringSubmatch(r.Message); m != nil && m[1] != "body" {
		p := m[1]
		if mp := missingProp.FindStringSubmatch(r.Message); mp != nil {
			p = strings.TrimSuffix(p, "/") + "/" + strings.Split(mp[2], "', '")[0]
		}
		return p
	}
	if r.Code == "" {
		return ""
	}
	var v any
	if json.Unmarshal([]byte(resp.Body), &v) != nil {
		return ""
	}
	return findLeaf(v, "", r.Code)
}

// findLeaf is the pointer of the first leaf of v (members in name order)
// whose value reads code.
func findLeaf(v any, at, code string) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p := findLeaf(x[k], at+"/"+k, code); p != "" {
				return p
			}
		}
	case string:
		if x == code {
			return at
		}
	case float64:
		if strconv.FormatFloat(x, 'f', -1, 64) == code {
			return at
		}
	}
	return ""
}

// memberState says what the body holds at pointer p: missing, empty, a
// value of another type than a string, or the string itself.
func memberState(body, p string) string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return "unreadable"
	}
	for _, tok := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return "missing"
		}
		if v, ok = m[tok]; !ok {
			return "missing"
		}
	}
	switch x := v.(type) {
	case nil:
		return "is null"
	case string:
		if x == "" {
			return "empty"
		}
		return fmt.Sprintf("is %q", x)
	case float64:
		return "is a number"
	case bool:
		return "is a boolean"
	case []any:
		return "is an array"
	default:
		return "is an object"
	}
}

func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
}

// repeatedStatus is the status of the request that repeated the key: the
// failing exchange's, or, when that is a read taken as evidence (the list
// counted after a replay), the last earlier request's that was not a read.
func repeatedStatus(r Result) int {
	ex := r.Exchange
	for i := len(r.Setup) - 1; i >= 0 && ex.Request.Method == http.MethodGet; i-- {
		if s := r.Setup[i]; s.Response != nil {
			ex = s
		}
	}
	return ex.Response.Status
}
