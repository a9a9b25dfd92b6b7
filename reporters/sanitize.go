package reporters

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// clean makes text from the target safe to print and to embed in XML: invalid
// UTF-8 becomes U+FFFD and control characters other than tab, newline and
// carriage return are dropped (XML 1.0 forbids them, and on a terminal they
// could carry escape sequences). Noncharacters U+FFFE/U+FFFF are dropped too.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if allowed(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isClean(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || !allowed(r) {
			return false
		}
	}
	return true
}

func allowed(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r == 0x7f:
		return false
	case r >= 0x80 && r < 0xa0: // C1 controls (CSI and friends)
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return false
	}
	return true
}

// oneLine folds a text onto one line for attributes and summaries.
func oneLine(s string) string {
	s = clean(s)
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// truncate caps s at n bytes on a rune boundary, noting what was cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "… (" + strconv.Itoa(len(s)-cut) + " more bytes)"
}
