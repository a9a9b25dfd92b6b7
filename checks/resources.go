package checks

import (
	"context"
	"net/http"
	"net/url"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

func resourceProbes(p *schemas.Profile) []Probe {
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
	return []Probe{
		itemProbe(p, "unknown-id", report.ResourcesUnknownID, item("missing_id", e.MissingID), e.MissingID, schemas.ExpectNotFound),
		itemProbe(p, "malformed-id", report.ResourcesMalformedID, item("malformed_id", e.MalformedID), e.MalformedID, schemas.ExpectInvalidID),
		crossTenantProbe(p, cross),
		Probe{Name: "unknown-route", Suite: report.SuiteResources, Check: report.ResourcesUnknownRoute, Requests: []ProbeRequest{{
			Method: http.MethodGet, Path: unknownRoute(p), Key: schemas.KeyValid,
			Expect: ProbeExpect{Situations: []string{schemas.ExpectUnknownRoute}}}}},
		deleteProbe(p, del),
		conflictProbe(p),
		internalProbe(p),
	}
}

// itemProbe sends id to the item route with each method the route takes
// (GET, DELETE, …): every answer must meet situation.
func itemProbe(p *schemas.Profile, name, check, skip, id, situation string) Probe {
	dp := Probe{Name: name, Suite: report.SuiteResources, Check: check, Skip: skip}
	for _, m := range itemMethods(p) {
		rq := ProbeRequest{Method: m, Path: itemPath(p, url.PathEscape(id)), Key: schemas.KeyValid,
			Expect: ProbeExpect{Situations: []string{situation}}}
		if m != http.MethodGet && m != http.MethodDelete && m != http.MethodHead {
			body := p.Endpoints.Create.Body
			rq.Body, rq.ContentType = &body, createType(p)
		}
		dp.Requests = append(dp.Requests, rq)
	}
	return dp
}

// conflictProbe creates the same resource twice ({{n}} is one number per
// probe run): the first must succeed (and carry endpoints.create.headers),
// the second get expect.conflict.
func conflictProbe(p *schemas.Profile) Probe {
	cr := p.Endpoints.Create
	dp := Probe{Name: "conflict", Suite: report.SuiteResources, Check: report.ResourcesConflict, Also: []string{report.ResourcesCreateHeaders}}
	switch _, ok := p.Expectation(schemas.ExpectConflict); {
	case cr.Path == "" || cr.Body == "":
		dp.Skip = "endpoints.create (path and body) not set"
	case !ok:
		dp.Skip = "the profile's expect table has no conflict"
	}
	body := cr.Body
	create := ProbeRequest{Method: createMethod(p), Path: cr.Path, Key: schemas.KeyValid, Body: &body, ContentType: createType(p)}
	first, second := create, create
	first.Expect = ProbeExpect{Success: true}
	second.Expect = ProbeExpect{Situations: []string{schemas.ExpectConflict}}
	dp.Requests = []ProbeRequest{first, second}
	return dp
}

// internalProbe requests endpoints.server_error: expect.internal, in the
// envelope (the envelope checks judge the body like any error's).
func internalProbe(p *schemas.Profile) Probe {
	dp := Probe{Name: "internal", Suite: report.SuiteResources, Check: report.ResourcesInternal}
	switch _, ok := p.Expectation(schemas.ExpectInternal); {
	case p.Endpoints.ServerError == "":
		dp.Skip = "endpoints.server_error not set (a route that answers 500)"
	case !ok:
		dp.Skip = "the profile's expect table has no internal"
	}
	method, path := endpoint(p.Endpoints.ServerError)
	dp.Requests = []ProbeRequest{{Method: method, Path: path, Key: schemas.KeyValid,
		Expect: ProbeExpect{Situations: []string{schemas.ExpectInternal}}}}
	return dp
}

// create makes a resource with key r (the burst's, on rate_limit.route);
// the session tracks it for cleanup.
func (s *session) create(ctx context.Context, o *outcome, r role) (string, *report.Exchange) {
	c := jsonCall(createMethod(s.p), s.p.Endpoints.Create.Path, s.expandN(s.p.Endpoints.Create.Body))
	c.contentType = createType(s.p)
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

// createStep is the set-up request making a resource with key: the
// profile's create, {{n}} filled, its id captured as {{id}}.
func createStep(p *schemas.Profile, key string) ProbeRequest {
	body := p.Endpoints.Create.Body
	return ProbeRequest{Method: createMethod(p), Path: p.Endpoints.Create.Path, Key: key, Body: &body,
		ContentType: createType(p), Expect: ProbeExpect{Success: true}, Capture: map[string]string{"id": "id"}, Setup: true}
}

// crossTenantProbe reads another organisation's resource with the valid
// key: endpoints.other_tenant_id, or one the other_tenant key creates
// first. expect.cross_tenant, and neither a 403 (existence leak) nor a
// 2xx (breach).
func crossTenantProbe(p *schemas.Profile, skip string) Probe {
	dp := Probe{Name: "cross-tenant", Suite: report.SuiteResources, Check: report.ResourcesCrossTenant, Skip: skip,
		Also: []string{report.ResourcesTenantLeak, report.ResourcesTenantBreach, report.ResourcesCreateHeaders}}
	id := url.PathEscape(p.Endpoints.OtherTenantID)
	if id == "" {
		dp.Requests = append(dp.Requests, createStep(p, schemas.KeyOtherTenant))
		id = "{{id}}"
	}
	dp.Requests = append(dp.Requests, ProbeRequest{Method: http.MethodGet, Path: itemPath(p, id), Key: schemas.KeyValid,
		Expect: ProbeExpect{Situations: []string{schemas.ExpectCrossTenant}}})
	return dp
}

// deleteStatuses are endpoints.delete_status, default 204.
func deleteStatuses(p *schemas.Profile) schemas.Statuses {
	if st := p.Endpoints.DeleteStatus; len(st) > 0 {
		return schemas.Statuses(st)
	}
	return schemas.Statuses{http.StatusNoContent}
}

// deleteProbe creates a resource and deletes it: endpoints.delete_status
// (default 204), a 204 with an empty body.
func deleteProbe(p *schemas.Profile, skip string) Probe {
	method, path := endpoint(p.Endpoints.Delete)
	return Probe{Name: "delete", Suite: report.SuiteResources, Check: report.ResourcesDelete, Skip: skip,
		Also: []string{report.ResourcesCreateHeaders}, Requests: []ProbeRequest{
			createStep(p, schemas.KeyValid),
			{Method: method, Path: itemPathOf(path, "{{id}}"), Key: schemas.KeyValid,
				Expect: ProbeExpect{Rule: &schemas.Expectation{Status: deleteStatuses(p)}, EmptyBody: true}},
		}}
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
