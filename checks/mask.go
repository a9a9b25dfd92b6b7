package checks

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// Mask hides a secret: short secrets become "****"; longer ones keep a
// non-secret prefix (up to the first '_' group, e.g. "ek_live_") and at most
// four trailing characters: "ek_live_…2345".
func Mask(secret string) string {
	if len(secret) < 16 {
		return "****"
	}
	prefix := ""
	if i := strings.LastIndexAny(secret[:len(secret)/3], "_-"); i >= 0 {
		prefix = secret[:i+1]
	}
	return prefix + "…" + secret[len(secret)-4:]
}

// masker replaces every known secret (and its URL and base64 forms) in text.
type masker struct {
	r *strings.Replacer
}

func newMasker(secrets ...string) *masker {
	seen := map[string]string{}
	for _, s := range secrets {
		if len(s) < 4 {
			continue
		}
		m := Mask(s)
		for _, form := range []string{
			s,
			url.QueryEscape(s),
			base64.StdEncoding.EncodeToString([]byte(s + ":")),
			base64.StdEncoding.EncodeToString([]byte(s)),
			base64.RawStdEncoding.EncodeToString([]byte(s)),
		} {
			seen[form] = m
		}
	}
	forms := make([]string, 0, len(seen))
	for f := range seen {
		forms = append(forms, f)
	}
	// Longest first so a secret's longer form wins over its prefix.
	sort.Slice(forms, func(i, j int) bool {
		if len(forms[i]) != len(forms[j]) {
			return len(forms[i]) > len(forms[j])
		}
		return forms[i] < forms[j]
	})
	var pairs []string
	for _, f := range forms {
		pairs = append(pairs, f, seen[f])
	}
	return &masker{r: strings.NewReplacer(pairs...)}
}

func (m *masker) String(s string) string {
	if m == nil || s == "" {
		return s
	}
	return m.r.Replace(s)
}

// Exchange masks every secret in a recorded exchange, in place.
func (m *masker) Exchange(ex *Exchange) {
	ex.Request.URL = m.String(ex.Request.URL)
	ex.Request.Body = m.String(ex.Request.Body)
	m.header(ex.Request.Header)
	ex.Err = m.String(ex.Err)
	if ex.Response != nil {
		m.header(ex.Response.Header)
		ex.Response.Body = m.String(ex.Response.Body)
	}
}

func (m *masker) header(h map[string][]string) {
	for k, vs := range h {
		for i, v := range vs {
			vs[i] = m.String(v)
		}
		h[k] = vs
	}
}
