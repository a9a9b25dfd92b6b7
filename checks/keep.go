package checks

import (
	"net/http"
	"sort"
	"strings"

	"github.com/errprobe/errprobe/schemas"
)

// keptHeaders caps the header fields kept of one response: a hostile target
// sending 10,000 headers on every response would otherwise cost a megabyte
// per kept exchange. The fields the checks read are always kept.
const keptHeaders = 200

// keepHeaders copies h for the record: all of it, or past keptHeaders
// fields the ones checks read (see readsHeader) and then the others in
// name order up to the cap. dropped counts the fields left out.
func (s *session) keepHeaders(h http.Header) (kept http.Header, dropped int) {
	if len(h) <= keptHeaders {
		return h.Clone(), 0
	}
	kept = make(http.Header, keptHeaders)
	var others []string
	for name, vs := range h {
		if s.readsHeader(name) {
			kept[name] = append([]string(nil), vs...)
		} else {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	for _, name := range others {
		if len(kept) >= keptHeaders {
			dropped++
			continue
		}
		kept[name] = append([]string(nil), h[name]...)
	}
	return kept, dropped
}

// readsHeader: a header some check or report reads — standard response
// headers of error contracts, rate limits and request ids in any spelling,
// and every header the profile names.
func (s *session) readsHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "content-type", "content-length", "content-encoding", "location", "retry-after",
		"www-authenticate", "allow", "cache-control", "vary", "link":
		return true
	}
	if strings.Contains(n, "ratelimit") || strings.Contains(n, "rate-limit") || strings.Contains(n, "request-id") ||
		strings.Contains(n, "idempot") || strings.Contains(n, "replay") {
		return true
	}
	return s.named[n]
}

// profileHeaders lists, lower-cased, the response headers a profile names.
func profileHeaders(p *schemas.Profile) map[string]bool {
	named := map[string]bool{}
	add := func(names ...string) {
		for _, n := range names {
			if n != "" {
				named[strings.ToLower(n)] = true
			}
		}
	}
	rl := p.RateLimit
	add(p.RequestID.Header, p.Idempotency.ReplayHeader, rl.LimitHeader, rl.RemainingHeader, rl.ResetHeader)
	rules := []map[string]schemas.HeaderRule{p.Endpoints.Create.Headers}
	for _, c := range p.Codes {
		rules = append(rules, c.Headers)
	}
	for _, e := range p.Expect {
		rules = append(rules, e.Headers)
	}
	for _, r := range rules {
		for n := range r {
			add(n)
		}
	}
	return named
}
