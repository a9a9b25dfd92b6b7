package reporters

import (
	"strings"
	"unicode/utf8"
)

// minWrapWidth is the narrowest terminal lines are wrapped for; below it
// every line is left whole (a continuation indent would leave no room).
const minWrapWidth = 20

// wrap breaks each line of s longer than width columns at the spaces
// between words, never inside one; a continuation line is indented two
// columns past its line's own indent. Escape sequences take no columns,
// and a color in force at a break is closed before it and reopened after
// the indent. A word longer than the line stays whole. width below
// minWrapWidth leaves s as it is.
func wrap(s string, width int) string {
	if width < minWrapWidth {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = wrapLine(l, width)
	}
	return strings.Join(lines, "\n")
}

func wrapLine(l string, width int) string {
	if visibleWidth(l) <= width {
		return l
	}
	lead := len(l) - len(strings.TrimLeft(l, " "))
	cont := strings.Repeat(" ", min(lead+2, width/2))
	var b strings.Builder
	b.WriteString(l[:lead])
	col, sgr := lead, ""
	// onLine counts the words on the line being written, first the
	// columns of its first: a mark or bullet ("✗", "-") keeps the next word.
	onLine, first := 0, 0
	for _, word := range words(l[lead:]) {
		w := visibleWidth(word.text)
		if (onLine > 1 || onLine == 1 && first > 2) && col+len(word.space)+w > width {
			if sgr != "" {
				b.WriteString(sgrReset)
			}
			b.WriteString("\n" + cont + sgr)
			col, onLine = len(cont), 0
		} else {
			b.WriteString(word.space)
			col += len(word.space)
		}
		if onLine == 0 {
			first = w
		}
		b.WriteString(word.text)
		col += w
		onLine++
		sgr = lastSGR(word.text, sgr)
	}
	return b.String()
}

// sgrReset ends every color and style.
const sgrReset = "\x1b[0m"

type word struct{ space, text string }

// words splits a line into words, each with the spaces before it.
func words(l string) []word {
	var out []word
	for l != "" {
		text := strings.TrimLeft(l, " ")
		space := l[:len(l)-len(text)]
		end := strings.IndexByte(text, ' ')
		if end < 0 {
			end = len(text)
		}
		out = append(out, word{space: space, text: text[:end]})
		l = text[end:]
	}
	return out
}

// visibleWidth counts the columns s takes: its runes, less escape sequences.
func visibleWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if end := escapeEnd(s, i); end > i {
			i = end
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

// escapeEnd returns where a CSI escape sequence starting at s[i] ends, or i
// when none starts there.
func escapeEnd(s string, i int) int {
	if !strings.HasPrefix(s[i:], "\x1b[") {
		return i
	}
	for j := i + 2; j < len(s); j++ {
		if s[j] >= 0x40 && s[j] <= 0x7e {
			return j + 1
		}
	}
	return len(s)
}

// lastSGR is the color in force after s, given the one before it: the last
// SGR sequence s holds ("" once reset).
func lastSGR(s, sgr string) string {
	for i := 0; i < len(s); i++ {
		if end := escapeEnd(s, i); end > i {
			if seq := s[i:end]; strings.HasSuffix(seq, "m") {
				sgr = seq
				if onlyResets(seq) {
					sgr = ""
				}
			}
			i = end - 1
		}
	}
	return sgr
}

// onlyResets reports whether an SGR sequence only turns attributes off
// ("\x1b[0m", fatih/color's "\x1b[0;22;27m"): no color is in force after it.
func onlyResets(seq string) bool {
	for _, p := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b["), "m"), ";") {
		switch p {
		case "", "0", "22", "23", "24", "25", "27", "28", "29", "39", "49":
		default:
			return false
		}
	}
	return true
}
