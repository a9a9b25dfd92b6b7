package schemas

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a profile, at a place in a file.
type Problem struct {
	File string // the file as the user named it, or "builtin:NAME"
	Line int    // 1-based; 0 when unknown
	Col  int    // 1-based; 0 when unknown
	Path string // dotted path into the profile, e.g. codes.NOT_FOUND; may be empty
	Msg  string
}

// String formats the problem as one line: file:line:col: path: message.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", p.Line, max(p.Col, 1))
		}
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ProfileError is every error Load, Builtin and Resolve return: the profile
// could not be read, parsed, validated or its envelope schema compiled. The
// cmd package maps it to exit code 2 (usage/profile error).
type ProfileError struct {
	Problems []Problem // at least one, sorted by file, line and column
}

// maxProblems caps how many problems one error lists.
const maxProblems = 10

// Error prints one line per problem (at most maxProblems).
func (e *ProfileError) Error() string {
	lines := make([]string, 0, len(e.Problems))
	for i, p := range e.Problems {
		if i == maxProblems {
			lines = append(lines, fmt.Sprintf("(and %d more problems)", len(e.Problems)-i))
			break
		}
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

// newProfileError sorts and de-duplicates problems into a *ProfileError; nil
// when there are none.
func newProfileError(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Path+a.Msg < b.Path+b.Msg
	})
	out := ps[:1]
	for _, p := range ps[1:] {
		if p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	return &ProfileError{Problems: out}
}

// fileError is a problem with a whole file (unreadable, unknown built-in).
func fileError(file, format string, args ...any) error {
	return &ProfileError{Problems: []Problem{{File: file, Msg: fmt.Sprintf(format, args...)}}}
}
