package checks

import (
	"net/http"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// authProbes send the read route with missing, empty, garbage, revoked,
// expired and wrongly placed keys, and the scoped operation with the
// no-scope key; any 401 among them must carry WWW-Authenticate.
func authProbes(p *schemas.Profile) []Probe {
	keys := profileKeys(p)
	list := readSkip(p)
	keyed := func(r role) string {
		if list != "" {
			return list
		}
		if keys[r] == "" {
			return missingKey(p, r)
		}
		return ""
	}
	scopeSkip := keyed(roleNoScope)
	if scopeSkip == "" && p.Endpoints.Scoped == "" && p.Endpoints.Create.Path == "" {
		scopeSkip = "neither endpoints.scoped nor endpoints.create is set"
	}
	read := func(key string) ProbeRequest { return readRequest(p, key) }
	fixed := func(key string) ProbeRequest { rq := read(schemas.KeyNone); rq.KeyValue = &key; return rq }
	param := p.Auth.QueryParam
	if param == "" {
		param = "api_key"
	}
	inQuery := read(schemas.KeyNone)
	inQuery.Path += sep(inQuery.Path) + param + "={{key:valid}}"
	ps := []Probe{
		authProbe("missing-key", report.AuthMissingKey, list, read(schemas.KeyNone), schemas.ExpectMissingKey),
		authProbe("empty-key", report.AuthEmptyKey, list, fixed(""), schemas.ExpectMissingKey, schemas.ExpectInvalidKey),
		authProbe(garbageName(p), report.AuthGarbageKey, list, fixed(garbageKey(p)), schemas.ExpectInvalidKey),
		noHeaderRules(authProbe("wrong-scheme", report.AuthWrongScheme, keyed(roleValid), wrongSchemeRequest(p),
			schemas.ExpectInvalidKey, schemas.ExpectMissingKey)),
		authProbe("revoked-key", report.AuthRevokedKey, keyed(roleRevoked), read(schemas.KeyRevoked), schemas.ExpectRevokedKey),
		authProbe("expired-key", report.AuthExpiredKey, keyed(roleExpired), read(schemas.KeyExpired), schemas.ExpectExpiredKey),
		authProbe("missing-scope", report.AuthMissingScope, scopeSkip, scopedRequest(p), schemas.ExpectMissingScope),
		authProbe("key-in-query", report.AuthKeyInQuery, keyed(roleValid), inQuery, schemas.ExpectMissingKey, schemas.ExpectInvalidKey),
	}
	if b := p.Auth.Basic; b != nil {
		// Basic's credential matrix adds the known user with a wrong password.
		ps = append(ps, authProbe("wrong-password", report.AuthGarbageKey, keyed(roleValid),
			fixed(b.Username+":errprobe-wrong-password-0000"), schemas.ExpectInvalidKey))
	}
	return ps
}

// garbageName and garbageKey: a made-up key, or with Basic auth an unknown
// user.
func garbageName(p *schemas.Profile) string {
	if p.Auth.Basic != nil {
		return "unknown-user"
	}
	return "garbage-key"
}

func garbageKey(p *schemas.Profile) string {
	if p.Auth.Basic != nil {
		return "errprobe-unknown-user:errprobe-garbage-0000"
	}
	return "errprobe_garbage_0000000000000000"
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// wrongSchemeRequest sends the valid key the wrong way: Basic instead of
// the profile's scheme, Authorization: Bearer when the key belongs in
// another header, or a Basic password sent as a Bearer token.
func wrongSchemeRequest(p *schemas.Profile) ProbeRequest {
	rq := readRequest(p, schemas.KeyNone)
	switch h := p.Auth.Header; {
	case p.Auth.Basic != nil:
		rq.Headers = map[string]string{"Authorization": "Bearer {{password:valid}}"}
	case h == "" || strings.EqualFold(h, "Authorization"):
		rq.Headers = map[string]string{"Authorization": "Basic {{basic:valid}}"}
	default:
		rq.Headers = map[string]string{"Authorization": "Bearer {{key:valid}}"}
	}
	return rq
}

// scopedRequest is the operation the no-scope key may not do.
func scopedRequest(p *schemas.Profile) ProbeRequest {
	method, path := endpoint(p.Endpoints.Scoped)
	if p.Endpoints.Scoped == "" {
		method, path = createMethod(p), p.Endpoints.Create.Path
	}
	rq := ProbeRequest{Method: method, Path: path, Key: schemas.KeyNoScope}
	if method != http.MethodGet && method != http.MethodDelete && method != http.MethodHead {
		body := p.Endpoints.Create.Body
		rq.Body, rq.ContentType = &body, createType(p)
	}
	return rq
}

// noHeaderRules judges a probe's answers without the expectation's header
// rules (ProbeExpect.NoHeaderRules).
func noHeaderRules(dp Probe) Probe {
	for i := range dp.Requests {
		dp.Requests[i].Expect.NoHeaderRules = true
	}
	return dp
}

// authProbe is one auth request expecting situations; any 401 must carry
// WWW-Authenticate.
func authProbe(name, check, skip string, rq ProbeRequest, situations ...string) Probe {
	rq.Expect = ProbeExpect{Situations: situations}
	return Probe{Name: name, Suite: report.SuiteAuth, Check: check, Skip: skip, Also: []string{report.AuthWWWAuthenticate},
		Requests: []ProbeRequest{rq}}
}
