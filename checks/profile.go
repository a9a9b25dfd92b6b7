package checks

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

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

func profileKeys(p *schemas.Profile) map[role]string {
	k := p.Auth.Keys
	return map[role]string{
		roleValid:       k.Valid,
		roleRevoked:     k.Revoked,
		roleExpired:     k.Expired,
		roleNoScope:     k.NoScope,
		roleOtherTenant: k.OtherTenant,
	}
}

// missingKey explains why a key-dependent probe is skipped.
func missingKey(p *schemas.Profile, r role) string {
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

func createMethod(p *schemas.Profile) string {
	if m := p.Endpoints.Create.Method; m != "" {
		return strings.ToUpper(m)
	}
	return "POST"
}

func itemPath(p *schemas.Profile, id string) string {
	return strings.ReplaceAll(p.Endpoints.Item, "{id}", id)
}

// expectation is what a probe expects: one of these codes, each with its
// statuses from the code table.
type expectation struct {
	codes    []string
	statuses map[string][]int
}

// expect reads the profile's expect table for situations (any of them).
func expect(p *schemas.Profile, situations ...string) (expectation, bool) {
	e := expectation{statuses: map[string][]int{}}
	for _, s := range situations {
		code, ok := p.Expect[s]
		if !ok || code == "" {
			continue
		}
		if _, dup := e.statuses[code]; dup {
			continue
		}
		e.codes = append(e.codes, code)
		e.statuses[code] = []int(p.Codes[code].Status)
	}
	return e, len(e.codes) > 0
}

func (e expectation) String() string {
	var parts []string
	for _, c := range e.codes {
		parts = append(parts, statusList(e.statuses[c])+" "+c)
	}
	return strings.Join(parts, " or ")
}

// allows reports whether status and code meet the expectation.
func (e expectation) allows(status int, code string) bool {
	for _, c := range e.codes {
		if c == code && containsInt(e.statuses[c], status) {
			return true
		}
	}
	return false
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
