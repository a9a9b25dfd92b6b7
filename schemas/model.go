package schemas

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Expected returns the code a probe in situation expects (an Expect* constant)
// and the statuses the code table allows it; ok is false when the profile
// names no code for the situation (the probe is then skipped).
// For a status-only expectation code is "".
func (p *Profile) Expected(situation string) (code string, statuses []int, ok bool) {
	e, ok := p.Expectation(situation)
	if !ok {
		return "", nil, false
	}
	return e.Code, e.Statuses(p), true
}

// StatusesFor returns the HTTP statuses the code table allows code (an
// entry of its own or a pattern entry it matches); nil for an unknown code.
func (p *Profile) StatusesFor(code string) []int {
	_, c, ok := p.LookupCode(code)
	if !ok {
		return nil
	}
	return []int(c.Status)
}

// StatusesOn returns the statuses the code table allows code on the route of
// a request (method and path, a path template's {…} segment matching any one
// segment): the code's routes entry for that route, else its status. nil for
// an unknown code.
func (p *Profile) StatusesOn(code, method, path string) []int {
	_, c, ok := p.LookupCode(code)
	if !ok {
		return nil
	}
	if st, ok := c.routeStatuses(method, path); ok {
		return st
	}
	return []int(c.Status)
}

// routeStatuses finds the routes entry for a request: an exact template
// first, then the templates in sorted order.
func (c Code) routeStatuses(method, path string) ([]int, bool) {
	if len(c.Routes) == 0 || method == "" {
		return nil, false
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if st, ok := c.Routes[strings.ToUpper(method)+" "+path]; ok {
		return []int(st), true
	}
	keys := make([]string, 0, len(c.Routes))
	for k := range c.Routes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m, tmpl, ok := strings.Cut(k, " ")
		if ok && strings.EqualFold(m, method) && pathFits(tmpl, path) {
			return []int(c.Routes[k]), true
		}
	}
	return nil, false
}

// AllStatusesFor is every status the code table allows code on some route.
func (p *Profile) AllStatusesFor(code string) []int {
	_, c, ok := p.LookupCode(code)
	if !ok {
		return nil
	}
	out := append([]int(nil), c.Status...)
	for _, st := range c.Routes {
		for _, s := range st {
			if !containsInt(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// pathFits reports whether path fits template segment by segment, a
// segment holding {…} matching any one non-empty segment.
func pathFits(template, path string) bool {
	ts := strings.Split(strings.Trim(template, "/"), "/")
	ps := strings.Split(strings.Trim(path, "/"), "/")
	if len(ts) != len(ps) {
		return false
	}
	for i, t := range ts {
		if strings.Contains(t, "{") && strings.Contains(t, "}") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if t != ps[i] {
			return false
		}
	}
	return true
}

// KeyEnv returns the environment variable the key of role (KeyValid, …) came
// from, e.g. "ERRPROBE_API_KEY"; "" when it was written literally.
func (p *Profile) KeyEnv(role string) string { return p.Auth.Keys.Env[role] }

// Get returns the key of role (KeyValid, KeyRevoked, …); "" when unset.
func (k Keys) Get(role string) string {
	switch role {
	case KeyValid:
		return k.Valid
	case KeyRevoked:
		return k.Revoked
	case KeyExpired:
		return k.Expired
	case KeyNoScope:
		return k.NoScope
	case KeyOtherTenant:
		return k.OtherTenant
	}
	return ""
}

// RequestIDPointer is where error bodies carry the request id: request_id.pointer,
// else envelope.request_id; "" when the body carries none.
func (p *Profile) RequestIDPointer() string {
	if p.RequestID.Pointer != "" {
		return p.RequestID.Pointer
	}
	return p.Envelope.RequestID
}

// Wait parses MaxWait (validated when the profile loaded); 65s when empty.
func (b Burst) Wait() time.Duration {
	d, err := time.ParseDuration(b.MaxWait)
	if err != nil || d <= 0 {
		return 65 * time.Second
	}
	return d
}

// SplitOperation splits "GET /v1/contacts" into method and path.
func SplitOperation(op string) (method, path string, ok bool) {
	method, path, ok = strings.Cut(strings.TrimSpace(op), " ")
	path = strings.TrimSpace(path)
	return method, path, ok && method != "" && strings.HasPrefix(path, "/")
}

// UnmarshalYAML accepts `status: 404` and `status: [400, 422]`.
func (s *Statuses) UnmarshalYAML(unmarshal func(any) error) error {
	var one int
	if err := unmarshal(&one); err == nil {
		*s = Statuses{one}
		return nil
	}
	var many []int
	if err := unmarshal(&many); err != nil {
		return err
	}
	*s = many
	return nil
}

// UnmarshalJSON accepts 404 and [400, 422].
func (s *Statuses) UnmarshalJSON(b []byte) error {
	var one int
	if err := json.Unmarshal(b, &one); err == nil {
		*s = Statuses{one}
		return nil
	}
	var many []int
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("status must be an integer or a list of integers")
	}
	*s = many
	return nil
}

// MarshalJSON writes one status as a number and several as a list.
func (s Statuses) MarshalJSON() ([]byte, error) {
	if len(s) == 1 {
		return json.Marshal(s[0])
	}
	return json.Marshal([]int(s))
}

var wholeVar = regexp.MustCompile(`^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$`)

// expandEnv expands ${VAR} and $VAR in base_url and the auth keys, and
// records which variable each key came from.
func expandEnv(p *Profile, getenv func(string) string) {
	p.BaseURL = os.Expand(p.BaseURL, getenv)
	k := &p.Auth.Keys
	k.Env = map[string]string{}
	for role, s := range map[string]*string{KeyValid: &k.Valid, KeyRevoked: &k.Revoked,
		KeyExpired: &k.Expired, KeyNoScope: &k.NoScope, KeyOtherTenant: &k.OtherTenant} {
		if m := wholeVar.FindStringSubmatch(*s); m != nil {
			k.Env[role] = m[1] + m[2]
		}
		*s = os.Expand(*s, getenv)
	}
	a := &p.Auth
	if b := a.Basic; b != nil {
		b.UsernameEnv, b.PasswordEnv = wholeVarName(b.Username), wholeVarName(b.Password)
		b.Username, b.Password = os.Expand(b.Username, getenv), os.Expand(b.Password, getenv)
	}
	if o := a.OAuth2; o != nil {
		o.TokenURL = os.Expand(o.TokenURL, getenv)
		o.ClientID, o.ClientSecret = os.Expand(o.ClientID, getenv), os.Expand(o.ClientSecret, getenv)
	}
	t := &a.TLS
	t.Cert, t.Key, t.CACert = os.Expand(t.Cert, getenv), os.Expand(t.Key, getenv), os.Expand(t.CACert, getenv)
}

// wholeVarName is VAR when s is exactly ${VAR} or $VAR, else "".
func wholeVarName(s string) string {
	if m := wholeVar.FindStringSubmatch(s); m != nil {
		return m[1] + m[2]
	}
	return ""
}

// authDefaults: Basic credentials go in Authorization with the Basic
// scheme; a token (OAuth2, token_command) as Bearer unless the profile
// names another header or scheme.
func authDefaults(a *Auth) {
	switch {
	case a.Basic != nil:
		a.Header, a.Scheme = "Authorization", "Basic"
	case a.OAuth2 != nil || a.TokenCommand != "":
		a.Header = cmpOr(a.Header, "Authorization")
		if strings.EqualFold(a.Header, "Authorization") {
			a.Scheme = cmpOr(a.Scheme, "Bearer")
		}
	}
}

// applyDefaults fills the defaults the Profile field comments document.
func applyDefaults(p *Profile) {
	authDefaults(&p.Auth)
	if p.Auth.QueryParam == "" {
		p.Auth.QueryParam = "api_key"
	}
	if len(p.Envelope.ContentTypes) == 0 {
		p.Envelope.ContentTypes = []string{"application/json"}
	}
	if p.Idempotency.Header != "" && p.Idempotency.Concurrency == 0 {
		p.Idempotency.Concurrency = 5
	}
	rl := &p.RateLimit
	if rl.Headers == "" {
		rl.Headers = "none"
	}
	if rl.Headers == "legacy" {
		rl.LimitHeader = cmpOr(rl.LimitHeader, "X-RateLimit-Limit")
		rl.RemainingHeader = cmpOr(rl.RemainingHeader, "X-RateLimit-Remaining")
		rl.ResetHeader = cmpOr(rl.ResetHeader, "X-RateLimit-Reset")
	}
	if rl.Reset == "" {
		rl.Reset = "auto"
	}
	b := &rl.Burst
	b.Stated = b.MaxRequests != 0
	b.MaxRequests = cmpOr(b.MaxRequests, 1000)
	b.Concurrency = cmpOr(b.Concurrency, 8)
	b.MaxWait = cmpOr(b.MaxWait, "65s")
	c := &p.Endpoints.Create
	if c.Path != "" && c.Method == "" {
		c.Method = "POST"
	}
	if p.Endpoints.Scoped == "" && c.Path != "" {
		p.Endpoints.Scoped = c.Method + " " + c.Path
	}
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Problem is an error about the profile found after loading (a check id the
// profile names that the engine does not know, say), positioned like a
// loading error: file:line:col: path: msg. A *ProfileError (exit 2).
func (p *Profile) Problem(msg string, path ...string) error {
	if len(p.docs) == 0 {
		return fileError(p.Source, "%s: %s", strings.Join(path, "."), msg)
	}
	return newProfileError([]Problem{locate(p.docs, path, nil, msg)})
}
