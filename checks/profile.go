package checks

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// defaultKeyEnv are the variables the built-in profiles read keys from.
var defaultKeyEnv = map[role]string{
	roleValid:       "ERRPROBE_API_KEY",
	roleRevoked:     "ERRPROBE_REVOKED_KEY",
	roleExpired:     "ERRPROBE_EXPIRED_KEY",
	roleNoScope:     "ERRPROBE_NO_SCOPE_KEY",
	roleOtherTenant: "ERRPROBE_OTHER_TENANT_KEY",
}

// keyEnv names the environment variable a key came from, for reproductions.
func keyEnv(p *schemas.Profile, r role) string {
	if env := p.KeyEnv(string(r)); env != "" {
		return env
	}
	return defaultKeyEnv[r]
}

// profileKeys are the keys by role. With Basic auth the valid key is
// username:password; a fetched credential (OAuth2, token_command) stands
// as a placeholder until the session fetches it.
func profileKeys(p *schemas.Profile) map[role]string {
	k := p.Auth.Keys
	keys := map[role]string{
		roleValid:       k.Valid,
		roleRevoked:     k.Revoked,
		roleExpired:     k.Expired,
		roleNoScope:     k.NoScope,
		roleOtherTenant: k.OtherTenant,
	}
	switch b := p.Auth.Basic; {
	case b != nil && b.Username != "" && b.Password != "":
		keys[roleValid] = b.Username + ":" + b.Password
	case b != nil:
		keys[roleValid] = ""
	case p.Auth.Credential() != "":
		keys[roleValid] = "<fetched by auth." + p.Auth.Credential() + ">"
	}
	return keys
}

// missingKey explains why a key-dependent probe is skipped.
func missingKey(p *schemas.Profile, r role) string {
	b := p.Auth.Basic
	switch {
	case r == roleValid && b != nil:
		var empty []string
		for _, v := range []struct{ env, val string }{{b.UsernameEnv, b.Username}, {b.PasswordEnv, b.Password}} {
			if v.env != "" && v.val == "" {
				empty = append(empty, "$"+v.env)
			}
		}
		if len(empty) == 0 {
			return "auth.basic username or password not set"
		}
		return "auth.basic username or password not set (" + strings.Join(empty, " and ") + " empty)"
	case b != nil && p.KeyEnv(string(r)) == "":
		// Basic profiles name only the credentials they use: no default variable.
		return fmt.Sprintf("keys.%s not set (the profile gives no %s credential)", r, r)
	}
	return fmt.Sprintf("keys.%s not set ($%s is empty)", r, keyEnv(p, r))
}

// endpoint splits "GET /v1/contacts" into method and path.
func endpoint(s string) (method, path string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ' '); i > 0 {
		return strings.ToUpper(s[:i]), strings.TrimSpace(s[i+1:])
	}
	return "GET", s
}

// createType is the media type of the create's bodies:
// endpoints.create.content_type, default application/json.
func createType(p *schemas.Profile) string {
	return cmp.Or(p.Endpoints.Create.ContentType, "application/json")
}

func createMethod(p *schemas.Profile) string {
	if m := p.Endpoints.Create.Method; m != "" {
		return strings.ToUpper(m)
	}
	return "POST"
}

func itemPath(p *schemas.Profile, id string) string {
	return strings.ReplaceAll(p.Endpoints.Item, "{id}", id)
}

// expectation is what a probe expects: any one of the profile's
// expectations for its situations (a code, a code pattern or a status).
type expectation struct {
	p   *schemas.Profile
	any []schemas.Expectation
	// method and path are the request judged (set by on): a code with
	// per-route statuses is judged against its statuses there.
	method, path string
}

// on returns the expectation for the response to ex's request.
func (e expectation) on(ex *report.Exchange) expectation {
	e.method = ex.Request.Method
	if u, err := url.Parse(ex.Request.URL); err == nil {
		e.path = u.Path
	}
	return e
}

// expect reads the profile's expect table for situations (any of them).
func expect(p *schemas.Profile, situations ...string) (expectation, bool) {
	e := expectation{p: p}
	for _, s := range situations {
		x, ok := p.Expectation(s)
		if !ok {
			continue
		}
		for _, alt := range x.Alternatives() {
			if !e.has(alt) {
				e.any = append(e.any, alt)
			}
		}
	}
	return e, len(e.any) > 0
}

// expectOne is an expectation of exactly x (any of its alternatives).
func expectOne(p *schemas.Profile, x schemas.Expectation) expectation {
	return expectation{p: p, any: x.Alternatives()}
}

// bodiless judges a response without a body (HEAD): an alternative that
// names a code is met by one of its statuses.
func (e expectation) bodiless() expectation {
	out := expectation{p: e.p, method: e.method, path: e.path}
	for _, x := range e.any {
		if x.Code != "" || x.CodePattern != "" {
			x = schemas.Expectation{Status: x.StatusesOn(e.p, e.method, e.path), Headers: x.Headers}
		}
		out.any = append(out.any, x)
	}
	return out
}

func (e expectation) has(x schemas.Expectation) bool {
	for _, y := range e.any {
		if y.Code == x.Code && y.CodePattern == x.CodePattern && slices.Equal(y.Status, x.Status) {
			return true
		}
	}
	return false
}

// guess says what the expectation was guessed from when every alternative
// is a guess (expect.X.guess): a failure against it never gates. "" when
// any alternative rests on the document or an RFC.
func (e expectation) guess() string {
	var out []string
	for _, x := range e.any {
		if x.Guess == "" {
			return ""
		}
		if !slices.Contains(out, x.Guess) {
			out = append(out, x.Guess)
		}
	}
	return strings.Join(out, "; ")
}

// markGuess grades a failure against a guessed expectation: the result
// carries the guess (graded warning) and its message says so.
func markGuess(r *report.Result, guess string) {
	if guess == "" || r.Guess != "" {
		return
	}
	r.Guess = guess
	r.Message += " (a guess: " + guess + ")"
}

func (e expectation) String() string {
	parts := make([]string, 0, len(e.any))
	for _, x := range e.any {
		parts = append(parts, x.StringOn(e.p, e.method, e.path))
	}
	return strings.Join(parts, " or ")
}

// allows reports whether status and the body's codes meet the expectation.
func (e expectation) allows(status int, codes []string) bool {
	_, ok := e.match(status, codes)
	return ok
}

// match returns the expectation status and codes meet.
func (e expectation) match(status int, codes []string) (schemas.Expectation, bool) {
	for _, x := range e.any {
		if x.AllowsOn(e.p, e.method, e.path, status, codes) {
			return x, true
		}
	}
	return schemas.Expectation{}, false
}

func statusList(ss []int) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, strconv.Itoa(s))
	}
	if len(parts) == 0 {
		return "?"
	}
	return strings.Join(parts, "/")
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// pointer resolves an RFC 6901 JSON Pointer in a decoded document.
func pointer(doc any, ptr string) (any, bool) {
	if ptr == "" {
		return doc, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := doc.(type) {
		case map[string]any:
			next, ok := v[tok]
			if !ok {
				return nil, false
			}
			doc = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			doc = v[i]
		default:
			return nil, false
		}
	}
	return doc, true
}

// extractID reads the new resource's id from a create response.
func extractID(p *schemas.Profile, body string) (string, bool) {
	var doc any
	if json.Unmarshal([]byte(body), &doc) != nil {
		return "", false
	}
	ptr := p.Endpoints.Create.IDPointer
	if ptr == "" {
		ptr = "/id"
	}
	v, ok := pointer(doc, ptr)
	if !ok {
		return "", false
	}
	switch id := v.(type) {
	case string:
		return id, id != ""
	case float64:
		return strconv.FormatFloat(id, 'f', -1, 64), true
	}
	return "", false
}

func itemPathOf(template, id string) string {
	return strings.ReplaceAll(template, "{id}", id)
}
