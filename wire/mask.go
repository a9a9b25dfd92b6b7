package wire

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/errprobe/errprobe/report"
)

// Mask hides a secret completely: no byte of it, not a type prefix such as
// "ek_live_" nor a trailing hint, is part of the result. Reports name the
// key by its environment variable instead.
func Mask(secret string) string { return "****" }

// Masker replaces every known secret (and its URL-escaped, JSON-escaped
// and base64 forms) in text.
type Masker struct {
	set     atomic.Pointer[maskSet]
	mu      sync.Mutex
	secrets []string
	// literals are masked as they are, without their other forms (the
	// base64 of a "Bearer KEY" header value).
	literals []string
}

// maskSet is what a masker replaces: every form of every secret.
type maskSet struct {
	forms []string // longest first
	r     *strings.Replacer
}

func NewMasker(secrets ...string) *Masker {
	m := &Masker{secrets: secrets}
	m.set.Store(newMaskSet(secrets, nil))
	return m
}

// Add masks secrets from now on (a token fetched during the run).
func (m *Masker) Add(secrets ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.secrets = append(m.secrets, secrets...)
	m.set.Store(newMaskSet(m.secrets, m.literals))
}

// AddLiteral masks each text from now on as it is, without deriving its
// URL-escaped, JSON or base64 forms: for texts that are already a form of
// a secret, such as the base64 of a header value carrying a key. Every
// form is one more scan of each body, so forms of forms are not added.
func (m *Masker) AddLiteral(texts ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.literals = append(m.literals, texts...)
	m.set.Store(newMaskSet(m.secrets, m.literals))
}

func newMaskSet(secrets, literals []string) *maskSet {
	seen := map[string]string{}
	for _, l := range literals {
		if len(l) >= 4 {
			seen[l] = Mask(l)
		}
	}
	for _, s := range secrets {
		if len(s) < 4 {
			continue
		}
		m := Mask(s)
		for _, form := range secretForms(s) {
			if len(form) >= 4 {
				seen[form] = m
			}
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
	return &maskSet{forms: forms, r: strings.NewReplacer(pairs...)}
}

// secretForms are the spellings of s a target may echo: as is, URL-escaped
// (query and path style, %20 or + for a space, upper- or lower-case hex),
// JSON-escaped, and base64 (alone and as a Basic credential).
func secretForms(s string) []string {
	q := url.QueryEscape(s)
	forms := []string{s}
	for _, e := range []string{q, url.PathEscape(s), strings.ReplaceAll(q, "+", "%20")} {
		forms = append(forms, e, lowerEscapes(e))
	}
	forms = append(forms, base64.StdEncoding.EncodeToString([]byte(s+":")))
	forms = append(forms, Base64Forms(s)...)
	if b, err := json.Marshal(s); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	return forms
}

// lowerEscapes lower-cases the hex digits of %XX escapes.
func lowerEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerHex(b[i+1]), lowerHex(b[i+2])
		}
	}
	return string(b)
}

func lowerHex(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

func (m *Masker) String(s string) string {
	if m == nil || s == "" {
		return s
	}
	set := m.set.Load()
	if !set.holds(s) {
		return s // no copy: bodies can be large
	}
	return set.r.Replace(s)
}

// holds reports whether s contains any secret form.
func (m *maskSet) holds(s string) bool {
	for _, f := range m.forms {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// Exchange masks every secret in a recorded exchange, in place.
func (m *Masker) Exchange(ex *report.Exchange) {
	if ex == nil {
		return
	}
	m.request(&ex.Request)
	ex.Err = m.String(ex.Err)
	if ex.Response != nil {
		m.header(ex.Response.Header)
		ex.Response.Body = m.String(ex.Response.Body)
	}
}

func (m *Masker) request(r *report.Request) {
	r.URL = m.String(r.URL)
	r.Body = m.String(r.Body)
	m.header(r.Header)
}

func (m *Masker) header(h map[string][]string) {
	for k, vs := range h {
		for i, v := range vs {
			vs[i] = m.String(v)
		}
		h[k] = vs
	}
}

// Report masks every text a report carries, in place: whatever path a
// secret took into a message (a status line, a transport error, a
// target's echo), no output shows it.
func (m *Masker) Report(r *report.Report) {
	r.BaseURL = m.String(r.BaseURL)
	r.Stopped = m.String(r.Stopped)
	for i := range r.Results {
		res := &r.Results[i]
		res.Message, res.Expected, res.Actual = m.String(res.Message), m.String(res.Expected), m.String(res.Actual)
		res.Code, res.Header = m.String(res.Code), m.String(res.Header)
		m.Exchange(res.Exchange)
		for _, x := range res.Setup {
			m.Exchange(x)
		}
	}
	for _, x := range r.Exchanges {
		m.Exchange(x)
	}
	for i := range r.Planned {
		m.request(&r.Planned[i])
	}
	for i, l := range r.Leftovers {
		r.Leftovers[i] = m.String(l)
	}
}

// URLSecrets are the secrets a URL carries: its password, user:password
// (sent as Basic) and that pair base64-encoded; none without a password.
func URLSecrets(u *url.URL) []string {
	pw, ok := u.User.Password()
	if !ok || pw == "" {
		return nil
	}
	user := u.User.Username()
	return []string{pw, user + ":" + pw, url.UserPassword(user, pw).String(),
		base64.StdEncoding.EncodeToString([]byte(user + ":" + pw))}
}

// Base64Forms are s base64-encoded (standard, unpadded, URL-safe). A
// caller masks a header value that carries a key ("Bearer KEY") by these
// forms only: its raw form would mask the scheme with the key.
func Base64Forms(s string) []string {
	return []string{
		base64.StdEncoding.EncodeToString([]byte(s)),
		base64.RawStdEncoding.EncodeToString([]byte(s)),
		base64.URLEncoding.EncodeToString([]byte(s)),
	}
}
