package reporters

import (
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/errprobe/errprobe/report"
)

// QueryKeyPrefix marks a Request.KeyHeader that names a query parameter
// rather than a header: "query:api_key" means the key rode in ?api_key=.
const QueryKeyPrefix = "query:"

// skipHeaders are set by curl itself.
var skipHeaders = map[string]bool{"Content-Length": true, "Host": true}

// Curl renders a copy-pasteable curl command that reproduces req. The API
// key is written as $KEYENV (e.g. $ERRPROBE_API_KEY), never as its value,
// keeping any scheme prefix: -H "Authorization: Bearer $ERRPROBE_API_KEY".
// Lines are joined with " \" continuations.
func Curl(req report.Request) string {
	parts := []string{"curl -sS -i"}
	switch req.Method {
	case http.MethodHead:
		// -X HEAD would wait for a body that never comes; -I asks for HEAD.
		parts = []string{"curl -sS -I"}
	case "", http.MethodGet:
	default:
		parts = append(parts, "-X "+shellQuote(req.Method))
	}
	parts = append(parts, curlURL(req))
	for _, name := range sortedKeys(req.Header) {
		if skipHeaders[http.CanonicalHeaderKey(name)] {
			continue
		}
		for _, v := range req.Header[name] {
			if basicKey(req, name, v) {
				// curl builds the Basic credential itself from user:password.
				parts = append(parts, "-u "+doubleQuote("$"+req.KeyEnv, req.KeyEnv))
				continue
			}
			parts = append(parts, "-H "+curlHeader(req, name, v))
		}
	}
	if req.Body != "" {
		parts = append(parts, "--data-binary "+shellQuote(req.Body))
	}
	return strings.Join(parts, " \\\n  ")
}

func curlURL(req report.Request) string {
	param, ok := strings.CutPrefix(req.KeyHeader, QueryKeyPrefix)
	if !ok || req.KeyEnv == "" || param == "" {
		return shellQuote(req.URL)
	}
	base, query, _ := strings.Cut(req.URL, "?")
	var kept []string
	for _, kv := range strings.Split(query, "&") {
		if k, _, _ := strings.Cut(kv, "="); k != param && kv != "" {
			kept = append(kept, kv)
		}
	}
	kept = append(kept, param+"=$"+req.KeyEnv)
	return doubleQuote(base+"?"+strings.Join(kept, "&"), req.KeyEnv)
}

// basicKey: the key header carries a Basic credential whose user:password
// is in $KEYENV (or, for the valid user, "$USERVAR:$PASSVAR").
func basicKey(req report.Request, name, value string) bool {
	return req.KeyEnv != "" && strings.EqualFold(name, req.KeyHeader) && strings.HasPrefix(value, "Basic ")
}

func curlHeader(req report.Request, name, value string) string {
	if req.KeyEnv == "" || !strings.EqualFold(name, req.KeyHeader) {
		return shellQuote(name + ": " + value)
	}
	prefix := ""
	if i := strings.LastIndexByte(value, ' '); i >= 0 {
		prefix = value[:i+1] // keep the scheme: "Bearer "
	}
	return doubleQuote(name+": "+prefix+"$"+req.KeyEnv, req.KeyEnv)
}

var dquoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")

// doubleQuote quotes s for a POSIX shell in double quotes, escaping every
// $ except the one that starts $env.
func doubleQuote(s, env string) string {
	ref := "$" + env
	pieces := strings.Split(s, ref)
	for i, p := range pieces {
		pieces[i] = dquoteEscaper.Replace(p)
	}
	return `"` + strings.Join(pieces, ref) + `"`
}

// shellQuote quotes s for a POSIX shell: single quotes when s is printable
// UTF-8, bash's $'…' with escapes when it holds control bytes or invalid
// UTF-8.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	if isShellSafe(s) {
		return s
	}
	if utf8.ValidString(s) && !strings.ContainsFunc(s, isControl) {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return ansiCQuote(s)
}

// isShellSafe reports whether s needs no quoting at all.
func isShellSafe(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-.,/:@%+=", r)) {
			return false
		}
	}
	return true
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

func ansiCQuote(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == utf8.RuneError && size == 1) || isControl(r):
			for _, c := range []byte(s[i : i+size]) {
				b.WriteString(`\x`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('\'')
	return b.String()
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
