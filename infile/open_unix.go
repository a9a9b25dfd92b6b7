//go:build unix

package infile

import (
	"os"
	"syscall"
)

// openNonblock opens read-only with O_NONBLOCK, so opening a FIFO that
// appeared after the Stat does not wait for a writer.
func openNonblock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
