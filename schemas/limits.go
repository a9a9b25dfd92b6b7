package schemas

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/errprobe/errprobe/infile"
)

// Limits on every input file (profiles, envelope schemas and the files
// their $refs name, baselines), so a hostile or mistaken file is refused
// quickly and in little memory rather than exhausting it.
const (
	// MaxInputBytes caps an input file's size (/dev/zero is refused, not read).
	MaxInputBytes = 4 << 20
	// MaxDepth caps how deeply [ ] and { } may nest; real profiles and
	// schemas nest a dozen levels.
	MaxDepth = 128
)

var utf8BOM = []byte("\xef\xbb\xbf")

// ReadInput reads an input file of at most MaxInputBytes; what names the
// kind of file in errors ("profile", "baseline", …). Only a regular file is
// read: a FIFO or a device is refused at once (infile.Read).
func ReadInput(path, what string) ([]byte, error) {
	b, err := infile.Read(path, MaxInputBytes)
	switch {
	case errors.Is(err, infile.ErrTooLarge):
		return nil, fmt.Errorf("%s is larger than %d MiB: not read", what, MaxInputBytes>>20)
	case err != nil:
		return nil, fmt.Errorf("cannot read %s: %w", what, err)
	}
	return b, nil
}

// CheckInput vets an input file's text before it is parsed: it drops a
// UTF-8 byte-order mark (editors on Windows write one) and refuses text
// larger than MaxInputBytes or nested deeper than MaxDepth. The YAML and
// JSON parsers recurse per level: 100,000 levels cost gigabytes.
func CheckInput(src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, utf8BOM)
	if len(src) > MaxInputBytes {
		return nil, fmt.Errorf("larger than %d MiB", MaxInputBytes>>20)
	}
	return CheckNesting(src)
}

// CheckNesting is CheckInput without the size cap, for inputs with a cap
// of their own (OpenAPI documents): it drops a byte-order mark and refuses
// text nested deeper than MaxDepth.
func CheckNesting(src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, utf8BOM)
	if line, col, ok := tooDeep(src, MaxDepth); ok {
		return nil, &DepthError{Line: line, Col: col}
	}
	return src, nil
}

// DepthError says where the nesting went past MaxDepth.
type DepthError struct{ Line, Col int }

func (e *DepthError) Error() string {
	return fmt.Sprintf("%d:%d: nested more than %d levels deep", e.Line, e.Col, MaxDepth)
}

// tooDeep scans YAML or JSON text for flow nesting ([ and {) deeper than
// max, outside quoted strings and comments, and returns where it happened.
// Block nesting needs a line of indentation per level, which the size cap
// bounds. A quote opens a string only where a scalar may start, so the
// apostrophe in `don't` hides no brackets from the count.
func tooDeep(src []byte, max int) (line, col int, deep bool) {
	depth, line, lineStart := 0, 1, 0
	prev := byte('\n') // the last byte outside strings
	for i := 0; i < len(src); i++ {
		if i == lineStart {
			if col := blockIndent(src, i); col > maxIndent {
				return line, col, true
			}
		}
		c := src[i]
		switch {
		case c == '\n':
			line, lineStart = line+1, i+1
		case c == '#' && isSpace(prev):
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
			continue
		case (c == '"' || c == '\'') && scalarStart(prev):
			i = skipQuoted(src, i, &line, &lineStart)
			c = '"'
		case c == '[' || c == '{':
			if depth++; depth > max {
				return line, i - lineStart + 1, true
			}
		case c == ']' || c == '}':
			depth = max0(depth - 1)
		}
		prev = c
	}
	return 0, 0, false
}

// maxIndent caps the column a line's content starts at, block indicators
// ("- - - x", "? ? x") included: each block level takes a column or two.
const maxIndent = 1024

// blockIndent is the column where the content of the line starting at i
// begins, past indentation and block sequence/mapping-key indicators.
func blockIndent(src []byte, i int) int {
	start := i
	for i < len(src) {
		switch c := src[i]; {
		case c == ' ' || c == '\t':
			i++
		case (c == '-' || c == '?') && i+1 < len(src) && (src[i+1] == ' ' || src[i+1] == '\t'):
			i += 2
		default:
			return i - start
		}
	}
	return i - start
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// scalarStart: a quoted scalar may begin after these.
func scalarStart(c byte) bool {
	return isSpace(c) || c == '[' || c == '{' || c == ',' || c == ':' || c == '-' || c == '?'
}

// skipQuoted returns the index of the quote closing the string opened at
// src[i] (the last index when it is never closed), counting lines.
func skipQuoted(src []byte, i int, line, lineStart *int) int {
	q := src[i]
	for i++; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
			*line, *lineStart = *line+1, i+1
		case c == '\\' && q == '"':
			i++
		case c == q:
			if q == '\'' && i+1 < len(src) && src[i+1] == '\'' {
				i++ // '' is a quote inside a single-quoted string
				continue
			}
			return i
		}
	}
	return len(src) - 1
}

// GuardYAML vets a YAML or JSON document a caller decodes itself (a
// baseline): CheckInput, then its aliases must expand to at most
// NodeBudget(len(src)) nodes. It returns the text to decode (BOM dropped).
func GuardYAML(src []byte) ([]byte, error) {
	src, err := CheckInput(src)
	if err != nil {
		return nil, err
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return src, nil // the caller's decoder reports syntax errors with positions
	}
	for _, d := range f.Docs {
		if err := CheckAliases(d, NodeBudget(len(src))); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// CheckAliases refuses a parsed YAML document (or node) whose aliases
// expand past limit nodes (NodeBudget of its size, for most inputs).
func CheckAliases(n ast.Node, limit int) error {
	if expandedSize(n, map[string]int{}, limit) > limit {
		return fmt.Errorf("YAML aliases expand to more than %d nodes", limit)
	}
	return nil
}
