package reporters

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// printer writes lines and keeps the first write error.
type printer struct {
	w       io.Writer
	err     error
	written bool
	// width wraps prose lines at word boundaries (0: never).
	width int
}

// line writes prose, wrapped to the printer's width.
func (p *printer) line(s string) {
	p.code(wrap(s, p.width))
}

// code writes s as it is: a command to copy (curl) is never broken.
func (p *printer) code(s string) {
	if p.err == nil {
		_, p.err = io.WriteString(p.w, s+"\n")
		p.written = true
	}
}

// gap writes a blank line between sections, never at the start.
func (p *printer) gap() {
	if p.written {
		p.line("")
	}
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad)
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// suffix returns sep+s, or "" when s is empty.
func suffix(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func rate(n int, secs float64) string {
	if secs <= 0 {
		return "0.0"
	}
	return fmt.Sprintf("%.1f", float64(n)/secs)
}

// ms formats a duration in milliseconds with one decimal: "0.4ms", "12.0ms".
func ms(d time.Duration) string {
	return strconv.FormatFloat(millis(d), 'f', 1, 64) + "ms"
}
