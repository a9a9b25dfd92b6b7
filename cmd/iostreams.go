package cmd

import (
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
)

// IO is the outside world as the commands see it. System() is the real one;
// tests build their own with buffers, a fixed environment and a fixed clock.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// OutTTY and ErrTTY say whether Out and Err are terminals.
	OutTTY bool
	ErrTTY bool
	Getenv func(string) string
	Now    func() time.Time
	// Getwd is the working directory profile discovery starts from (nil: os.Getwd).
	Getwd func() (string, error)
}

// wd returns the working directory ("" if it cannot be read).
func (io *IO) wd() string {
	getwd := io.Getwd
	if getwd == nil {
		getwd = os.Getwd
	}
	d, err := getwd()
	if err != nil {
		return ""
	}
	return d
}

// System returns the process's real IO.
func System() *IO {
	return &IO{
		In:     os.Stdin,
		Out:    os.Stdout,
		Err:    os.Stderr,
		OutTTY: isatty.IsTerminal(os.Stdout.Fd()),
		ErrTTY: isatty.IsTerminal(os.Stderr.Fd()),
		Getenv: os.Getenv,
		Now:    time.Now,
		Getwd:  os.Getwd,
	}
}
