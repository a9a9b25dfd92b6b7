package wire

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ParseBaseURL checks a base URL before anything is sent: http or https, a
// host, a port in 1–65535, and no query or fragment (probe paths are
// appended to it, so "?x=1" or "#f" would swallow them). Messages show the
// URL with its password redacted.
func ParseBaseURL(base string) (*url.URL, error) {
	if !strings.Contains(base, "://") {
		return nil, noScheme(base)
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %v", redactURL(base), urlErrText(err))
	}
	shown := u.Redacted()
	switch {
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("base URL %q: want http(s)://host[:port][/prefix]", shown)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("base URL %q: a query string is not allowed (probe paths are appended to the base URL; put the query in the profile's endpoints)", shown)
	case strings.Contains(base, "#"):
		return nil, fmt.Errorf("base URL %q: a fragment (#…) is not allowed", shown)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("base URL %q: port %s is out of range (1–65535)", shown, p)
		}
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("base URL %q: no host name", shown)
	}
	return u, nil
}

// noScheme says a base URL without a scheme ("127.0.0.1:8080",
// "api.example.com/v1") plainly, suggesting the http:// form; the value is
// shown only when it can hold no password (no "@").
func noScheme(base string) error {
	if strings.Contains(base, "@") || strings.ContainsAny(base, " \t\r\n") {
		return errors.New("base URL: no scheme; want http(s)://host[:port][/prefix]")
	}
	return fmt.Errorf("base URL %q has no scheme: want http(s)://host[:port][/prefix], e.g. http://%s", base, base)
}

// RedactURL is a URL as messages may show it: its password hidden, and
// nothing of it when it does not parse.
func RedactURL(s string) string { return redactURL(s) }

// redactURL hides the password of a URL that may not even parse.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparseable URL)"
}

// urlErrText is url.Parse's error without the URL it quotes (which may
// hold a password).
func urlErrText(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}
