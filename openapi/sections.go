package openapi

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
)

func (im *importer) writeEnvelope(y *yamlOut) {
	y.key(0, "envelope")
	if im.envelope == nil {
		y.comment(1, "The document gives no JSON schema for any error response (4xx, 5xx, default): errprobe cannot "+
			"know the envelope. This accepts any JSON body; write your API's error schema here.")
		y.raw(1, "schema: {}")
		y.comment(1, "guess: no error schema, so the message member is a placeholder; no code is expected.")
		y.kv(1, "message", "/message")
		y.kv(1, "content_types", []string{"application/json"})
		y.blank()
		return
	}
	if im.statusSchemas != nil {
		y.comment(1, "The document gives an error schema to its validation errors (%s) only, as a framework's "+
			"generated document does: other error bodies (the framework's own 401, 403, 404, 405) keep an open "+
			"envelope, and each of those statuses its own schema, with every $ref resolved.",
			strings.Join(slices.Sorted(maps.Keys(im.statusSchemas)), ", "))
		y.raw(1, "schema: {}")
		y.key(1, "status_schemas")
		for _, st := range slices.Sorted(maps.Keys(im.statusSchemas)) {
			y.jsonBlock(2, st, im.statusSchemas[st])
		}
	} else {
		y.comment(1, "The error schema of %d documented error responses (first: the %s), with every $ref resolved "+
			"into this self-contained copy.", im.envCount, im.envWhere)
		y.jsonBlock(1, "schema", im.envelope)
	}
	for _, role := range []string{"code", "message", "details", "request_id", "status"} {
		g, ok := im.ptrs[role]
		switch {
		case role == "message" && im.statusSchemas != nil:
			// The message the validation schema names is no promise about
			// the framework's other bodies ({"detail": "Not authenticated"}).
			y.comment(1, "No message member: the open envelope promises none for the framework's other error "+
				"bodies; the validation errors' own schema above says where their messages are.")
			continue
		case !ok && role == "code" && im.codeless != "":
			y.comment(1, "A code-less contract, every expectation by status: %s.", im.codeless)
			continue
		case !ok && role == "code":
			y.comment(1, "No member looks like an error code: a code-less contract, every expectation by status.")
			continue
		case !ok && role == "message":
			y.comment(1, "guess: no member looks like the message; errprobe placed it at /message — correct it.")
			y.kv(1, role, "/message")
			continue
		case !ok:
			continue
		}
		y.comment(1, "guess: %s from %s.", role, g.Why)
		y.kv(1, role, g.Pointer)
	}
	y.kv(1, "content_types", im.errorContentTypes())
	y.blank()
}

func (im *importer) errorContentTypes() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range im.errs {
		for _, ct := range e.resp.ContentTypes {
			if !seen[ct] {
				seen[ct] = true
				out = append(out, ct)
			}
		}
	}
	if len(out) == 0 {
		out = []string{"application/json"}
	}
	return out
}

func (im *importer) writeCodes(y *yamlOut) {
	y.key(0, "codes")
	if len(im.codes) == 0 {
		y.comment(1, "The document shows no error code (no example and no enum of the code member): add your "+
			"codes here as CODE: {status: N}.")
		y.raw(1, "{}")
		y.blank()
		return
	}
	y.comment(1, "Each code with the statuses its documented examples carry. guess: 429 and 5xx codes are retryable.")
	names := make([]string, 0, len(im.codes))
	for c := range im.codes {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		row := "{status: " + scalar(im.codes[c])
		if retryable(im.codes[c]) {
			row += ", retryable: true"
		}
		if d := im.codeDesc[c]; d != "" {
			row += ", description: " + scalar(d)
		}
		y.raw(1, yamlKey(c)+": "+row+"}")
	}
	if enum := enumAt(im.envelope, im.ptrs["code"].Pointer); len(enum) > 0 {
		var missing []string
		for _, c := range enum {
			if _, ok := im.codes[c]; !ok {
				missing = append(missing, c)
			}
		}
		if len(missing) > 0 {
			y.comment(1, "The code member's enum also lists %s, with no status the document shows: add each with its status.",
				strings.Join(missing, ", "))
		}
	}
	y.blank()
}

func retryable(st []int) bool {
	for _, s := range st {
		if s == 429 || s >= 500 {
			return true
		}
	}
	return false
}

func (im *importer) writeAuth(y *yamlOut) {
	y.key(0, "auth")
	sch, n := im.mainScheme()
	switch {
	case sch == nil:
		y.comment(1, "guess: the document declares no security scheme errprobe can use; X-API-Key assumed — correct it.")
		y.kv(1, "header", "X-API-Key")
	case sch.Type == "http" && sch.Scheme == "bearer":
		y.comment(1, "From the security scheme %q (http bearer), used by %d operations.", sch.Name, n)
		y.kv(1, "header", "Authorization")
		y.kv(1, "scheme", "Bearer")
	case sch.Type == "http" && sch.Scheme == "basic":
		y.comment(1, "From the security scheme %q (http basic), used by %d operations: the key is sent as the "+
			"Basic credentials, base64(user:password) — set ERRPROBE_API_KEY to that.", sch.Name, n)
		y.kv(1, "header", "Authorization")
		y.kv(1, "scheme", "Basic")
	case sch.Type == "apiKey" && sch.In == "header":
		y.comment(1, "From the security scheme %q (apiKey in header %s), used by %d operations.", sch.Name, sch.Param, n)
		y.kv(1, "header", sch.Param)
	case sch.Type == "apiKey" && sch.In == "query":
		y.comment(1, "The security scheme %q sends the key in the query parameter %s; errprobe sends keys in a "+
			"header. guess: X-API-Key — check that your API accepts it, or the auth probes will fail.", sch.Name, sch.Param)
		y.kv(1, "header", "X-API-Key")
		y.kv(1, "query_param", sch.Param)
	default:
		y.comment(1, "guess: the security scheme %q (%s) is not one errprobe sends; Authorization: Bearer assumed.", sch.Name, sch.Type)
		y.kv(1, "header", "Authorization")
		y.kv(1, "scheme", "Bearer")
	}
	y.comment(1, "Keys come from the environment; a probe whose key is unset is skipped, with the reason.")
	y.key(1, "keys")
	y.kv(2, "valid", "${ERRPROBE_API_KEY}")
	for _, k := range []struct{ role, env, sit string }{
		{"revoked", "ERRPROBE_REVOKED_KEY", "revoked_key"}, {"expired", "ERRPROBE_EXPIRED_KEY", "expired_key"},
		{"no_scope", "ERRPROBE_NO_SCOPE_KEY", "missing_scope"}, {"other_tenant", "ERRPROBE_OTHER_TENANT_KEY", "cross_tenant"},
	} {
		if g, ok := im.sits[k.sit]; ok && !g.Guess {
			y.kv(2, k.role, "${"+k.env+"}")
		} else {
			y.raw(2, "# "+k.role+": ${"+k.env+"}   # the document shows no "+k.sit+" error; uncomment to probe it")
		}
	}
	y.blank()
}

// mainScheme is the usable scheme securing the most operations.
func (im *importer) mainScheme() (*SecurityScheme, int) {
	count := map[string]int{}
	for _, op := range im.d.Operations {
		for _, s := range op.Security {
			count[s]++
		}
	}
	best, n := "", -1
	for name := range im.d.Schemes {
		if c := count[name]; c > n || c == n && name < best {
			best, n = name, c
		}
	}
	if best == "" {
		return nil, 0
	}
	s := im.d.Schemes[best]
	return &s, n
}

var requestIDHeader = regexp.MustCompile(`(?i)^x?-?(request|trace|correlation)-?id$`)

func (im *importer) writeRequestID(y *yamlOut) {
	name, n := im.requestIDHeader()
	if name == "" {
		return
	}
	y.key(0, "request_id")
	y.comment(1, "Documented on %d of %d error responses.", n, len(im.errs))
	y.kv(1, "header", name)
	y.blank()
}

// requestIDHeader is the request-id header documented on the most error
// responses, and on how many.
func (im *importer) requestIDHeader() (string, int) {
	count := map[string]int{}
	for _, e := range im.errs {
		for _, h := range e.resp.Headers {
			if requestIDHeader.MatchString(h.Name) {
				count[h.Name]++
			}
		}
	}
	name, n := "", 0
	for h, c := range count {
		if c > n || c == n && h < name {
			name, n = h, c
		}
	}
	return name, n
}

func (im *importer) writeIdempotency(y *yamlOut) {
	for _, op := range im.d.Operations {
		for _, p := range op.Params {
			if p.In == "header" && strings.Contains(strings.ToLower(p.Name), "idempotency") {
				y.key(0, "idempotency")
				y.comment(1, "The %s header parameter of %s.", p.Name, op.Name())
				y.kv(1, "header", http.CanonicalHeaderKey(p.Name))
				if g, ok := im.sits["idempotency_mismatch"]; ok && g.Code != "" {
					y.comment(1, "From %s.", g.Why)
					y.kv(1, "mismatch_code", g.Code)
				}
				y.blank()
				return
			}
		}
	}
}

func (im *importer) writeRateLimit(y *yamlOut) {
	var r429 *errorResponse
	for i, e := range im.errs {
		if e.status == http.StatusTooManyRequests {
			r429 = &im.errs[i]
			break
		}
	}
	if r429 == nil {
		y.comment(0, "The document documents no 429 response anywhere: it promises no limiter, so no burst is sent and "+
			"a 429 met anywhere is a finding. If the API has a limiter, document its 429 (or write its headers here).")
		y.kv(0, "rate_limit", "none")
		y.blank()
		return
	}
	y.key(0, "rate_limit")
	y.comment(1, "From the headers of the %s.", r429.where())
	resp := r429.resp
	legacy := map[string]string{}
	for _, h := range resp.Headers {
		n := strings.ToLower(h.Name)
		if !strings.Contains(n, "ratelimit") && !strings.Contains(n, "rate-limit") {
			continue
		}
		for _, part := range []string{"limit", "remaining", "reset"} {
			if strings.HasSuffix(n, part) && !(part == "limit" && (n == "ratelimit" || strings.HasSuffix(n, "-ratelimit"))) {
				legacy[part] = h.Name
			}
		}
	}
	_, ietf := resp.Header("RateLimit")
	_, policy := resp.Header("RateLimit-Policy")
	switch {
	case ietf || policy:
		y.kv(1, "headers", "ietf")
		y.kv(1, "reset", "delta")
	case len(legacy) == 3:
		y.kv(1, "headers", "legacy")
		y.kv(1, "limit_header", legacy["limit"])
		y.kv(1, "remaining_header", legacy["remaining"])
		y.kv(1, "reset_header", legacy["reset"])
		h, _ := resp.Header(legacy["reset"])
		d := strings.ToLower(h.Description)
		switch {
		case strings.Contains(d, "epoch") || strings.Contains(d, "unix"):
			y.comment(1, "The reset header's description says epoch seconds.")
			y.kv(1, "reset", "epoch")
		case strings.Contains(d, "seconds from now") || strings.Contains(d, "seconds until") || strings.Contains(d, "delta"):
			y.comment(1, "The reset header's description says seconds from now.")
			y.kv(1, "reset", "delta")
		default:
			y.comment(1, "guess: the document does not say how reset reads; auto accepts epoch or seconds from now.")
			y.kv(1, "reset", "auto")
		}
	default:
		y.comment(1, "No limit/remaining/reset or RateLimit headers are documented on it.")
		y.kv(1, "headers", "none")
	}
	if _, ok := resp.Header("Retry-After"); ok {
		y.kv(1, "retry_after", true)
	}
	if g, ok := im.sits["rate_limited"]; ok && g.Code != "" {
		y.kv(1, "code", g.Code)
	}
	y.comment(1, "The document states no limit (OpenAPI has no field for it): run --openapi skips the burst until "+
		"max_requests says how many requests reach it (without --openapi the burst sends up to 1000).")
	y.key(1, "burst")
	y.comment(2, "max_requests: 1000")
	y.kv(2, "concurrency", 8)
	y.kv(2, "max_wait", "65s")
	y.blank()
}
