package wire

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unsafe"
)

// TestReadBody_CutAsRead (T12): a body over max keeps only its first
// KeptOfTruncated bytes and its size (declared, or max where it was cut);
// one declared longer is not read past what is kept; a whole body is kept
// whole; a body that fails early is kept as far as it came. Root cause of
// T12: every stored exchange kept max (1 MiB) until the report was cut.
func TestReadBody_CutAsRead(t *testing.T) {
	t.Parallel()
	const max = 1 << 20
	type testCase struct {
		name       string
		r          io.Reader
		declared   int64
		keep, size int64
		truncated  bool
		err        bool
	}
	long := strings.Repeat("x", 3<<20)
	run := func(t *testing.T, tc testCase) {
		lr := &countingReader{r: tc.r}
		b, err := ReadBody(lr, max, tc.declared, nil)
		if (err != nil) != tc.err || int64(len(b.Text)) != tc.keep || b.Truncated != tc.truncated {
			t.Fatalf("kept %d, truncated %v, err %v; want %d, %v, err %v", len(b.Text), b.Truncated, err, tc.keep, tc.truncated, tc.err)
		}
		if size := max64(b.Length, int64(len(b.Text))); size != tc.size {
			t.Errorf("size %d, want %d", size, tc.size)
		}
		if lr.n > max+1 {
			t.Errorf("read %d bytes, past max+1", lr.n)
		}
	}
	for _, tc := range []testCase{
		{"whole", strings.NewReader("hello"), -1, 5, 5, false, false},
		{"whole, declared", strings.NewReader("hello"), 5, 5, 5, false, false},
		{"chunked, over max", strings.NewReader(long), -1, KeptOfTruncated, max, true, false},
		{"declared over max", strings.NewReader(long), int64(len(long)), KeptOfTruncated, int64(len(long)), true, false},
		{"exactly max", strings.NewReader(long[:max]), -1, max, max, false, false},
		{"fails early", io.MultiReader(strings.NewReader("abc"), errReader{}), -1, 3, 3, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestInterner_StoresABodyOnce: identical large bodies share one string.
func TestInterner_StoresABodyOnce(t *testing.T) {
	t.Parallel()
	var in Interner
	body := []byte(strings.Repeat("z", 8<<10))
	a, b := in.String(body), in.String(append([]byte(nil), body...))
	if unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("an identical body was stored twice")
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
