package wire

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxRedirects bounds the redirects followed with Config.FollowRedirects.
const maxRedirects = 5

// HostGuard is the run's outermost RoundTripper: a request to any scheme
// and host but the base URL's is refused before it reaches the budget or
// the network, so a redirect or an absolute URL in a response can never
// carry a key elsewhere.
type HostGuard struct {
	Next http.RoundTripper
	Base *url.URL
}

func (g HostGuard) RoundTrip(r *http.Request) (*http.Response, error) {
	if !sameOrigin(r.URL, g.Base) {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, ErrOffHost
	}
	return g.Next.RoundTrip(r)
}

// sameOrigin reports whether u has base's scheme and host (port included).
func sameOrigin(u, base *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Host, base.Host)
}

// RedirectPolicy is the client's CheckRedirect: by default a redirect is
// the response (recorded, not followed); with follow, redirects within the
// base URL's origin are followed up to maxRedirects, and one to another
// origin is the response.
func RedirectPolicy(follow bool, base *url.URL) func(*http.Request, []*http.Request) error {
	return func(r *http.Request, via []*http.Request) error {
		if !follow || len(via) > maxRedirects || !sameOrigin(r.URL, base) {
			return http.ErrUseLastResponse
		}
		return nil
	}
}

// CredentialClient is the client for requests that carry credentials
// outside the probes (an OAuth2 token request): the same host guard and
// budget as the probes, pinned to target's scheme and host, and no
// redirect followed at all — a 3xx is the answer, so a grant or a client
// secret never travels to another URL. timeout bounds the whole request.
func CredentialClient(budget http.RoundTripper, target *url.URL, timeout time.Duration) *http.Client {
	return &http.Client{
		Transport:     HostGuard{Next: budget, Base: target},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       timeout,
	}
}

// IsLoopback reports a host name or address that never leaves the machine
// (localhost, 127.0.0.0/8, ::1).
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
