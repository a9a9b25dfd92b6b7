package wire

import (
	"errors"
	"io"
	"sync"
)

// KeptOfTruncated caps what is kept of a body longer than --max-body: such
// a body is judged truncated whatever its first bytes say, and reports show
// at most 16 KiB of it, so keeping the whole --max-body of every such
// exchange until the report is written only costs memory (1 MiB each).
const KeptOfTruncated = 64 << 10

// Body is a response body as read: Text is all of it up to max, or the
// first bytes of a longer one (Truncated; Length its size as declared by
// Content-Length, else max, where it was cut).
type Body struct {
	Text      string
	Truncated bool
	Length    int64
}

// ReadBody reads a response body up to max bytes. A body declared longer
// than max (Content-Length) is not read past what is kept of it; one that
// turns out longer while read stops at max+1. Either way only
// KeptOfTruncated bytes (or max, if smaller) are kept. A body that fails
// before its end (timeout, reset) is kept as far as it came, Truncated,
// with the error.
//
// Bodies go through in (when not nil), so a run whose target answers the
// same large body again and again — a gzip bomb a little under max —
// stores it once.
func ReadBody(r io.Reader, max, contentLength int64, in *Interner) (Body, error) {
	keep := min(max, KeptOfTruncated)
	if contentLength > max {
		buf := make([]byte, keep)
		n, err := io.ReadFull(r, buf)
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF // shorter than declared
		}
		return Body{Text: in.String(buf[:n]), Truncated: true, Length: contentLength}, err
	}
	size := int64(32 << 10)
	if contentLength >= 0 {
		size = contentLength + 1
	}
	buf := make([]byte, 0, min(size, SatAdd(max, 1)))
	for int64(len(buf)) <= max {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), SatAdd(max, 1))])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return Body{Text: in.String(buf)}, nil
		}
		if err != nil {
			return Body{Text: in.String(buf), Truncated: true, Length: int64(len(buf))}, err
		}
	}
	return Body{Text: in.String(buf[:keep]), Truncated: true, Length: max}, nil
}

// internMin is the size from which bodies are interned: smaller ones cost
// less than the lookup is worth.
const internMin = 4 << 10

// Interner stores each distinct large body once; safe for concurrent use.
// A nil *Interner copies every body.
type Interner struct {
	mu sync.Mutex
	m  map[string]string
}

// String returns b as a string, the one already stored when an identical
// body of at least internMin bytes was seen before.
func (in *Interner) String(b []byte) string {
	if in == nil || len(b) < internMin {
		return string(b)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if s, ok := in.m[string(b)]; ok { // no allocation for the lookup
		return s
	}
	if in.m == nil {
		in.m = map[string]string{}
	}
	s := string(b)
	in.m[s] = s
	return s
}
