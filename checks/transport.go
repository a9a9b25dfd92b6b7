package checks

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// TransportOptions tune NewTransport.
type TransportOptions struct {
	// Concurrency sizes the idle pool per host (keep-alive for every worker).
	Concurrency int
	// Timeout bounds the dial, the TLS handshake and the wait for headers.
	Timeout time.Duration
	// Proxy picks a proxy per request (http.ProxyFromEnvironment); nil: none.
	Proxy func(*http.Request) (*url.URL, error)
	// TLS overrides the TLS configuration (e.g. --insecure, --ca-cert).
	TLS *tls.Config
}

// NewTransport returns the one tuned transport a run sends through:
// keep-alive with an idle pool sized to the concurrency, bounded dial, TLS
// and header waits, HTTP/2 when the server offers it. It asks for no
// compression: bodies are recorded as sent, and a gzip bomb stays a small
// compressed body.
func NewTransport(o TransportOptions) *http.Transport {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	dialer := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                  o.Proxy,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		DisableCompression:     true,
		TLSClientConfig:        o.TLS,
		TLSHandshakeTimeout:    o.Timeout,
		ResponseHeaderTimeout:  o.Timeout,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           o.Concurrency * 2,
		MaxIdleConnsPerHost:    o.Concurrency,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 1 << 20,
	}
}

// budget is a RoundTripper that refuses to send more than max requests,
// however many goroutines share it.
type budget struct {
	next http.RoundTripper
	max  int64
	sent atomic.Int64
}

func newBudget(next http.RoundTripper, max int) *budget {
	return &budget{next: next, max: int64(max)}
}

func (b *budget) RoundTrip(r *http.Request) (*http.Response, error) {
	if !b.take() {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, errBudget
	}
	return b.next.RoundTrip(r)
}

// take reserves one request; false once the budget is spent.
func (b *budget) take() bool {
	for {
		n := b.sent.Load()
		if n >= b.max {
			return false
		}
		if b.sent.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// Sent is how many requests went out.
func (b *budget) Sent() int { return int(b.sent.Load()) }

// Left is how many requests the budget still allows.
func (b *budget) Left() int { return int(b.max - b.sent.Load()) }
