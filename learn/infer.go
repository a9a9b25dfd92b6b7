package learn

import (
	"encoding/json"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Inferred is the contract learn read from its observations.
type Inferred struct {
	Obs []Observation
	// Errors are the observations with a JSON error body, decoded.
	errors []decoded
	// Auth is the key header that was not refused ("" if none) and its scheme.
	AuthHeader, AuthScheme string
	Schema                 map[string]any
	Pointers               map[string]string // code, message, details, request_id, status
	ContentTypes           []string
	Codes                  map[string][]int
	RequestIDHeader        string
	RateLimit              rateLimit
	Expect                 map[string]expectation
}

type decoded struct {
	ob   *Observation
	body map[string]any
}

type expectation struct {
	code   string
	status int
	why    string
}

type rateLimit struct {
	family                        string // legacy, ietf, ""
	limit, remaining, reset, mode string
}

var pointerNames = map[string][]string{
	"code":       {"code", "error_code", "errorCode", "type"},
	"message":    {"message", "title", "error_description", "detail", "msg"},
	"details":    {"details", "errors", "issues"},
	"request_id": {"request_id", "requestId", "trace_id", "traceId"},
}

// Infer reads the observations of Run.
func Infer(obs []Observation) *Inferred {
	in := &Inferred{Obs: obs, Pointers: map[string]string{}, Codes: map[string][]int{}, Expect: map[string]expectation{}}
	seenCT := map[string]bool{}
	for i := range obs {
		ob := &obs[i]
		if ob.Err != "" || ob.Status < 400 {
			continue
		}
		ct := mediaType(ob.Header.Get("Content-Type"))
		if ct != "" && !seenCT[ct] {
			seenCT[ct] = true
			in.ContentTypes = append(in.ContentTypes, ct)
		}
		var m map[string]any
		if json.Unmarshal(ob.Body, &m) == nil && m != nil {
			in.errors = append(in.errors, decoded{ob, m})
		}
	}
	for i := 1; i <= len(authCandidates) && i < len(obs); i++ {
		if ob := obs[i]; ob.Err == "" && ob.Status != http.StatusUnauthorized && ob.Status != http.StatusForbidden {
			in.AuthHeader, in.AuthScheme = authCandidates[i-1].name, authCandidates[i-1].scheme
			break
		}
	}
	in.inferEnvelope()
	in.inferExpect()
	in.inferHeaders()
	return in
}

// observed is the observation sent for purpose (nil when none was).
func (in *Inferred) observed(purpose string) *Observation {
	for i := range in.Obs {
		if in.Obs[i].Purpose == purpose {
			return &in.Obs[i]
		}
	}
	return nil
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	return mt
}

// inferEnvelope: the members every JSON error body shares are required;
// the code, message, … pointers are guessed from member names, at the top
// level or in a shared object member.
func (in *Inferred) inferEnvelope() {
	if len(in.errors) == 0 {
		return
	}
	bodies := make([]map[string]any, len(in.errors))
	for i, d := range in.errors {
		bodies[i] = d.body
	}
	in.Schema = sharedSchema(bodies, 0)
	top := shared(bodies)
	for role, names := range pointerNames {
		if n := firstOf(names, top); n != "" {
			in.Pointers[role] = "/" + n
			continue
		}
		for _, obj := range top {
			inner := nested(bodies, obj)
			if inner == nil {
				continue
			}
			if n := firstOf(names, shared(inner)); n != "" {
				in.Pointers[role] = "/" + obj + "/" + n
				break
			}
		}
	}
	// Bodies of mixed shapes share no code or message member: take the
	// member most bodies have, so every code seen is in the table.
	for _, role := range []string{"code", "message"} {
		if in.Pointers[role] == "" {
			if n := mostCommon(pointerNames[role], bodies); n != "" {
				in.Pointers[role] = "/" + n
			}
		}
	}
	// {"error": "text"}: a string member named error is the message.
	if in.Pointers["message"] == "" && jsonType(bodies, "error") == "string" {
		in.Pointers["message"] = "/error"
	}
	if contains(top, "status") {
		if _, ok := bodies[0]["status"].(float64); ok {
			in.Pointers["status"] = "/status"
		}
	}
	if cp := in.Pointers["code"]; cp != "" {
		for _, d := range in.errors {
			if c := at(d.body, cp); c != "" {
				in.addCode(c, d.ob.Status)
			}
		}
	}
}

func (in *Inferred) addCode(code string, st int) {
	for _, s := range in.Codes[code] {
		if s == st {
			return
		}
	}
	in.Codes[code] = append(in.Codes[code], st)
	sort.Ints(in.Codes[code])
}

// mostCommon is the first of names that the most bodies have as a
// string or number ("" when none has any).
func mostCommon(names []string, bodies []map[string]any) string {
	best, n := "", 0
	for _, name := range names {
		c := 0
		for _, b := range bodies {
			switch b[name].(type) {
			case string, float64:
				c++
			}
		}
		if c > n {
			best, n = name, c
		}
	}
	return best
}

// shared lists the members every body has, sorted.
func shared(bodies []map[string]any) []string {
	var out []string
	for k := range bodies[0] {
		all := true
		for _, b := range bodies[1:] {
			if _, ok := b[k]; !ok {
				all = false
				break
			}
		}
		if all {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// nested is member k of every body when it is an object in each.
func nested(bodies []map[string]any, k string) []map[string]any {
	var out []map[string]any
	for _, b := range bodies {
		m, ok := b[k].(map[string]any)
		if !ok {
			return nil
		}
		out = append(out, m)
	}
	return out
}

// sharedSchema is a loose JSON Schema of what the bodies share: the shared
// members required, each with its JSON type where every body agrees.
func sharedSchema(bodies []map[string]any, depth int) map[string]any {
	props := map[string]any{}
	req := []any{}
	for _, k := range shared(bodies) {
		req = append(req, k)
		p := map[string]any{}
		if t := jsonType(bodies, k); t != "" {
			p["type"] = t
		}
		if inner := nested(bodies, k); inner != nil && depth < 1 {
			p = sharedSchema(inner, depth+1)
		}
		props[k] = p
	}
	return map[string]any{"type": "object", "required": req, "properties": props}
}

func jsonType(bodies []map[string]any, k string) string {
	t := ""
	for _, b := range bodies {
		var bt string
		switch b[k].(type) {
		case string:
			bt = "string"
		case float64:
			bt = "number"
		case bool:
			bt = "boolean"
		case []any:
			bt = "array"
		case map[string]any:
			bt = "object"
		default:
			return ""
		}
		if t != "" && t != bt {
			return ""
		}
		t = bt
	}
	return t
}

func at(body map[string]any, ptr string) string {
	var v any = body
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[part]
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func firstOf(names, have []string) string {
	for _, n := range names {
		if contains(have, n) {
			return n
		}
	}
	return ""
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// inferExpect maps each observation to the situation it provoked.
func (in *Inferred) inferExpect() {
	set := func(sit string, ob *Observation, want func(int) bool) {
		if ob == nil || ob.Err != "" || !want(ob.Status) {
			return
		}
		e := expectation{status: ob.Status, why: ob.Method + " " + ob.Path + " (" + ob.Purpose + ") answered " + strconv.Itoa(ob.Status)}
		if cp := in.Pointers["code"]; cp != "" {
			var m map[string]any
			if json.Unmarshal(ob.Body, &m) == nil {
				e.code = at(m, cp)
			}
		}
		in.Expect[sit] = e
	}
	by := map[string]*Observation{}
	for i := range in.Obs {
		by[in.Obs[i].Purpose] = &in.Obs[i]
	}
	authErr := func(st int) bool { return st == 401 || st == 403 }
	set("missing_key", by["unknown route, no key"], authErr)
	set("invalid_key", by["unknown route, garbage key"], authErr)
	if in.AuthHeader != "" {
		set("unknown_route", by["unknown route, key in "+in.AuthHeader], func(st int) bool { return st == 404 || st == 400 })
	}
	if ob := by["an unknown id"]; ob != nil && ob.Status == 404 {
		set("not_found", ob, func(int) bool { return true })
	} else {
		set("invalid_id", ob, func(st int) bool { return st >= 400 && st < 500 })
	}
	set("malformed_json", by["malformed JSON"], func(st int) bool { return st >= 400 && st < 500 })
	set("method_not_allowed", by["a method it does not take"], func(st int) bool { return st == 405 })
}

var requestIDName = regexp.MustCompile(`(?i)^x-?(request|trace|correlation)-?id$`)

// inferHeaders: a request-id header every response carried, and the
// rate-limit header family of the keyed responses.
func (in *Inferred) inferHeaders() {
	count := map[string]int{}
	n := 0
	for _, ob := range in.Obs {
		if ob.Err != "" {
			continue
		}
		n++
		for k := range ob.Header {
			if requestIDName.MatchString(k) {
				count[k]++
			}
		}
	}
	for k, c := range count {
		if c == n && (in.RequestIDHeader == "" || k < in.RequestIDHeader) {
			in.RequestIDHeader = k
		}
	}
	for _, ob := range in.Obs {
		if ob.Err != "" || ob.Header == nil {
			continue
		}
		if ob.Header.Get("RateLimit") != "" || ob.Header.Get("RateLimit-Policy") != "" {
			in.RateLimit = rateLimit{family: "ietf", mode: "delta"}
			return
		}
		var rl rateLimit
		for k, vs := range ob.Header {
			l := strings.ToLower(k)
			if !strings.Contains(l, "ratelimit") && !strings.Contains(l, "rate-limit") {
				continue
			}
			switch {
			case strings.HasSuffix(l, "-limit"):
				rl.limit = k
			case strings.HasSuffix(l, "-remaining"):
				rl.remaining = k
			case strings.HasSuffix(l, "-reset"):
				rl.reset = k
				rl.mode = "delta"
				if v, err := strconv.ParseInt(vs[0], 10, 64); err == nil && v > 1e9 {
					rl.mode = "epoch"
				}
			}
		}
		if rl.limit != "" && rl.remaining != "" && rl.reset != "" {
			rl.family = "legacy"
			in.RateLimit = rl
			return
		}
	}
}
