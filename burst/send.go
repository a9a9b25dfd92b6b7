package burst

import (
	"context"
	"io"
	"net"
	"net/http"

	"github.com/errprobe/errprobe/wire"
)

// burstSender sends a burst's one request, again and again, for one worker.
// There are two: connSender speaks HTTP/1.1 itself over one keep-alive
// connection (plain http:// without a proxy, what a local or CI target
// usually is), and rtSender goes through the configured RoundTripper
// (https, proxies, HTTP/2, a test's transport).
type burstSender interface {
	// send returns the response with its body unread, or a transport
	// error; wire.ErrBudget once the run's request budget is spent.
	send() (*http.Response, error)
	// finish releases resp; clean says its body was read to the end, so
	// the connection can carry the next request.
	finish(resp *http.Response, clean bool)
	// close releases the sender's connection.
	close()
}

// newSender picks the sender for one worker: connSender where the request
// can go straight to the host, rtSender otherwise.
func newSender(ctx context.Context, cfg Config) (burstSender, error) {
	req, err := http.NewRequestWithContext(ctx, cfg.Method, cfg.URL, nil)
	if err != nil {
		return nil, err
	}
	req.Header = cfg.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if s, ok := directSender(ctx, cfg, req); ok {
		return s, nil
	}
	return &rtSender{rt: cfg.Transport, req: req}, nil
}

// directSender returns a connSender when cfg's transport is a plain
// *http.Transport (or the run's budget around one) that would send req
// over HTTP/1.1 to the host itself, with no proxy.
func directSender(ctx context.Context, cfg Config, req *http.Request) (burstSender, bool) {
	var take func() bool
	rt := cfg.Transport
	if b, ok := rt.(*wire.Budget); ok {
		take, rt = b.Take, b.Next
	}
	tr, ok := rt.(*http.Transport)
	if !ok || req.URL.Scheme != "http" || req.URL.User != nil {
		return nil, false
	}
	if tr.Proxy != nil {
		if u, err := tr.Proxy(req); err != nil || u != nil {
			return nil, false
		}
	}
	dial := tr.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: cfg.Timeout}).DialContext
	}
	maxHeader := tr.MaxResponseHeaderBytes
	if maxHeader <= 0 {
		maxHeader = 1 << 20
	}
	s, err := newConnSender(ctx, req, dial, take, maxHeader, cfg.MaxBody)
	return s, err == nil
}

// rtSender sends through a RoundTripper, reusing one request.
type rtSender struct {
	rt  http.RoundTripper
	req *http.Request
}

func (s *rtSender) send() (*http.Response, error) { return s.rt.RoundTrip(s.req) }

// finish closes the body: read to the end, the transport keeps the
// connection; otherwise it closes it rather than drain a hostile body.
func (s *rtSender) finish(resp *http.Response, _ bool) { resp.Body.Close() }

func (s *rtSender) close() {}

// readBody reads r into dst, at most max bytes. truncated: there was more;
// clean: the body ended (io.EOF) within max, so the connection is reusable.
func readBody(r io.Reader, dst []byte, max int64) (body []byte, truncated, clean bool) {
	for {
		if int64(len(dst)) >= max {
			var one [1]byte
			n, err := r.Read(one[:])
			return dst[:max], n > 0, n == 0 && err == io.EOF
		}
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		limit := min(int64(cap(dst)), max)
		n, err := r.Read(dst[len(dst):limit])
		dst = dst[:len(dst)+n]
		if err != nil {
			return dst, false, err == io.EOF
		}
	}
}
