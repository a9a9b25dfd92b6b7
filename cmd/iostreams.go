package cmd

import (
	"io"
	"os"
	"strconv"
	"time"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"

	"github.com/errprobe/errprobe/clock"
	"github.com/errprobe/errprobe/reporters"
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
	// ErrWidth is the width of the terminal on Err in columns (0 unknown).
	ErrWidth func() int
	// OutWidth is the width of the terminal on Out in columns (0 unknown
	// or not a terminal); COLUMNS, when set, overrides it (outWidth).
	OutWidth func() int
	Getenv   func(string) string
	Now      func() time.Time
	// Clock is a run's time, its waits included (nil: the wall clock, read
	// through Now). demo makes its own, shared with its server, unless this
	// is set (tests pass a clock.Fake).
	Clock clock.Clock
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
		In:       os.Stdin,
		Out:      os.Stdout,
		Err:      os.Stderr,
		OutTTY:   isatty.IsTerminal(os.Stdout.Fd()),
		ErrTTY:   isatty.IsTerminal(os.Stderr.Fd()),
		ErrWidth: termWidth(os.Stderr),
		OutWidth: termWidth(os.Stdout),
		Getenv:   os.Getenv,
		Now:      time.Now,
		Getwd:    os.Getwd,
	}
}

// termWidth reads the width of the terminal f is, 0 when it is none.
func termWidth(f *os.File) func() int {
	return func() int {
		w, _, err := term.GetSize(int(f.Fd()))
		if err != nil {
			return 0
		}
		return w
	}
}

// outWidth is the width the stdout text report wraps to: COLUMNS when it
// is a positive number, else the terminal's width (0: no terminal, no wrap).
func (io *IO) outWidth() int {
	if n, err := strconv.Atoi(io.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if io.OutWidth == nil {
		return 0
	}
	return io.OutWidth()
}

// progressOptions says how the live progress may be shown on Err: off with
// -q and -v; on a terminal one line, cut to its width, with escape
// sequences only when the color rules allow them on stderr; elsewhere a
// heartbeat line during long work.
func (io *IO) progressOptions(quiet, verbose, noColor bool) reporters.ProgressOptions {
	return reporters.ProgressOptions{
		Enabled: !quiet && !verbose,
		TTY:     io.ErrTTY,
		Escapes: io.ErrTTY && colorOn(io.Getenv, io.ErrTTY, noColor),
		Width:   io.ErrWidth,
		Now:     io.Now,
	}
}
