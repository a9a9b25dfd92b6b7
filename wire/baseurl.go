package wire

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ParseBaseURL checks a base URL before anything is sent: http or https, a
// host, a port in 1–65535, and no query or fragment (probe paths are
// appended to it, so "?x=1" or "#f" would swallow them). Messages show the
// URL with its password redacted.
func ParseBaseURL(base string) (*url.URL, error) { return CheckBaseURL("base URL", base) }

// CheckBaseURL is ParseBaseURL with its messages naming where the URL came
// from ("BASE_URL", "--learn", "base_url in p.yaml"): one line saying what
// is wrong and what is wanted, the URL's password never shown.
func CheckBaseURL(name, base string) (*url.URL, error) {
	if !strings.Contains(base, "://") {
		return nil, noScheme(name, base)
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %v; want http(s)://host[:port][/prefix]", name, redactURL(base), urlErrText(err))
	}
	shown := u.Redacted()
	switch {
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("%s %q: want http(s)://host[:port][/prefix]", name, shown)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("%s %q: a query string is not allowed (probe paths are appended to the base URL; put the query in the profile's endpoints)", name, shown)
	case strings.Contains(base, "#"):
		return nil, fmt.Errorf("%s %q: a fragment (#…) is not allowed", name, shown)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%s %q: port %s is out of range (1–65535)", name, shown, p)
		}
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%s %q: no host name", name, shown)
	}
	return u, nil
}

// noScheme says a base URL without a scheme ("127.0.0.1:8080",
// "api.example.com/v1") plainly and suggests the http:// form; a
// user:password in it is shown as "…@".
func noScheme(name, base string) error {
	shown := redactURL(base)
	return fmt.Errorf("%s %q has no scheme: add http:// (or https://), e.g. %q", name, shown, "http://"+shown)
}

// RedactURL is a URL as messages may show it: its password hidden, also
// when it does not parse.
func RedactURL(s string) string { return redactURL(s) }

// redactURL hides the password of a URL that may not even parse: one that
// does not loses everything before its last "@" after the scheme ("…@").
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil && (u.User != nil || !strings.Contains(s, "@")) {
		return u.Redacted()
	}
	at := strings.LastIndex(s, "@")
	if at < 0 {
		return s
	}
	scheme, _, ok := strings.Cut(s, "://")
	if !ok || len(scheme) > at {
		return "…" + s[at:]
	}
	return scheme + "://…" + s[at:]
}

// urlErrText is url.Parse's error without the URL it quotes (which may
// hold a password).
func urlErrText(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}
