package openapi

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// request is a valid request of an operation: its path with every path and
// required query parameter filled from the schemas, its required header
// parameters, and a body built from the schema (or the example) when it
// documents one. Every probe starts from it and breaks one thing.
type request struct {
	op     *Operation
	path   string            // concrete path, no query
	query  map[string]string // required query parameters
	header map[string]string
	// body is the body as a value (JSON object for JSON and form bodies);
	// raw is its encoding; hasBody is false when the operation has none
	// errprobe can build.
	body    any
	raw     string
	hasBody bool
	ctype   string
}

// validRequest builds op's valid request; skip says why none can be built.
func validRequest(op *Operation) (request, string) {
	r := request{op: op, path: concretePath(op, ""), query: map[string]string{}, header: map[string]string{}}
	for _, p := range op.Params {
		if !p.Required || p.In == "path" {
			continue
		}
		v, ok := paramValue(p)
		if !ok {
			return r, "cannot build the required " + p.In + " parameter " + p.Name + " from its schema"
		}
		switch p.In {
		case "query":
			r.query[p.Name] = v
		case "header":
			if !strings.EqualFold(p.Name, "Authorization") {
				r.header[p.Name] = v
			}
		}
	}
	if op.Body == nil {
		return r, ""
	}
	r.ctype = op.Body.ContentType
	if !op.Body.JSON() && !isForm(op.Body.ContentType) {
		if op.Body.Required {
			return r, "the request body is " + op.Body.ContentType + ", which errprobe does not build"
		}
		return r, ""
	}
	v, ok := validBody(op.Body)
	if !ok {
		if op.Body.Required {
			return r, "cannot build a valid request body from the schema"
		}
		return r, ""
	}
	r.body, r.hasBody = v, true
	r.raw = encodeBody(v, op.Body.ContentType)
	return r, ""
}

// validBody is the first of the body's example, a value generated with
// every documented member and the smallest value with the required ones
// that validates against the schema (documents' examples are not always
// valid); the first built when none does or the schema does not compile.
func validBody(b *Body) (any, bool) {
	var cands []any
	if b.Example != nil {
		cands = append(cands, b.Example)
	}
	if v, ok := Generate(b.Schema); ok {
		cands = append(cands, v)
	}
	if v, ok := sampleValue(b.Schema, 0); ok {
		cands = append(cands, v)
	}
	if len(cands) == 0 {
		return nil, false
	}
	if b.Schema == nil {
		return cands[0], true
	}
	v, err := schemas.CompileSchema("request-body", b.Schema, schemas.AssertFormats(AssertedFormats()...))
	if err != nil {
		return cands[0], true
	}
	for _, c := range cands {
		raw, err := json.Marshal(c)
		if err == nil && v.Validate(raw) == nil {
			return c, true
		}
	}
	return cands[0], true
}

func isForm(ct string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(ct), ";")
	return strings.TrimSpace(mt) == "application/x-www-form-urlencoded"
}

// paramValue is a parameter's example, else a value built from its schema.
func paramValue(p Param) (string, bool) {
	if p.Example != nil {
		return plainValue(p.Example), true
	}
	v, ok := sampleValue(p.Schema, 0)
	if !ok {
		return "", false
	}
	if arr, isArr := v.([]any); isArr {
		if len(arr) == 0 {
			return "", false
		}
		v = arr[0]
	}
	return plainValue(v), true
}

func plainValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// encodeBody writes a body value as JSON or as a form.
func encodeBody(v any, ct string) string {
	if !isForm(ct) {
		b, err := jsonMarshal(v)
		if err != nil {
			return "{}"
		}
		return b
	}
	obj, _ := v.(map[string]any)
	form := url.Values{}
	for k, x := range obj {
		switch y := x.(type) {
		case []any:
			for _, e := range y {
				form.Add(k, plainValue(e))
			}
		case map[string]any:
			b, _ := jsonMarshal(y)
			form.Set(k, b)
		default:
			form.Set(k, plainValue(x))
		}
	}
	return form.Encode()
}

// probeRequest is the valid request as a ProbeRequest sent with the valid key.
func (r request) probeRequest() checks.ProbeRequest {
	rq := checks.ProbeRequest{Method: r.op.Method, Path: r.fullPath(r.query), Key: "valid"}
	if len(r.header) > 0 {
		rq.Headers = map[string]string{}
		for k, v := range r.header {
			rq.Headers[k] = v
		}
	}
	if r.hasBody {
		body := r.raw
		rq.Body, rq.ContentType = &body, r.ctype
	}
	return rq
}

func (r request) fullPath(query map[string]string) string {
	if len(query) == 0 {
		return r.path
	}
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(query[k]))
	}
	return r.path + "?" + strings.Join(parts, "&")
}

// documentedStatuses lists the op's documented statuses among want, in order.
func documentedStatuses(op *Operation, want ...int) []int {
	var out []int
	for _, st := range want {
		if _, ok := op.Responses[strconv.Itoa(st)]; ok {
			out = append(out, st)
		}
	}
	return out
}

// placement is where an operation's scheme carries a credential: a
// header (with a scheme prefix) or a query parameter.
type placement struct {
	header, prefix, query string
}

// place returns the request carrying value (a literal or {{key:valid}}) there.
func (pl placement) place(rq checks.ProbeRequest, value string) checks.ProbeRequest {
	if pl.query != "" {
		sep := "?"
		if strings.Contains(rq.Path, "?") {
			sep = "&"
		}
		rq.Path += sep + url.QueryEscape(pl.query) + "=" + value
		return rq
	}
	hs := map[string]string{}
	for k, v := range rq.Headers {
		hs[k] = v
	}
	hs[pl.header] = strings.TrimSpace(pl.prefix + value)
	rq.Headers = hs
	return rq
}

// placementOf is where op's credential goes: the scheme the most
// operations use (the profile's, as init --from-openapi chooses it) when
// op accepts it, else op's first scheme errprobe can send.
func placementOf(op *Operation, d *Document, main string) (placement, bool) {
	names := append([]string(nil), op.Security...)
	if contains(names, main) {
		names = append([]string{main}, names...)
	}
	for _, n := range names {
		s := d.Schemes[n]
		switch {
		case s.Type == "apiKey" && s.In == "header":
			return placement{header: s.Param}, true
		case s.Type == "apiKey" && s.In == "query":
			return placement{query: s.Param}, true
		case s.Type == "apiKey" && s.In == "cookie":
			return placement{header: "Cookie", prefix: s.Param + "="}, true
		case s.Type == "http" && s.Scheme == "basic":
			return placement{header: "Authorization", prefix: "Basic "}, true
		case s.Type == "http" || s.Type == "oauth2" || s.Type == "openIdConnect" || s.Type == "mutualTLS":
			return placement{header: "Authorization", prefix: "Bearer "}, true
		}
	}
	return placement{}, false
}

// mainScheme is the security scheme the most operations use.
func mainScheme(d *Document) string {
	count := map[string]int{}
	for _, op := range d.Operations {
		for _, s := range op.Security {
			count[s]++
		}
	}
	best, n := "", -1
	for name := range d.Schemes {
		if c := count[name]; c > n || c == n && name < best {
			best, n = name, c
		}
	}
	return best
}

// securityProbes: a secured operation refuses no credential, an empty
// one, a garbage one and a valid key under the wrong scheme — 401 or 403
// (those the operation documents, else either: RFC 9110 §15.5.2, §15.5.4),
// never 2xx. Each request is otherwise valid; unkeyed is the valid request
// without its credential.
func securityProbes(op *Operation, d *Document, unkeyed checks.ProbeRequest, pl placement, placed bool) []checks.Probe {
	if len(op.Security) == 0 {
		return nil
	}
	statuses := documentedStatuses(op, 401, 403)
	if len(statuses) == 0 {
		statuses = []int{401, 403}
	}
	unkeyed.Key, unkeyed.Expect = "none", checks.ProbeExpect{Rule: statusRule(statuses)}
	var out []checks.Probe
	add := func(suffix string, rq checks.ProbeRequest) {
		out = append(out, probeOf(op, suffix, report.OpenAPISecurity, rq))
	}
	add("no-credentials", unkeyed)
	if placed {
		add("empty-credential", pl.place(unkeyed, ""))
		add("garbage-credential", pl.place(unkeyed, "errprobe_garbage_0000000000000000"))
	} else {
		empty, garbage := "", "errprobe_garbage_0000000000000000"
		e, g := unkeyed, unkeyed
		e.Key, e.KeyValue, g.Key, g.KeyValue = "valid", &empty, "valid", &garbage
		add("empty-credential", e)
		add("garbage-credential", g)
	}
	if h, v, ok := wrongScheme(op, d); ok {
		add("wrong-scheme", placement{header: h}.place(unkeyed, v))
	} else {
		p := probeOf(op, "wrong-scheme", report.OpenAPISecurity, checks.ProbeRequest{})
		p.Requests, p.Skip = nil, "the operation accepts both Basic and Bearer credentials: no wrong scheme to send"
		out = append(out, p)
	}
	return out
}

// wrongScheme places the valid key under a scheme none of the operation's
// security schemes uses: Basic where none is basic, else Bearer.
func wrongScheme(op *Operation, d *Document) (string, string, bool) {
	basic, bearer := false, false
	for _, name := range op.Security {
		s := d.Schemes[name]
		switch {
		case s.Type == "http" && s.Scheme == "basic":
			basic = true
		case s.Type == "http" || s.Type == "oauth2" || s.Type == "openIdConnect":
			bearer = true
		}
	}
	switch {
	case !basic:
		return "Authorization", "Basic {{key:valid}}", true
	case !bearer:
		return "Authorization", "Bearer {{key:valid}}", true
	}
	return "", "", false
}

func statusRule(statuses []int) *schemas.Expectation {
	return &schemas.Expectation{Status: statuses}
}

func jsonMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
