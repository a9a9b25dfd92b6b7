package schemas

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// doc is one parsed profile file: its name for messages, its YAML syntax tree
// for positions, and its generic value.
type doc struct {
	file  string
	root  ast.Node
	value map[string]any
}

// position finds the line and column of the node at path (keys and array
// indexes). For a mapping member it is the member's key. When the full path
// does not exist, ok is false and line/col name the deepest ancestor found.
func (d *doc) position(path []string) (line, col int, ok bool) {
	if d == nil || d.root == nil {
		return 0, 0, false
	}
	n := d.root
	line, col = nodePos(n)
	for _, tok := range path {
		next, key := child(n, tok)
		if next == nil {
			return line, col, false
		}
		if key != nil {
			line, col = nodePos(key)
		} else {
			line, col = nodePos(next)
		}
		n = next
	}
	return line, col, true
}

// child steps from n to its member tok; key is the member's key node for a
// mapping member, nil for a sequence item.
func child(n ast.Node, tok string) (value, key ast.Node) {
	n = unwrap(n)
	switch n := n.(type) {
	case *ast.MappingNode:
		for _, mv := range n.Values {
			if keyText(mv.Key) == tok {
				return mv.Value, mv.Key
			}
		}
	case *ast.MappingValueNode:
		if keyText(n.Key) == tok {
			return n.Value, n.Key
		}
	case *ast.SequenceNode:
		i, err := strconv.Atoi(tok)
		if err == nil && i >= 0 && i < len(n.Values) {
			return n.Values[i], nil
		}
	}
	return nil, nil
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.DocumentNode:
			n = v.Body
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

func keyText(k ast.MapKeyNode) string {
	if s, ok := unwrap(k).(ast.ScalarNode); ok {
		if v := s.GetValue(); v != nil {
			if str, ok := v.(string); ok {
				return str
			}
		}
	}
	return strings.Trim(k.String(), `"'`)
}

// nodePos is the position of n's token; 0, 0 when the parser left none.
func nodePos(n ast.Node) (line, col int) {
	defer func() {
		if recover() != nil { // goccy nodes may lack a token
			line, col = 0, 0
		}
	}()
	if d, ok := n.(*ast.DocumentNode); ok {
		if d.Start != nil {
			return d.Start.Position.Line, d.Start.Position.Column
		}
		if d.Body == nil {
			return 0, 0
		}
		n = d.Body
	}
	if n == nil || n.GetToken() == nil {
		return 0, 0
	}
	p := n.GetToken().Position
	return p.Line, p.Column
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// dotted renders a path for messages: codes.NOT_FOUND, envelope.content_types[1],
// codes["https://x.dev/p/not-found"]. isIndex says which tokens are array indexes.
func dotted(path []string, isIndex func(i int) bool) string {
	var b strings.Builder
	for i, tok := range path {
		switch {
		case isIndex != nil && isIndex(i):
			b.WriteString("[" + tok + "]")
		case plainKey.MatchString(tok):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
		default:
			b.WriteString("[" + strconv.Quote(tok) + "]")
		}
	}
	return b.String()
}

// maxNodes is the floor of the alias budget: how many nodes any YAML input
// may expand to with its aliases resolved, so that an alias bomb is an
// error, not an out-of-memory kill.
const maxNodes = 100_000

// NodeBudget is how many nodes a YAML input of size bytes may expand to
// with its aliases resolved: maxNodes plus one node per input byte. Text
// without aliases has at most about one node per two bytes ("a," or "- a"),
// so no alias-free input reaches it however large (a profile init writes
// with 30,000 examples, 713 KB, tripped the fixed 100,000); a bomb is
// stopped at a size proportional to the file, never at its billions.
func NodeBudget(size int) int { return maxNodes + size }

// expandedSize counts the nodes n expands to, aliases resolved through the
// sizes of the anchors seen so far; it saturates past limit.
func expandedSize(n ast.Node, anchors map[string]int, limit int) int {
	switch v := n.(type) {
	case nil:
		return 0
	case *ast.DocumentNode:
		return expandedSize(v.Body, anchors, limit)
	case *ast.TagNode:
		return expandedSize(v.Value, anchors, limit)
	case *ast.MappingKeyNode:
		return expandedSize(v.Value, anchors, limit)
	case *ast.AnchorNode:
		size := expandedSize(v.Value, anchors, limit)
		if v.Name != nil {
			anchors[nodeText(v.Name)] = size
		}
		return size
	case *ast.AliasNode:
		if v.Value == nil {
			return 1
		}
		return max(anchors[nodeText(v.Value)], 1)
	case *ast.MappingValueNode:
		return min(1+expandedSize(v.Key, anchors, limit)+expandedSize(v.Value, anchors, limit), limit+1)
	case *ast.MappingNode:
		total := 1
		for _, mv := range v.Values {
			total = min(total+expandedSize(mv, anchors, limit), limit+1)
		}
		return total
	case *ast.SequenceNode:
		total := 1
		for _, item := range v.Values {
			total = min(total+expandedSize(item, anchors, limit), limit+1)
		}
		return total
	}
	return 1
}

func nodeText(n ast.Node) string {
	if t := n.GetToken(); t != nil {
		return t.Value
	}
	return n.String()
}
