package reporters

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/errprobe/errprobe/checks"
)

// Progress is the live progress line on a terminal's stderr: the suite
// running, requests sent, and during the burst its rate and the 429s seen.
// A disabled Progress writes nothing. It is safe for concurrent use.
type Progress struct {
	mu      sync.Mutex
	w       io.Writer
	enabled bool
	last    string
}

// NewProgress returns a progress line on w; enabled is false when w is not a
// terminal.
func NewProgress(w io.Writer, enabled bool) *Progress {
	return &Progress{w: w, enabled: enabled}
}

// Update redraws the line; an unchanged line is not rewritten.
func (p *Progress) Update(s checks.Progress) {
	if p == nil || !p.enabled {
		return
	}
	line := progressLine(s)
	p.mu.Lock()
	defer p.mu.Unlock()
	if line == p.last {
		return
	}
	p.last = line
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
}

// Done clears the line so the report starts on a clean row.
func (p *Progress) Done() {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last != "" {
		io.WriteString(p.w, "\r\x1b[K")
		p.last = ""
	}
}

func progressLine(s checks.Progress) string {
	line := fmt.Sprintf("errprobe: %s · %d requests", nonEmpty(oneLine(s.Suite), "starting"), s.Sent)
	if s.BurstRate > 0 || s.Status429 > 0 {
		line += fmt.Sprintf(" · burst %.0f/s · %d × 429", s.BurstRate, s.Status429)
	}
	if s.Wait > 0 {
		line += fmt.Sprintf(" · recovery in %s", s.Wait.Round(100*time.Millisecond))
	}
	return line
}
