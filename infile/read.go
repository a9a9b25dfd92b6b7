package infile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// DefaultMax caps a file read with Read when the caller gives no cap.
const DefaultMax = 4 << 20

// ErrTooLarge is what Read and Capped report past their cap.
var ErrTooLarge = errors.New("too large")

// Read returns the contents of the regular file at path, at most max bytes
// (DefaultMax when max <= 0). Anything else is an error whose text names
// why and never quotes the contents: "not a regular file (a named pipe)",
// "larger than 4 MiB", or the system's reason ("no such file or
// directory"). Callers prefix the file's name and role.
func Read(path string, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultMax
	}
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, reason(err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: larger than %s, not read", ErrTooLarge, Size(max))
	}
	return b, nil
}

// Open opens path for reading only if it is a regular file. It never
// blocks: the file is opened non-blocking (a FIFO with no writer opens at
// once) and checked before anything is read.
func Open(path string) (*os.File, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, reason(err)
	} else if err := regular(fi); err != nil {
		return nil, err
	}
	f, err := openNonblock(path)
	if err != nil {
		return nil, reason(err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = regular(fi)
	}
	if err != nil {
		f.Close()
		return nil, reason(err)
	}
	return f, nil
}

// regular refuses anything but a regular file, naming what it is.
func regular(fi fs.FileInfo) error {
	m := fi.Mode()
	if m.IsRegular() {
		return nil
	}
	kind := "a special file"
	switch {
	case m.IsDir():
		kind = "a directory"
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m&fs.ModeCharDevice != 0:
		kind = "a character device"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	}
	return fmt.Errorf("not a regular file (%s)", kind)
}

// reason drops the path an *os.PathError repeats: callers name the file.
func reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Size renders a byte count for messages: "4 MiB", "512 KiB", "100 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
