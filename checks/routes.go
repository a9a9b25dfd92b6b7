package checks

import (
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/errprobe/errprobe/schemas"
)

// Route awareness: which route a probe needs, the route templates the
// profile documents, and a path that matches none of them.

// routeTemplates are the path templates the profile documents.
func routeTemplates(p *schemas.Profile) []string {
	e := p.Endpoints
	var out []string
	add := func(path string) {
		if path = pathOnly(path); path != "" && !slices.Contains(out, path) {
			out = append(out, path)
		}
	}
	for _, op := range []string{e.List, e.Scoped, e.Delete, e.ServerError} {
		if op != "" {
			_, path := endpoint(op)
			add(path)
		}
	}
	add(e.Create.Path)
	add(e.Item)
	for _, pr := range p.Probes {
		add(pr.Request.Path)
	}
	return out
}

// matchesTemplate reports whether path fits template, a {…} segment
// matching any one non-empty segment.
func matchesTemplate(template, path string) bool {
	template, _, _ = strings.Cut(template, "#") // "/files/{id}#add_link": OpenAPI keys that share a wire path
	ts := strings.Split(strings.Trim(template, "/"), "/")
	ps := strings.Split(strings.Trim(pathOnly(path), "/"), "/")
	if len(ts) != len(ps) {
		return false
	}
	for i, t := range ts {
		if !segmentMatches(t, ps[i]) {
			return false
		}
	}
	return true
}

// segmentMatches matches one path segment against a template segment:
// literal, "{id}", or parameters within literal text ("{Sid}.json").
func segmentMatches(t, p string) bool {
	open := strings.IndexByte(t, '{')
	if open < 0 {
		return t == p
	}
	end := strings.IndexByte(t[open:], '}')
	if end < 0 {
		return t == p
	}
	prefix, rest := t[:open], t[open+end+1:]
	if !strings.HasPrefix(p, prefix) {
		return false
	}
	p = p[len(prefix):]
	if rest == "" {
		return p != ""
	}
	// The parameter takes at least one character, then the rest matches.
	for i := 1; i <= len(p); i++ {
		if segmentMatches(rest, p[i:]) {
			return true
		}
	}
	return false
}

// unknownRoute is endpoints.unknown_route, else a path derived from the
// profile's routes that matches none of their templates: a sibling of the
// collection (never a value under a {id} segment), moving up a level while
// it would match one.
func unknownRoute(p *schemas.Profile) string {
	if r := p.Endpoints.UnknownRoute; r != "" {
		return r
	}
	const leaf = "errprobe-no-such-route"
	base := "/"
	switch e := p.Endpoints; {
	case e.List != "":
		_, list := endpoint(e.List)
		base = path.Dir(pathOnly(list))
	case e.Item != "":
		base = path.Dir(path.Dir(e.Item))
	case e.Create.Path != "":
		base = path.Dir(e.Create.Path)
	}
	templates := routeTemplates(p)
	for {
		if strings.Contains(base, "{") {
			base = path.Dir(base)
			continue
		}
		cand := path.Join(base, leaf)
		if !slices.ContainsFunc(templates, func(t string) bool { return matchesTemplate(t, cand) }) {
			return cand
		}
		if base == "/" {
			return "/" + leaf + "/" + leaf
		}
		base = path.Dir(base)
	}
}

// readSkip says why no authenticated read can be built: it needs
// endpoints.list, or endpoints.item with endpoints.missing_id.
func readSkip(p *schemas.Profile) string {
	if p.Endpoints.List != "" || (p.Endpoints.Item != "" && p.Endpoints.MissingID != "") {
		return ""
	}
	return "needs an authenticated read: endpoints.list, or endpoints.item with endpoints.missing_id"
}

// readRequest is "some authenticated read" with key role r: the list
// endpoint, else a GET of the item route with the configured missing id.
func readRequest(p *schemas.Profile, r string) ProbeRequest {
	if p.Endpoints.List != "" {
		method, path := endpoint(p.Endpoints.List)
		return ProbeRequest{Method: method, Path: path, Key: r}
	}
	return ProbeRequest{Method: http.MethodGet, Path: itemPath(p, url.PathEscape(p.Endpoints.MissingID)), Key: r}
}

// itemMethods are the methods the item route takes: endpoints.item_methods,
// else GET and, when the delete endpoint is on the item route, DELETE.
func itemMethods(p *schemas.Profile) []string {
	if len(p.Endpoints.ItemMethods) > 0 {
		return p.Endpoints.ItemMethods
	}
	out := []string{http.MethodGet}
	if m, path := endpoint(p.Endpoints.Delete); p.Endpoints.Delete != "" && path == p.Endpoints.Item {
		out = append(out, m)
	}
	return out
}

// unsupportedMethod picks a method the read route does not take (PATCH on a
// list; on the item route the first of PATCH, PUT, POST it lacks).
func unsupportedMethod(p *schemas.Profile) string {
	if p.Endpoints.List != "" {
		return http.MethodPatch
	}
	have := itemMethods(p)
	for _, m := range []string{http.MethodPatch, http.MethodPut, http.MethodPost} {
		if !slices.Contains(have, m) {
			return m
		}
	}
	return "TRACE"
}

// listSkip says why a probe that counts or lists resources cannot run.
func listSkip(p *schemas.Profile) string {
	if p.Endpoints.List == "" {
		return "endpoints.list not set"
	}
	return ""
}

// listCall is a GET on the list endpoint with key r.
func (s *session) listCall(r role) call {
	method, path := endpoint(s.p.Endpoints.List)
	return call{method: method, path: path, key: r}
}
