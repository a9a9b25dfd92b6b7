package checks

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/errprobe/errprobe/report"
)

// rfcResults judges, with --openapi, the RFC MUSTs on every response to a
// documented path whatever the document lists: a 401 carries
// WWW-Authenticate (RFC 9110 §11.6.1), a 405 carries Allow naming the
// methods the document gives the path (§15.5.6).
func (s *session) rfcResults(probe string, ex *report.Exchange) []report.Result {
	switch ex.Response.Status {
	case http.StatusUnauthorized:
		op := s.operationFor(ex.Request)
		if op == nil {
			return nil
		}
		r := newResult(report.OpenAPIWWWAuthenticate, probe, report.StatusPass)
		r.Exchange, r.Operation = ex, op.Name
		if ex.Response.Header.Get("WWW-Authenticate") == "" {
			r.Status, r.Header = report.StatusFail, "WWW-Authenticate"
			r.Message = "401 without WWW-Authenticate (RFC 9110 §11.6.1 MUST)"
			r.Expected, r.Actual = "a WWW-Authenticate challenge", "none"
		}
		return []report.Result{r}
	case http.StatusMethodNotAllowed:
		methods, name := s.pathMethods(ex.Request)
		if len(methods) == 0 {
			return nil
		}
		r := newResult(report.OpenAPIAllow, probe, report.StatusPass)
		r.Exchange, r.Operation = ex, name
		if msg := allowMessage(methods, ex.Response.Header); msg != "" {
			r.Status, r.Header, r.Message = report.StatusFail, "Allow", "405 "+msg+" (RFC 9110 §15.5.6)"
			r.Expected, r.Actual = "Allow: "+strings.Join(methods, ", "), strings.Join(ex.Response.Header.Values("Allow"), ", ")
		}
		return []report.Result{r}
	}
	return nil
}

// pathMethods lists the methods the document gives the request's path (the
// most literal template that matches), with one of its operations' names.
func (s *session) pathMethods(req report.Request) ([]string, string) {
	path := strings.TrimPrefix(req.URL, s.base)
	if path == req.URL {
		return nil, ""
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	best := ""
	for _, op := range s.cfg.OpenAPI.Operations {
		if matchesTemplate(op.Path, path) && (best == "" || strings.Count(op.Path, "{") < strings.Count(best, "{")) {
			best = wirePath(op.Path)
		}
	}
	var methods []string
	name := ""
	for _, op := range s.cfg.OpenAPI.Operations {
		if best != "" && wirePath(op.Path) == best && !slices.Contains(methods, op.Method) {
			methods = append(methods, op.Method)
			if name == "" {
				name = op.Name
			}
		}
	}
	return methods, name
}

// wirePath is a path template without the #fragment some documents use
// to tell apart operations that share a path.
func wirePath(t string) string {
	t, _, _ = strings.Cut(t, "#")
	return t
}

// fieldsMessage checks that an error body names every field at one of the
// pointers; "" when it does.
func fieldsMessage(body string, fields, at []string) string {
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		return "the error body is not JSON, so it names no field"
	}
	var named []string
	for _, p := range at {
		for _, v := range pointerValues(doc, strings.Split(strings.TrimPrefix(p, "/"), "/")) {
			named = append(named, fieldNames(v)...)
		}
	}
	var missing []string
	for _, f := range fields {
		if !nameMatches(named, f) {
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return "the error does not name " + strings.Join(missing, ", ") + " at " + strings.Join(at, " or ") +
		" (it names: " + strings.Join(named, ", ") + ")"
}

// pointerValues resolves a JSON Pointer whose * segments stand for each
// member of an array (or object).
func pointerValues(doc any, segs []string) []any {
	if len(segs) == 0 || len(segs) == 1 && segs[0] == "" {
		return []any{doc}
	}
	seg := strings.NewReplacer("~1", "/", "~0", "~").Replace(segs[0])
	switch v := doc.(type) {
	case map[string]any:
		if seg == "*" {
			var out []any
			for _, m := range v {
				out = append(out, pointerValues(m, segs[1:])...)
			}
			return out
		}
		if m, ok := v[seg]; ok {
			return pointerValues(m, segs[1:])
		}
	case []any:
		if seg == "*" {
			var out []any
			for _, m := range v {
				out = append(out, pointerValues(m, segs[1:])...)
			}
			return out
		}
	}
	return nil
}

// fieldNames are the names a field member holds: a string, or the parts
// of a location array (["body", "name"]).
func fieldNames(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, p := range x {
			if s, ok := p.(string); ok {
				out = append(out, s)
			}
		}
		if len(out) > 0 {
			return append(out, strings.Join(out, "."))
		}
	}
	return nil
}

// nameMatches: the field itself, a pointer or path ending in it
// ("/name", "body.name", "$.name", "items[0].name").
func nameMatches(named []string, field string) bool {
	for _, n := range named {
		if n == field || strings.HasSuffix(n, "/"+field) || strings.HasSuffix(n, "."+field) {
			return true
		}
	}
	return false
}

// validationStatus: a 4xx that answers for the data (not for the key, the
// id, the method, the media type or the rate).
func validationStatus(st int) bool {
	switch st {
	case 401, 403, 404, 405, 415, 429:
		return false
	}
	return st/100 == 4
}

// blamesValid judges an error whose schema has no member for the field
// (the document promises no field naming): it fails only on what the
// exchange itself shows — the error names a member the request sent valid
// and none of the members that break the schema, so it blames the wrong
// one. An error that names no member of the request is no evidence.
func blamesValid(ex *report.Exchange, fields []string) (msg, skip string) {
	body := ex.Response.Body
	for _, f := range fields {
		if namesWord(body, f) {
			return "", ""
		}
	}
	wrong := map[string]bool{}
	for _, f := range fields {
		wrong[f] = true
	}
	for _, m := range sentMembers(ex.Request) {
		if !wrong[m] && namesWord(body, m) {
			return "the error names " + m + ", which the request sent valid, and not " + strings.Join(fields, ", ") +
				", which breaks the schema", ""
		}
	}
	return "", "the error names no member of the request (the document gives the field no member), so nothing shows which field it blames"
}

// sentMembers are the request's query parameters and its body's top-level
// members (JSON object or form).
func sentMembers(rq report.Request) []string {
	var names []string
	if u, err := url.Parse(rq.URL); err == nil {
		for n := range u.Query() {
			names = append(names, n)
		}
	}
	var obj map[string]any
	if json.Unmarshal([]byte(rq.Body), &obj) == nil {
		for n := range obj {
			names = append(names, n)
		}
	} else if form, err := url.ParseQuery(rq.Body); err == nil {
		for n := range form {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// namesWord: text holds name as a whole word (not inside a longer name).
func namesWord(text, name string) bool {
	if name == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		if (start == 0 || !wordByte(text[start-1])) && (end == len(text) || !wordByte(text[end])) {
			return true
		}
		i = start + 1
	}
}

func wordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
