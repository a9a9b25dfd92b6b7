package checks

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/errprobe/errprobe/schemas"
)

func authProbes(p *schemas.Profile) []probe {
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
	ps := []probe{
		authProbe("missing-key", AuthMissingKey, list, func(s *session) call {
			return s.readCall(roleNone)
		}, schemas.ExpectMissingKey),
		authProbe("empty-key", AuthEmptyKey, list, func(s *session) call {
			c := s.readCall(roleNone)
			c.auth = func(h http.Header) {
				name, value := s.keyHeader("")
				h.Set(name, strings.TrimSpace(value))
			}
			return c
		}, schemas.ExpectMissingKey, schemas.ExpectInvalidKey),
		authProbe(garbageName(p), AuthGarbageKey, list, func(s *session) call {
			return s.fixedKeyCall(garbageKey(p))
		}, schemas.ExpectInvalidKey),
		authProbe("wrong-scheme", AuthWrongScheme, keyed(roleValid), wrongSchemeCall,
			schemas.ExpectInvalidKey, schemas.ExpectMissingKey),
		authProbe("revoked-key", AuthRevokedKey, keyed(roleRevoked), func(s *session) call {
			return s.readCall(roleRevoked)
		}, schemas.ExpectRevokedKey),
		authProbe("expired-key", AuthExpiredKey, keyed(roleExpired), func(s *session) call {
			return s.readCall(roleExpired)
		}, schemas.ExpectExpiredKey),
		authProbe("missing-scope", AuthMissingScope, scopeSkip, scopedCall, schemas.ExpectMissingScope),
		authProbe("key-in-query", AuthKeyInQuery, keyed(roleValid), func(s *session) call {
			c := s.readCall(roleNone)
			param := s.p.Auth.QueryParam
			if param == "" {
				param = "api_key"
			}
			c.path += sep(c.path) + url.QueryEscape(param) + "=" + url.QueryEscape(s.keys[roleValid])
			c.auth, c.keyAt = func(http.Header) {}, "query:"+param
			return c
		}, schemas.ExpectMissingKey, schemas.ExpectInvalidKey),
	}
	if b := p.Auth.Basic; b != nil {
		// Basic's credential matrix adds the known user with a wrong password.
		ps = append(ps, authProbe("wrong-password", AuthGarbageKey, keyed(roleValid), func(s *session) call {
			return s.fixedKeyCall(b.Username + ":errprobe-wrong-password-0000")
		}, schemas.ExpectInvalidKey))
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

// fixedKeyCall reads with a key the profile does not provide.
func (s *session) fixedKeyCall(key string) call {
	c := s.readCall(roleNone)
	c.auth = func(h http.Header) {
		name, value := s.keyHeader(key)
		h.Set(name, value)
	}
	return c
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// wrongSchemeCall sends the valid key the wrong way: Basic instead of the
// profile's scheme, or Authorization: Bearer when the key belongs in another
// header.
func wrongSchemeCall(s *session) call {
	c := s.readCall(roleNone)
	key := s.keys[roleValid]
	header := s.p.Auth.Header
	c.auth = func(h http.Header) {
		if b := s.p.Auth.Basic; b != nil {
			h.Set("Authorization", "Bearer "+b.Password) // the password as a token
			return
		}
		if header == "" || strings.EqualFold(header, "Authorization") {
			h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(key+":")))
			return
		}
		h.Set("Authorization", "Bearer "+key)
	}
	if header != "" && !strings.EqualFold(header, "Authorization") {
		c.keyAt = "Authorization"
	}
	return c
}

// scopedCall is the operation the no-scope key may not do.
func scopedCall(s *session) call {
	method, path := endpoint(s.p.Endpoints.Scoped)
	if s.p.Endpoints.Scoped == "" {
		method, path = createMethod(s.p), s.p.Endpoints.Create.Path
	}
	c := call{method: method, path: path, key: roleNoScope}
	if method != http.MethodGet && method != http.MethodDelete && method != http.MethodHead {
		c.body, c.hasBody, c.contentType = s.expandN(s.p.Endpoints.Create.Body), true, "application/json"
	}
	return c
}

// authProbe sends one call and checks its code; any 401 must carry
// WWW-Authenticate.
func authProbe(name, check, skip string, build func(*session) call, situations ...string) probe {
	return probe{name: name, suite: SuiteAuth, checks: []string{check, AuthWWWAuthenticate}, skip: skip,
		run: func(ctx context.Context, s *session, o *outcome) {
			ex := s.do(ctx, o, build(s))
			s.expectCheck(o, check, ex, situations...)
			if ex.Response != nil && ex.Response.Status == http.StatusUnauthorized {
				ok := ex.Response.Header.Get("WWW-Authenticate") != ""
				o.verdict(AuthWWWAuthenticate, ok, ex, "401 without WWW-Authenticate (RFC 9110 §11.6.1)",
					"WWW-Authenticate header", "none")
			}
		}}
}
