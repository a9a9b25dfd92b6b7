package burst

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/errprobe/errprobe/wire"
)

// connSender is one worker's HTTP/1.1 keep-alive connection. The request is
// serialised once (by net/http's own writer) and written as is each time;
// responses are parsed by net/http's own reader. That leaves out what a
// burst does not need from http.Transport per request — a connection pool,
// the hand-offs between the caller's, the writer's and the reader's
// goroutines, the request's header write — and halves the client's CPU per
// request, which on a machine shared with the server is throughput.
type connSender struct {
	ctx  context.Context
	req  *http.Request // for ReadResponse: the method decides whether there is a body
	wire []byte        // the serialised request
	addr string
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
	take func() bool // the run's request budget; nil: none
	// maxHeader and maxBody cap the bytes read for a response's head and
	// body, so a hostile server cannot grow the reader without bound.
	maxHeader, maxBody int64

	conn   net.Conn
	lr     limitReader
	br     *bufio.Reader
	stop   func() bool // unregisters the close-on-cancel hook
	reused bool        // conn already carried a response
}

func newConnSender(ctx context.Context, req *http.Request, dial func(context.Context, string, string) (net.Conn, error), take func() bool, maxHeader, maxBody int64) (*connSender, error) {
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		return nil, err
	}
	addr := req.URL.Host
	if req.URL.Port() == "" {
		addr = net.JoinHostPort(req.URL.Hostname(), "80")
	}
	s := &connSender{ctx: ctx, req: req, wire: wire.Bytes(), addr: addr, dial: dial, take: take, maxHeader: maxHeader, maxBody: maxBody}
	s.br = bufio.NewReaderSize(&s.lr, 8<<10)
	return s, nil
}

// send writes the request and reads the response's head. A reused
// connection the server closed before answering (keep-alive timeout) is
// redialled once, as http.Transport retries an idempotent request.
func (s *connSender) send() (*http.Response, error) {
	if s.take != nil && !s.take() {
		return nil, wire.ErrBudget
	}
	for attempt := 0; ; attempt++ {
		if attempt > 0 && s.take != nil && !s.take() {
			return nil, wire.ErrBudget // the redial is a request the server sees too
		}
		if s.conn == nil {
			if err := s.connect(); err != nil {
				return nil, err
			}
		}
		reused := s.reused
		resp, err := s.exchange()
		if err == nil {
			return resp, nil
		}
		s.close()
		if !reused || attempt > 0 || s.lr.read > 0 || s.ctx.Err() != nil || !idempotent(s.req.Method) {
			return nil, err
		}
	}
}

func (s *connSender) exchange() (*http.Response, error) {
	s.lr.read = 0
	if _, err := s.conn.Write(s.wire); err != nil {
		return nil, err
	}
	for informational := 0; ; informational++ {
		s.lr.n = s.maxHeader
		resp, err := http.ReadResponse(s.br, s.req)
		if err != nil {
			if s.lr.n <= 0 {
				err = fmt.Errorf("server response headers exceeded %d bytes; aborted", s.maxHeader)
			}
			return nil, err
		}
		// The body gets its own allowance: readBody stops at maxBody+1
		// bytes, chunked framing may double them.
		s.lr.n = wire.SatAdd(wire.SatAdd(s.maxBody, s.maxBody), 64<<10)
		// 1xx informational responses (103 Early Hints) precede the answer.
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			if informational == 5 { // as many as http.Transport accepts
				return nil, errors.New("too many 1xx informational responses")
			}
			continue
		}
		s.reused = true
		return resp, nil
	}
}

func (s *connSender) connect() error {
	c, err := s.dial(s.ctx, "tcp", s.addr)
	if err != nil {
		return err
	}
	s.conn, s.reused = c, false
	s.lr.r = c
	s.br.Reset(&s.lr)
	// The burst's watchdog and an interrupt end the burst by cancelling
	// ctx: that closes the connection, which ends a blocked read.
	s.stop = context.AfterFunc(s.ctx, func() { c.Close() })
	return nil
}

// finish keeps the connection for the next request when the body was read
// to its end and the server did not ask to close.
func (s *connSender) finish(resp *http.Response, clean bool) {
	if !clean || resp.Close || resp.StatusCode == http.StatusSwitchingProtocols {
		s.close()
	}
}

func (s *connSender) close() {
	if s.conn == nil {
		return
	}
	s.stop()
	s.conn.Close()
	s.conn, s.lr.r = nil, nil
}

func idempotent(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

var errResponseTooLarge = errors.New("response too large")

// limitReader reads from r until n bytes are spent, then fails.
type limitReader struct {
	r    net.Conn
	n    int64
	read int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errResponseTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	k, err := l.r.Read(p)
	l.n -= int64(k)
	l.read += int64(k)
	return k, err
}
