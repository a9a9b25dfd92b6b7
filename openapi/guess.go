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
	env = mergeAllOf(env)
	top, _ := env["properties"].(map[string]any)
	var nested []string
	for name, v := range top {
		if m, ok := v.(map[string]any); ok && typeOf(mergeAllOf(m)) == "object" {
			nested = append(nested, name)
		}
	}
	sort.Slice(nested, func(i, j int) bool { return rankNested(nested[i]) < rankNested(nested[j]) })
	for role, names := range memberNames {
		if role == "request_id" {
			if g, ok := findMember(top, names, "/"); ok {
				out[role] = g
			}
			continue
		}
		if g, ok := findMember(top, names, "/"); ok && !(role == "message" && len(nested) > 0 && top["code"] == nil && top["type"] == nil) {
			out[role] = g
			continue
		}
		for _, n := range nested {
			props, _ := mergeAllOf(top[n].(map[string]any))["properties"].(map[string]any)
			if g, ok := findMember(props, names, "/"+escapePointer(n)+"/"); ok {
				out[role] = g
				break
			}
		}
	}
	if st, ok := top["status"].(map[string]any); ok {
		if t := typeOf(st); t == "integer" || t == "number" {
			out["status"] = pointerGuess{"/status", `the integer member "status"`}
		}
	}
	// A code nested under "error" goes with a message there too.
	if c, m := out["code"], out["message"]; c.Pointer != "" && m.Pointer != "" && parent(c.Pointer) != parent(m.Pointer) {
		props := membersAt(top, parent(c.Pointer))
		if g, ok := findMember(props, memberNames["message"], parent(c.Pointer)+"/"); ok {
			out["message"] = g
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

func parent(ptr string) string { return ptr[:strings.LastIndexByte(ptr, '/')] }

func membersAt(top map[string]any, ptr string) map[string]any {
	if ptr == "" {
		return top
	}
	m, _ := top[strings.TrimPrefix(ptr, "/")].(map[string]any)
	props, _ := mergeAllOf(m)["properties"].(map[string]any)
	return props
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
	Why  string
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
			out[r.situation] = situationGuess{Code: fb.Code, Guess: true,
				Why: "no error documented for it: the code of " + fallbacks[r.situation]}
		}
	}
	return out
}

func matchRule(r situationRule, docs []documented) (situationGuess, bool) {
	exact := words(r.situation)
	for _, d := range docs {
		if words(d.Name) == exact {
			return situationGuess{Code: d.Code, Why: d.Where}, true
		}
	}
	for _, field := range []func(documented) string{
		func(d documented) string { return d.Name },
		func(d documented) string { return d.Summary },
		func(d documented) string { return d.Code },
	} {
		for _, w := range r.words {
			for _, d := range docs {
				if strings.Contains(words(field(d)), " "+w+" ") && statusFits(r, d.Status) {
					return situationGuess{Code: d.Code, Guess: true, Why: `"` + w + `" in ` + d.Where}, true
				}
			}
		}
	}
	for _, st := range r.status {
		for _, d := range docs {
			if d.Status == st {
				return situationGuess{Code: d.Code, Guess: true, Why: "the usual status " + itoa(st) + ": " + d.Where}, true
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
