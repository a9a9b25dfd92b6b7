package schemas

import (
	"fmt"
	"strconv"
	"strings"
)

// findLeak reports whether s shows internals: a stack trace, a source
// location or file path, SQL, or an exception name. It returns what kind and
// an excerpt around the match.
func findLeak(s string) (kind, excerpt string, ok bool) {
	if len(s) < 5 {
		return "", "", false
	}
	for _, f := range fixedLeaks {
		if i := strings.Index(s, f.needle); i >= 0 {
			return f.kind, around(s, i), true
		}
	}
	checks := []func(string) (string, int){goroutineAt, sourceLocAt, framAt, filePathAt, sqlAt, exceptionAt, patternAt}
	for _, check := range checks {
		if kind, i := check(s); i >= 0 {
			return kind, around(s, i), true
		}
	}
	return "", "", false
}

// scanLeaks runs findLeak over every string in a decoded body; path is the
// stack of tokens leading to v (its pointer is built only for a finding).
func scanLeaks(v any, path []string, add func(rule, path, msg string)) {
	switch x := v.(type) {
	case string:
		if kind, ex, ok := findLeak(x); ok {
			where := pointer(path).String()
			if where == "" {
				where = "body"
			}
			add(RuleNoLeak, pointer(path).String(), fmt.Sprintf("%s leaks %s: %q", where, kind, ex))
		}
	case map[string]any:
		for k, e := range x {
			scanLeaks(e, append(path, k), add)
		}
	case []any:
		for i, e := range x {
			scanLeaks(e, append(path, strconv.Itoa(i)), add)
		}
	}
}

func around(s string, i int) string {
	start, end := max(i-20, 0), min(i+60, len(s))
	for start > 0 && start < len(s) && s[start]&0xC0 == 0x80 {
		start--
	}
	for end < len(s) && s[end]&0xC0 == 0x80 {
		end++
	}
	ex := s[start:end]
	if start > 0 {
		ex = "…" + ex
	}
	if end < len(s) {
		ex += "…"
	}
	return ex
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }
func isLetter(b byte) bool {
	return isUpper(b) || (b >= 'a' && b <= 'z')
}
func isIdent(b byte) bool { return isLetter(b) || isDigit(b) || b == '_' || b == '$' }

// goroutineAt finds "goroutine 17 [".
func goroutineAt(s string) (string, int) {
	for off := 0; ; {
		i := strings.Index(s[off:], "goroutine ")
		if i < 0 {
			return "", -1
		}
		i += off
		j := i + len("goroutine ")
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j && strings.HasPrefix(s[k:], " [") {
			return "a Go stack trace", i
		}
		off = j
	}
}

// sourceLocAt finds "name.go:123" and the like.
func sourceLocAt(s string) (string, int) {
	for _, ext := range sourceExts {
		for off := 0; ; {
			i := strings.Index(s[off:], ext)
			if i < 0 {
				break
			}
			i += off
			j := i + len(ext)
			if i > 0 && isIdent(s[i-1]) && j < len(s) && isDigit(s[j]) {
				return "a source file location", i
			}
			off = j
		}
	}
	return "", -1
}

// framAt finds a Java/JS/C# frame: "at com.foo.Bar.baz(" or "at Foo.bar (".
func framAt(s string) (string, int) {
	for off := 0; ; {
		i := strings.Index(s[off:], "at ")
		if i < 0 {
			return "", -1
		}
		i += off
		j := i + 3
		if i > 0 && isIdent(s[i-1]) {
			off = j
			continue
		}
		k, dots := j, 0
		for k < len(s) && (isIdent(s[k]) || s[k] == '.' || s[k] == '<' || s[k] == '>') {
			if s[k] == '.' {
				dots++
			}
			k++
		}
		if k < len(s) && s[k] == ' ' {
			k++
		}
		if dots > 0 && k > j+2 && k < len(s) && s[k] == '(' && s[k-1] != '.' {
			return "a stack frame", i
		}
		off = j
	}
}

// sqlAt finds SQL statements written in upper case.
func sqlAt(s string) (string, int) {
	pairs := [][2]string{{"SELECT ", " FROM "}, {"INSERT INTO ", ""}, {"DELETE FROM ", ""}, {"UPDATE ", " SET "}}
	for _, p := range pairs {
		i := strings.Index(s, p[0])
		if i < 0 {
			continue
		}
		if p[1] == "" || strings.Contains(s[i:], p[1]) {
			return "SQL", i
		}
	}
	return "", -1
}
