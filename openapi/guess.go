package openapi

import (
	"sort"
	"strings"
)

// pointerGuess is a JSON Pointer into the envelope and why it was chosen.
type pointerGuess struct {
	Pointer string
	Why     string
}

// member names, most likely first, for each envelope pointer.
var memberNames = map[string][]string{
	"code":       {"code", "error_code", "errorCode", "type"},
	"message":    {"message", "title", "error_description", "detail", "msg", "description"},
	"details":    {"details", "errors", "issues", "violations", "fields"},
	"request_id": {"request_id", "requestId", "trace_id", "traceId", "correlation_id", "correlationId"},
}

// guessPointers finds the code, message, details, request id and status
// members of an envelope schema by their names: at the top level, else in
// an object member (error). Pointers are guesses; each says why.
func guessPointers(env map[string]any) map[string]pointerGuess {
	out := map[string]pointerGuess{}
	env = MergeAllOf(env)
	top, _ := env["properties"].(map[string]any)
	// containers are object members ("/error/") and arrays of objects
	// ("/errors/*/"), "error" first.
	type container struct {
		prefix string
		props  map[string]any
	}
	var containers []container
	names := make([]string, 0, len(top))
	for n := range top {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := rankNested(names[i]), rankNested(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		m, _ := top[n].(map[string]any)
		m = MergeAllOf(orEmpty(m))
		switch TypeOf(m) {
		case "object":
			props, _ := m["properties"].(map[string]any)
			containers = append(containers, container{"/" + escapePointer(n) + "/", props})
		case "array":
			items, _ := m["items"].(map[string]any)
			items = MergeAllOf(orEmpty(items))
			if props, _ := items["properties"].(map[string]any); props != nil {
				containers = append(containers, container{"/" + escapePointer(n) + "/*/", props})
			}
		}
	}
	// The code decides where the envelope's members live: at the top level
	// when the code is there, else in the container that holds it.
	home := container{"/", top}
	if _, ok := findMember(top, memberNames["code"], "/"); !ok {
		for _, c := range containers {
			if _, ok := findMember(c.props, memberNames["code"], c.prefix); ok {
				home = c
				break
			}
		}
	}
	for role, cands := range memberNames {
		if g, ok := findMember(home.props, cands, home.prefix); ok && role != "request_id" {
			out[role] = g
		} else if g, ok := findMember(top, cands, "/"); ok {
			out[role] = g
		}
	}
	// {"error": "text"}: a string member named error is the message.
	if _, ok := out["message"]; !ok {
		if e, _ := top["error"].(map[string]any); e != nil && TypeOf(e) == "string" {
			out["message"] = pointerGuess{"/error", `the string member "error"`}
		}
	}
	for _, c := range append([]container{{"/", top}}, containers...) {
		if st, ok := c.props["status"].(map[string]any); ok && out["status"].Pointer == "" {
			if t := TypeOf(st); t == "integer" || t == "number" || t == "string" && c.prefix != "/" {
				out["status"] = pointerGuess{c.prefix + "status", `the member "status"`}
			}
		}
	}
	return out
}

func rankNested(n string) int {
	if n == "error" {
		return 0
	}
	return 1
}

func findMember(props map[string]any, names []string, prefix string) (pointerGuess, bool) {
	for _, n := range names {
		if _, ok := props[n]; ok {
			return pointerGuess{prefix + escapePointer(n), `the member named "` + n + `"`}, true
		}
	}
	return pointerGuess{}, false
}

// situationRule says how a documented error is recognised as one of the
// situations errprobe's probes provoke.
type situationRule struct {
	situation string
	status    []int    // statuses it is answered with, when the words fail
	words     []string // phrases in an example's name, summary or code
}

var situationRules = []situationRule{
	{"revoked_key", nil, []string{"revoked"}},
	{"expired_key", nil, []string{"expired"}},
	{"missing_key", []int{401}, []string{"missing key", "missing api key", "no key", "unauthorized", "unauthenticated", "authentication"}},
	{"invalid_key", []int{401}, []string{"invalid key", "invalid api key", "garbage key", "unknown key", "invalid token", "unauthorized", "authentication"}},
	{"missing_scope", []int{403}, []string{"missing scope", "scope", "permission", "forbidden"}},
	{"malformed_json", nil, []string{"malformed json", "invalid json", "not valid json", "malformed"}},
	{"wrong_content_type", []int{415}, []string{"wrong content type", "content type", "media type"}},
	{"validation", []int{422}, []string{"validation"}},
	{"not_found", []int{404}, []string{"not found"}},
	{"invalid_id", nil, []string{"invalid id", "malformed id"}},
	{"cross_tenant", nil, []string{"cross tenant", "other tenant", "another organi"}},
	{"unknown_route", nil, []string{"unknown route", "no route"}},
	{"method_not_allowed", []int{405}, []string{"method not allowed"}},
	{"conflict", []int{409}, []string{"conflict", "duplicate", "already exists"}},
	{"idempotency_mismatch", nil, []string{"idempotency mismatch", "idempotency key mismatch"}},
	{"rate_limited", []int{429}, []string{"rate limit", "too many"}},
	{"internal", []int{500}, []string{"internal"}},
}

// fallbacks: a situation with no evidence of its own takes another's code.
var fallbacks = map[string]string{
	"invalid_key":        "missing_key",
	"revoked_key":        "invalid_key",
	"expired_key":        "invalid_key",
	"cross_tenant":       "not_found",
	"unknown_route":      "not_found",
	"invalid_id":         "not_found",
	"wrong_content_type": "malformed_json",
}

// documented is one error the document shows: a code with its status, from
// an example (or an enum value) of an operation's response.
type documented struct {
	Code    string
	Status  int
	Name    string // the example's name
	Summary string
	Where   string // "the 401 example \"revoked_key\" of GET /v1/contacts"
}

func words(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("_", " ", "-", " ", ".", " ", "/", " ").Replace(s)
	return " " + strings.Join(strings.Fields(s), " ") + " "
}

// situationGuess is the code chosen for a situation and its evidence.
type situationGuess struct {
	Code string
	// Statuses are the statuses the evidence carries (code-less contracts).
	Statuses []int
	Why      string
	// Guess is false when an example is named exactly for the situation.
	Guess bool
}

// guessSituations maps errprobe's situations to documented codes: an
// example named for the situation first, then its words in an example's
// name, summary or code, then the situation's usual status, then a
// fallback situation's code.
func guessSituations(docs []documented) map[string]situationGuess {
	out := map[string]situationGuess{}
	for _, r := range situationRules {
		if g, ok := matchRule(r, docs); ok {
			out[r.situation] = g
		}
	}
	for _, r := range situationRules {
		if _, ok := out[r.situation]; ok {
			continue
		}
		if fb, ok := out[fallbacks[r.situation]]; ok {
			out[r.situation] = situationGuess{Code: fb.Code, Statuses: fb.Statuses, Guess: true,
				Why: "no error documented for it: the code of " + fallbacks[r.situation]}
		}
	}
	return out
}

func matchRule(r situationRule, docs []documented) (situationGuess, bool) {
	exact := words(r.situation)
	var g *situationGuess
	for _, d := range docs {
		if words(d.Name) != exact {
			continue
		}
		if g == nil {
			g = &situationGuess{Code: d.Code, Why: d.Where}
		}
		if d.Code == g.Code && !containsInt(g.Statuses, d.Status) {
			g.Statuses = append(g.Statuses, d.Status)
		}
	}
	if g != nil {
		sort.Ints(g.Statuses)
		return *g, true
	}
	for _, field := range []func(documented) string{
		func(d documented) string { return d.Name },
		func(d documented) string { return d.Summary },
		func(d documented) string { return d.Code },
	} {
		for _, w := range r.words {
			for _, d := range docs {
				if strings.Contains(words(field(d)), " "+w+" ") && statusFits(r, d.Status) {
					return situationGuess{Code: d.Code, Statuses: []int{d.Status}, Guess: true, Why: `"` + w + `" in ` + d.Where}, true
				}
			}
		}
	}
	for _, st := range r.status {
		for _, d := range docs {
			if d.Status == st {
				return situationGuess{Code: d.Code, Statuses: []int{st}, Guess: true, Why: "the usual status " + itoa(st) + ": " + d.Where}, true
			}
		}
	}
	return situationGuess{}, false
}

// statusFits keeps key situations on 401/403 and the rest off them.
func statusFits(r situationRule, status int) bool {
	switch r.situation {
	case "missing_key", "invalid_key", "revoked_key", "expired_key":
		return status == 401
	case "missing_scope":
		return status == 403
	}
	return status != 401
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
