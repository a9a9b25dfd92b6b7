package checks

import (
	"net/http"
	"sort"
	"strings"

	"github.com/errprobe/errprobe/report"
)

// OpenAPI is what `run --openapi` adds to a run: the document's operations,
// against which every response of the run is checked, and the stateless
// per-operation probes package openapi planned from them — data probes
// like every other, handed to the run in Config.Probes (each names its
// Operation).
type OpenAPI struct {
	Operations []Operation
	Probes     []Probe
	// NoRateLimit, when set, says why the document gives no evidence of a
	// rate limit (no operation documents 429): the burst is skipped with
	// it rather than failing on a limit errprobe would only guess.
	NoRateLimit string
}

// Operation is one documented operation.
type Operation struct {
	// Name is "GET /v1/contacts/{id}"; Path is the template, relative to the base URL.
	Name, Method, Path string
	// Responses by status key: "200", "4XX", "default".
	Responses map[string]DocumentedResponse
	// Implied are statuses the document implies without listing them, with
	// why: 401 and 403 on a secured operation (its security requirement,
	// RFC 9110 §15.5.2/§15.5.4); 400 for invalid input on one that lists no
	// client error at all (§15.5.1). Their bodies are not judged.
	Implied map[int]string
}

// DocumentedResponse is what the document says of one status.
type DocumentedResponse struct {
	// Schema is the body's JSON Schema; nil when none is documented or the
	// documented media type is not JSON.
	Schema map[string]any
	// Headers are the headers documented as required.
	Headers []string
	// ContentType is the first documented media type ("" for none).
	ContentType string
}

// allowMessage checks a 405's Allow header against ProbeExpect.Allow: it
// must list exactly the documented methods; "" when it does.
func allowMessage(documented []string, h http.Header) string {
	got := h.Values("Allow")
	extra, missing := allowDiff(got, documented)
	if len(extra)+len(missing) == 0 {
		return ""
	}
	return "Allow: " + strings.Join(got, ", ") + " does not list exactly the documented methods " +
		strings.Join(documented, ", ") + " (missing: " + strings.Join(missing, ", ") + "; undocumented: " + strings.Join(extra, ", ") + ")"
}

// allowDiff compares an Allow header with the documented methods; HEAD
// (with GET) and OPTIONS are never counted as undocumented.
func allowDiff(header []string, documented []string) (extra, missing []string) {
	got := map[string]bool{}
	for _, h := range header {
		for _, m := range strings.Split(h, ",") {
			if m = strings.ToUpper(strings.TrimSpace(m)); m != "" {
				got[m] = true
			}
		}
	}
	doc := map[string]bool{}
	for _, m := range documented {
		doc[m] = true
		if !got[m] {
			missing = append(missing, m)
		}
	}
	for m := range got {
		if !doc[m] && m != "OPTIONS" && !(m == "HEAD" && doc["GET"]) {
			extra = append(extra, m)
		}
	}
	sort.Strings(extra)
	return extra, missing
}

// operationFor finds the documented operation a request was for.
func (s *session) operationFor(req report.Request) *Operation {
	if s.cfg.OpenAPI == nil {
		return nil
	}
	path := strings.TrimPrefix(req.URL, s.base)
	if path == req.URL {
		return nil
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	method := req.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	ops := s.cfg.OpenAPI.Operations
	var best *Operation
	for i := range ops {
		if ops[i].Method == method && matchesTemplate(ops[i].Path, path) {
			// A literal segment beats a parameter: /a/search over /a/{id}.
			if best == nil || strings.Count(ops[i].Path, "{") < strings.Count(best.Path, "{") {
				best = &ops[i]
			}
		}
	}
	return best
}
