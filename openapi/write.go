package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// yamlOut writes a commented YAML file line by line.
type yamlOut struct{ b bytes.Buffer }

// comment writes "# text" lines at indent, wrapping long text.
func (y *yamlOut) comment(indent int, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	pad := strings.Repeat("  ", indent)
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && len(pad)+2+len(line)+1+len(w) > 100 {
				y.b.WriteString(pad + "# " + line + "\n")
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		y.b.WriteString(strings.TrimRight(pad+"# "+line, " ") + "\n")
	}
}

// key writes "key:" opening a mapping.
func (y *yamlOut) key(indent int, k string) {
	y.b.WriteString(strings.Repeat("  ", indent) + yamlKey(k) + ":\n")
}

// kv writes "key: value" with the value as a YAML scalar.
func (y *yamlOut) kv(indent int, k string, v any) {
	y.b.WriteString(strings.Repeat("  ", indent) + yamlKey(k) + ": " + scalar(v) + "\n")
}

// raw writes a line as is.
func (y *yamlOut) raw(indent int, line string) {
	y.b.WriteString(strings.Repeat("  ", indent) + line + "\n")
}

func (y *yamlOut) blank() { y.b.WriteString("\n") }

// jsonBlock writes "key: <JSON>" where JSON (a YAML flow collection)
// continues on lines indented under the key.
func (y *yamlOut) jsonBlock(indent int, k string, v any) {
	b, _ := json.MarshalIndent(v, strings.Repeat("  ", indent+1), "  ")
	y.b.WriteString(strings.Repeat("  ", indent) + yamlKey(k) + ": " + string(b) + "\n")
}

// scalar renders strings double-quoted (JSON quoting is valid YAML),
// numbers and booleans bare, lists in flow style.
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		if strings.Contains(x, `"`) && !strings.Contains(x, "'") && printable(x) {
			return "'" + x + "'"
		}
		return strconv.Quote(x)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case []int:
		parts := make([]string, len(x))
		for i, n := range x {
			parts[i] = strconv.Itoa(n)
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// yamlKey quotes a key that plain YAML would misread (type URIs, spaces).
func yamlKey(k string) string {
	if _, err := strconv.Atoi(k); err == nil {
		return strconv.Quote(k) // a string key, not a number: "422"
	}
	for _, r := range k {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return strconv.Quote(k)
		}
	}
	return k
}

func itoa(n int) string { return strconv.Itoa(n) }

// printable: no control character, nor a character YAML 1.1 breaks a line
// on (NEL, LS, PS), may be written inside single quotes.
func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' || r == '\u0085' || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}
