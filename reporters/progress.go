package reporters

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/errprobe/errprobe/checks"
)

// HeartbeatEvery is the least time between two heartbeat lines.
const HeartbeatEvery = 10 * time.Second

// ProgressOptions say what the progress stream can take.
type ProgressOptions struct {
	// Enabled is false for -q and -v (whose lines are the progress).
	Enabled bool
	// TTY: stderr is a terminal, so one line is redrawn in place. Otherwise
	// a plain heartbeat line is printed at most every HeartbeatEvery, and
	// never on a run shorter than that.
	TTY bool
	// Escapes allows ANSI sequences (erase line) on the terminal; without
	// them a redraw is a carriage return and spaces.
	Escapes bool
	// Width is the terminal's width in columns (0: unknown, 80 assumed).
	Width func() int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Progress is the live progress on stderr: the suite running, requests
// sent, during the burst its rate and the 429s seen, and during a wait
// what is awaited, the time left and the cap. On a terminal it is one line
// redrawn in place and cut to the width (never wrapped); elsewhere (CI) it
// is a heartbeat line during long work. Safe for concurrent use; a nil or
// disabled Progress writes nothing.
type Progress struct {
	mu    sync.Mutex
	w     io.Writer
	o     ProgressOptions
	start time.Time
	beat  time.Time // last heartbeat
	last  string    // the line on screen (TTY)
	drawn int       // its width in columns
}

// NewProgress returns the progress stream on w.
func NewProgress(w io.Writer, o ProgressOptions) *Progress {
	if o.Now == nil {
		o.Now = time.Now
	}
	now := o.Now()
	return &Progress{w: w, o: o, start: now, beat: now}
}

// Update shows s: a redraw on a terminal (an unchanged line is not
// rewritten), else a heartbeat line when HeartbeatEvery has passed since the
// start or the last one.
func (p *Progress) Update(s checks.Progress) {
	if p == nil || !p.o.Enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.o.TTY {
		now := p.o.Now()
		if now.Sub(p.beat) < HeartbeatEvery {
			return
		}
		p.beat = now
		fmt.Fprintf(p.w, "errprobe: %s · %s\n", now.Sub(p.start).Round(time.Second), progressLine(s))
		return
	}
	width := p.width() - 1
	line := "errprobe: " + progressLine(s)
	if utf8.RuneCountInString(line) > width {
		line = progressShort(s) // a narrow terminal: the numbers, fewest words
	}
	line = cut(line, width)
	if line == p.last {
		return
	}
	p.redraw(line)
}

// Done clears the terminal line so the report starts on a clean row.
func (p *Progress) Done() {
	if p == nil || !p.o.Enabled || !p.o.TTY {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last != "" {
		p.redraw("")
	}
}

func (p *Progress) redraw(line string) {
	n := utf8.RuneCountInString(line)
	if p.o.Escapes {
		io.WriteString(p.w, "\r\x1b[K"+line)
	} else {
		pad := ""
		if p.drawn > n {
			pad = strings.Repeat(" ", p.drawn-n)
		}
		io.WriteString(p.w, "\r"+line+pad)
		if line == "" {
			io.WriteString(p.w, "\r")
		}
	}
	p.last, p.drawn = line, n
}

func (p *Progress) width() int {
	if p.o.Width != nil {
		if w := p.o.Width(); w > 1 {
			return w
		}
	}
	return 80
}

// cut shortens s to at most n runes, ending in "…" when cut.
func cut(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func progressLine(s checks.Progress) string {
	line := fmt.Sprintf("%s · %d requests", nonEmpty(oneLine(s.Suite), "starting"), s.Sent)
	if s.BurstRate > 0 || s.Status429 > 0 {
		line += fmt.Sprintf(" · burst %.0f/s · %d × 429", s.BurstRate, s.Status429)
	}
	if s.Wait > 0 {
		// The numbers first: a narrow terminal cuts the words, not the times.
		line += fmt.Sprintf(" · waiting %s", s.Wait.Round(100*time.Millisecond))
		if s.WaitCap > 0 {
			line += fmt.Sprintf(" (cap %s)", s.WaitCap.Round(100*time.Millisecond))
		}
		line += " for " + nonEmpty(oneLine(s.Waiting), "the rate limit to recover")
	}
	return line
}

// progressShort is the progress for a narrow terminal:
// "ratelimit · 262 req · wait 1.2s/3s".
func progressShort(s checks.Progress) string {
	line := fmt.Sprintf("%s · %d req", nonEmpty(oneLine(s.Suite), "starting"), s.Sent)
	if s.BurstRate > 0 || s.Status429 > 0 {
		line += fmt.Sprintf(" · %.0f/s · %d×429", s.BurstRate, s.Status429)
	}
	if s.Wait > 0 {
		line += " · wait " + s.Wait.Round(100*time.Millisecond).String()
		if s.WaitCap > 0 {
			line += "/" + s.WaitCap.Round(100*time.Millisecond).String()
		}
	}
	return line
}
