package wire

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptrace"
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
		DialContext:            wireDialer(dialer.DialContext),
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

// Budget is a RoundTripper that refuses to send more than max requests,
// however many goroutines share it.
type Budget struct {
	Next http.RoundTripper
	max  int64
	sent atomic.Int64
}

func NewBudget(next http.RoundTripper, max int) *Budget {
	return &Budget{Next: next, max: int64(max)}
}

func (b *Budget) RoundTrip(r *http.Request) (*http.Response, error) {
	if !b.Take() {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, ErrBudget
	}
	return b.Next.RoundTrip(r.WithContext(httptrace.WithClientTrace(r.Context(), b.retries())))
}

// retries counts the transport's own retries at the wire. http.Transport
// sends an idempotent request again, on another connection, when a reused
// one dies before the answer (a server closing keep-alive connections):
// the server sees each attempt. Every connection after the first one a
// request gets takes one more request from the budget; once it is spent,
// the connection refuses the write, so the server never sees more than max.
func (b *Budget) retries() *httptrace.ClientTrace {
	var attempts atomic.Int32
	return &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if attempts.Add(1) == 1 || b.Take() {
			return
		}
		if wc := asWireConn(info.Conn); wc != nil {
			wc.refuse.Store(true)
		}
	}}
}

// wireConn is a connection of the run's transport; refuse makes its next
// write fail without sending a byte (a retry over the budget).
type wireConn struct {
	net.Conn
	refuse atomic.Bool
}

func (c *wireConn) Write(p []byte) (int, error) {
	if c.refuse.Swap(false) {
		return 0, ErrBudget
	}
	return c.Conn.Write(p)
}

func wireDialer(dial func(context.Context, string, string) (net.Conn, error)) func(context.Context, string, string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &wireConn{Conn: c}, nil
	}
}

// asWireConn finds the wireConn under c (TLS included); nil for HTTP/2,
// whose connection carries other streams and which retries only requests
// the server refused unprocessed.
func asWireConn(c net.Conn) *wireConn {
	if tc, ok := c.(*tls.Conn); ok {
		if tc.ConnectionState().NegotiatedProtocol == "h2" {
			return nil
		}
		c = tc.NetConn()
	}
	wc, _ := c.(*wireConn)
	return wc
}

// Take reserves one request; false once the budget is spent.
func (b *Budget) Take() bool {
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

// Count records n requests sent before this budget existed (the
// document of --openapi URL) as sent: they use up the same ceiling.
func (b *Budget) Count(n int) { b.sent.Add(int64(n)) }

// Sent is how many requests went out.
func (b *Budget) Sent() int { return int(b.sent.Load()) }

// Left is how many requests the budget still allows.
func (b *Budget) Left() int { return int(b.max - b.sent.Load()) }
