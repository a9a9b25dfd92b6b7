package checks

import (
	"context"
	"net/http"
	"net/url"

	"github.com/errprobe/errprobe/schemas"
)

func resourceProbes(p *schemas.Profile) []probe {
	e := p.Endpoints
	item := func(field, value string) string {
		switch {
		case e.Item == "":
			return "endpoints.item not set"
		case value == "":
			return "endpoints." + field + " not set"
		}
		return ""
	}
	cross := ""
	switch {
	case e.Item == "":
		cross = "endpoints.item not set"
	case e.OtherTenantID != "":
	case p.Auth.Keys.OtherTenant == "":
		cross = missingKey(p, roleOtherTenant) + " and endpoints.other_tenant_id not set"
	case e.Create.Path == "":
		cross = "endpoints.create not set (needed to make the other organisation's resource)"
	}
	del := ""
	switch {
	case e.Delete == "":
		del = "endpoints.delete not set"
	case e.Create.Path == "":
		del = "endpoints.create not set"
	}
	return []probe{
		{name: "unknown-id", suite: SuiteResources, checks: []string{ResourcesUnknownID}, skip: item("missing_id", e.MissingID),
			run: func(ctx context.Context, s *session, o *outcome) {
				s.itemMethodsCheck(ctx, o, ResourcesUnknownID, s.p.Endpoints.MissingID, schemas.ExpectNotFound)
			}},
		{name: "malformed-id", suite: SuiteResources, checks: []string{ResourcesMalformedID}, skip: item("malformed_id", e.MalformedID),
			run: func(ctx context.Context, s *session, o *outcome) {
				s.itemMethodsCheck(ctx, o, ResourcesMalformedID, s.p.Endpoints.MalformedID, schemas.ExpectInvalidID)
			}},
		{name: "cross-tenant", suite: SuiteResources, checks: []string{ResourcesCrossTenant, ResourcesTenantLeak, ResourcesTenantBreach},
			skip: cross, run: probeCrossTenant},
		{name: "unknown-route", suite: SuiteResources, checks: []string{ResourcesUnknownRoute},
			run: func(ctx context.Context, s *session, o *outcome) {
				ex := s.do(ctx, o, call{method: http.MethodGet, path: unknownRoute(s.p), key: roleValid})
				s.expectCheck(o, ResourcesUnknownRoute, ex, schemas.ExpectUnknownRoute)
			}},
		{name: "delete", suite: SuiteResources, checks: []string{ResourcesDelete}, skip: del, run: probeDelete},
	}
}

// itemMethodsCheck sends id to the item route with each method it takes
// (GET, DELETE, …) and passes check when every answer meets situation; the
// first that does not is the failure.
func (s *session) itemMethodsCheck(ctx context.Context, o *outcome, check, id, situation string) {
	sub := &outcome{probe: o.probe}
	var failed *Result
	var last *Exchange
	for _, m := range itemMethods(s.p) {
		c := call{method: m, path: s.itemPath(id), key: roleValid}
		if m != http.MethodGet && m != http.MethodDelete && m != http.MethodHead {
			c = jsonCall(m, c.path, s.expandN(s.p.Endpoints.Create.Body))
		}
		last = s.do(ctx, o, c)
		sub.results = nil
		s.expectCheck(sub, check, last, situation)
		if r := sub.results[0]; r.Status != StatusPass && failed == nil {
			failed = &r
			failed.Message = m + ": " + r.Message
		}
	}
	if failed != nil {
		o.add(*failed)
		return
	}
	o.pass(check, last)
}

// create makes a resource with key r; the session tracks it for cleanup.
func (s *session) create(ctx context.Context, o *outcome, r role) (string, *Exchange) {
	c := jsonCall(createMethod(s.p), s.p.Endpoints.Create.Path, s.expandN(s.p.Endpoints.Create.Body))
	c.key = r
	ex := s.do(ctx, o, c)
	if s.cfg.DryRun {
		return "{id}", ex
	}
	if ex.Response == nil || ex.Response.Status/100 != 2 {
		return "", ex
	}
	id, _ := extractID(s.p, ex.Response.Body)
	return id, ex
}

// probeCrossTenant reads another organisation's resource with the valid key.
func probeCrossTenant(ctx context.Context, s *session, o *outcome) {
	id := s.p.Endpoints.OtherTenantID
	if id == "" {
		var ex *Exchange
		id, ex = s.create(ctx, o, roleOtherTenant)
		if id == "" {
			reason := "could not create the other organisation's resource: " + describe(ex, s.code(ex))
			for _, c := range []string{ResourcesCrossTenant, ResourcesTenantLeak, ResourcesTenantBreach} {
				o.skip(c, reason)
			}
			return
		}
	}
	ex := s.do(ctx, o, call{method: http.MethodGet, path: s.itemPath(id), key: roleValid})
	s.expectCheck(o, ResourcesCrossTenant, ex, schemas.ExpectCrossTenant)
	actual := describe(ex, s.code(ex))
	st := 0
	if ex.Response != nil {
		st = ex.Response.Status
	}
	o.verdict(ResourcesTenantLeak, st != http.StatusForbidden, ex,
		"another organisation's id answered 403: the API confirms the resource exists", "404", actual)
	o.verdict(ResourcesTenantBreach, st/100 != 2, ex,
		"another organisation's resource was served: tenant isolation is broken", "404", actual)
}

// probeDelete creates a resource and deletes it: 204 with an empty body.
func probeDelete(ctx context.Context, s *session, o *outcome) {
	id, cex := s.create(ctx, o, roleValid)
	if id == "" {
		o.skip(ResourcesDelete, "could not create a resource to delete: "+describe(cex, s.code(cex)))
		return
	}
	ex := s.do(ctx, o, s.deleteCall(id, roleValid))
	if ex.Response != nil && ex.Response.Status/100 == 2 {
		s.untrack(id)
	}
	want := "204 with an empty body"
	switch {
	case ex.Response == nil:
		o.fail(ResourcesDelete, ex, "no response: "+ex.Err, want, ex.Err)
	case ex.Response.Status != http.StatusNoContent:
		actual := describe(ex, s.code(ex))
		o.fail(ResourcesDelete, ex, "DELETE answered "+actual+", want 204", want, actual)
	case ex.Response.Body != "":
		o.fail(ResourcesDelete, ex, "204 with a body", want, "204 with a body")
	default:
		o.pass(ResourcesDelete, ex)
	}
}

func (s *session) deleteCall(id string, r role) call {
	method, p := endpoint(s.p.Endpoints.Delete)
	return call{method: method, path: itemPathOf(p, s.escapeID(id)), key: r}
}

// itemPath is the item endpoint for id, escaped (a dry run's "{id}"
// placeholder stays readable).
func (s *session) itemPath(id string) string {
	return itemPath(s.p, s.escapeID(id))
}

func (s *session) escapeID(id string) string {
	if s.cfg.DryRun && id == "{id}" {
		return id
	}
	return url.PathEscape(id)
}
