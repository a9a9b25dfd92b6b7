package infile

import (
	"bytes"
	"fmt"
)

// Capped is an io.Writer that keeps at most Max bytes: a command's
// standard output, read while the command runs. Past the cap it keeps
// nothing more and its writes fail, which ends the copy from the command
// (the command then dies of a broken pipe rather than filling memory).
type Capped struct {
	Max  int64
	buf  bytes.Buffer
	over bool
}

func (c *Capped) Write(p []byte) (int, error) {
	if c.over || int64(c.buf.Len())+int64(len(p)) > c.Max {
		c.over = true
		return 0, fmt.Errorf("%w: printed more than %s", ErrTooLarge, Size(c.Max))
	}
	return c.buf.Write(p)
}

// Bytes is what was kept.
func (c *Capped) Bytes() []byte { return c.buf.Bytes() }

// Over reports output past the cap.
func (c *Capped) Over() bool { return c.over }
